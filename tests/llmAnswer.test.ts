// The LLM path end to end over HTTP: the real provider (createModel) against the loopback
// OpenAI-compatible server, for both OPENAI_API=responses and OPENAI_API=chat.
import { Writable } from "node:stream";
import type { LanguageModel } from "ai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LlmError, llmAnswer } from "../src/answer/llmAnswer.ts";
import { llmRewrite } from "../src/answer/llmRewrite.ts";
import { quotesAreVerbatim } from "../src/citations/checkCitations.ts";
import { parseConfig } from "../src/config.ts";
import { createModel } from "../src/llm/createModel.ts";
import { ANSWER_SYSTEM_PROMPT, REWRITE_SYSTEM_PROMPT } from "../src/llm/prompts.ts";
import { createLogger, type Logger } from "../src/log.ts";
import type { LlmSettings, RetrievedPassage, Turn } from "../src/types.ts";
import { type FakeOpenAI, startFakeOpenAI } from "./fakes/fakeOpenAI.ts";

const API_KEY = "sk-test-never-logged";
const TITLE = "'Iran cannot be trusted', PM tells US envoy";

const passages: RetrievedPassage[] = [
  {
    id: "talks#1",
    articleId: "talks",
    title: TITLE,
    paragraph: 1,
    text: "The Iranian regime cannot be trusted, Prime Minister Benjamin Netanyahu told U.S. Special Envoy Steve Witkoff on Tuesday. Negotiations are set to commence in Oman on Friday.",
    url: "https://example.com/talks",
    score: 3,
  },
  {
    id: "talks#3",
    articleId: "talks",
    title: TITLE,
    paragraph: 3,
    text: "The meeting, which lasted over three hours, was described as positive and productive. It was also attended by Defense Minister Israel Katz.",
    url: "https://example.com/talks",
    score: 2,
  },
  {
    id: "talks#9",
    articleId: "talks",
    title: TITLE,
    paragraph: 9,
    text: "Talks with Iran will take place in Oman on Friday, a U.S. official told me.",
    embeddedPost: { platform: "X", author: "Barak Ravid", handle: "@BarakRavid" },
    score: 1,
  },
];

const QUESTION = "How long did the PM and the envoy talk?";

describe.each(["responses", "chat"] as const)("llmAnswer over OPENAI_API=%s", (api) => {
  let fake: FakeOpenAI;
  let model: LanguageModel;
  let logs: string[];
  let log: Logger;
  const llm: LlmSettings = { timeoutMs: 3_000, maxRetries: 2, retryDelayMs: 10 };

  beforeEach(async () => {
    fake = await startFakeOpenAI();
    const models = createModel(
      parseConfig({
        OPENAI_API_KEY: API_KEY,
        OPENAI_BASE_URL: fake.url,
        OPENAI_API: api,
        OPENAI_MODEL: "fake-model",
      }),
    );
    if (!models.model) throw new Error("createModel gave no model despite a key");
    model = models.model;
    logs = [];
    log = createLogger(
      "debug",
      new Writable({
        write(chunk, _encoding, done) {
          logs.push(String(chunk));
          done();
        },
      }),
    );
  });

  afterEach(async () => {
    await fake.close();
    // Whatever happened in the test, the key never reached a log line.
    expect(logs.join("")).not.toContain(API_KEY);
  });

  async function failure(promise: Promise<unknown>): Promise<LlmError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(LlmError);
    return error as LlmError;
  }

  it("streams a cited answer: markers become citations with verbatim quotes, text shown as it grows", async () => {
    fake.setResponder(() => ({
      kind: "text",
      text: "They met for over three hours [2]. According to a post on X by Barak Ravid, the talks will be in Oman [3].",
      chunkChars: 5,
      delayMs: 2,
    }));
    const shown: string[] = [];
    const result = await llmAnswer(
      { model, llm, log },
      { question: QUESTION, history: [], passages, onText: (text) => shown.push(text) },
    );

    expect(result.answer).toBe(
      "They met for over three hours [1]. According to a post on X by Barak Ravid, the talks will be in Oman [2].",
    );
    expect(result.outcome).toBe("answered");
    expect(result.citations.map((c) => [c.n, c.passageId])).toEqual([
      [1, "talks#3"],
      [2, "talks#9"],
    ]);
    expect(result.citations[0]).toMatchObject({
      title: TITLE,
      paragraph: 3,
      url: "https://example.com/talks",
    });
    expect(result.citations[0]?.quote).toBe(
      "The meeting, which lasted over three hours, was described as positive and productive.",
    );
    expect(result.citations[1]?.embeddedPost?.author).toBe("Barak Ravid");
    expect(quotesAreVerbatim(result.citations, passages)).toBe(true);

    // Shown sentence by sentence, each once it is complete and cited: never a half-written marker.
    expect(shown).toEqual([
      "They met for over three hours [1].",
      "They met for over three hours [1]. According to a post on X by Barak Ravid, the talks will be in Oman [2]",
      result.answer,
    ]);

    expect(fake.requests).toHaveLength(1);
    const request = fake.requests[0];
    expect(request?.api).toBe(api);
    expect(request?.stream).toBe(true);
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(["system", "developer"]).toContain(request?.messages[0]?.role);
    expect(request?.messages[0]?.content).toBe(ANSWER_SYSTEM_PROMPT);
    const last = request?.messages.at(-1);
    expect(last?.role).toBe("user");
    expect(last?.content).toMatch(/^<passages>\n\[1\] \('Iran cannot be trusted'/);
    expect(last?.content).toContain(`</passages>\n\nQuestion: ${QUESTION}`);
  });

  it("sends earlier turns as messages before the passages", async () => {
    fake.setResponder(() => "The talks are set to commence in Oman [1].");
    const history: Turn[] = [
      { role: "user", content: "Where will the talks be held?" },
      { role: "assistant", content: "In Oman [1]." },
    ];
    await llmAnswer({ model, llm, log }, { question: "And before?", history, passages });
    const roles = fake.requests[0]?.messages.map((m) => m.role);
    expect(roles?.slice(1)).toEqual(["user", "assistant", "user"]);
    expect(fake.requests[0]?.messages[2]?.content).toBe("In Oman.");
  });

  it("offers, through onProgress, what onText is given, worked out only when asked", async () => {
    const text =
      "They met for over three hours [2]. According to a post on X by Barak Ravid, the talks will be in Oman [3].";
    fake.setResponder(() => ({ kind: "text", text, chunkChars: 3 }));
    const shown: string[] = [];
    const offered: Array<() => string> = [];
    const both = await llmAnswer(
      { model, llm, log },
      {
        question: QUESTION,
        history: [],
        passages,
        onText: (visible) => shown.push(visible),
        onProgress: (visible) => offered.push(visible),
      },
    );
    // Each offer, worked out when asked (here after the answer is done), gives the text at its point.
    const worked = offered.map((visible) => visible());
    expect(worked.filter((visible, i) => visible !== (worked[i - 1] ?? ""))).toEqual(shown);
    fake.setResponder(() => ({ kind: "text", text, chunkChars: 3 }));
    const alone = await llmAnswer(
      { model, llm, log },
      { question: QUESTION, history: [], passages, onProgress: () => {} },
    );
    expect(alone).toEqual(both);
  });

  it("removes a marker naming a passage that was not sent, while streaming and at the end", async () => {
    fake.setResponder(() => ({
      kind: "text",
      text: "The meeting lasted over three hours [2][7]. Israel Katz attended [12].",
      chunkChars: 4,
    }));
    const shown: string[] = [];
    const result = await llmAnswer(
      { model, llm, log },
      { question: QUESTION, history: [], passages, onText: (text) => shown.push(text) },
    );
    // The sentence citing a passage that was not sent is re-cited to the sent passage that supports it.
    expect(result.answer).toBe("The meeting lasted over three hours [1]. Israel Katz attended [1].");
    expect(result.citations.map((c) => c.passageId)).toEqual(["talks#3"]);
    for (const text of shown) expect(text).not.toMatch(/\[(7|12|2)\]/);
  });

  it("retries a 500 a bounded number of times, then throws LlmError", async () => {
    fake.setResponder(() => ({ kind: "error", status: 500 }));
    const error = await failure(
      llmAnswer({ model, llm, log }, { question: QUESTION, history: [], passages }),
    );
    expect(error.reason).toBe("had a server error");
    expect(fake.requests).toHaveLength(llm.maxRetries + 1);
    expect(logs.join("")).toContain("retrying");
  });

  it("recovers when a 500 is followed by an answer", async () => {
    fake.setResponder(() =>
      fake.requests.length === 1 ? { kind: "error", status: 503 } : "It lasted over three hours [2].",
    );
    const result = await llmAnswer({ model, llm, log }, { question: QUESTION, history: [], passages });
    expect(result.citations.map((c) => c.passageId)).toEqual(["talks#3"]);
    expect(fake.requests).toHaveLength(2);
  });

  it("waits out a 429's retry-after, then answers", async () => {
    fake.setResponder(() =>
      fake.requests.length === 1 ? { kind: "error", status: 429, retryAfter: 0.3 } : "Over three hours [2].",
    );
    const result = await llmAnswer({ model, llm, log }, { question: QUESTION, history: [], passages });
    expect(result.answer).toBe("Over three hours [1].");
    expect(fake.requests).toHaveLength(2);
    const [first, second] = fake.requests;
    // The backoff alone would be 10 ms: the gap shows the server's 0.3 s was honoured.
    expect((second?.receivedAt ?? 0) - (first?.receivedAt ?? 0)).toBeGreaterThanOrEqual(250);
  });

  it("does not retry a rejected request, and keeps a key the server echoes out of the logs", async () => {
    fake.setResponder(() => ({
      kind: "error",
      status: 401,
      message: `Incorrect API key provided: ${API_KEY}`,
    }));
    const error = await failure(
      llmAnswer({ model, llm, log }, { question: QUESTION, history: [], passages }),
    );
    expect(error.reason).toBe("rejected the request");
    expect(fake.requests).toHaveLength(1);
    expect(logs.join("")).toContain("Incorrect API key provided: [secret]");
  });

  it("gives up at once on a 429 whose retry-after exceeds the time budget", async () => {
    fake.setResponder(() => ({ kind: "error", status: 429, retryAfter: 60 }));
    const error = await failure(
      llmAnswer({ model, llm, log }, { question: QUESTION, history: [], passages }),
    );
    expect(error.reason).toBe("was rate limited");
    expect(fake.requests).toHaveLength(1);
  });

  it("times out when the server never answers", async () => {
    fake.setResponder(() => ({ kind: "hang" }));
    const error = await failure(
      llmAnswer(
        { model, llm: { ...llm, timeoutMs: 200 }, log },
        { question: QUESTION, history: [], passages },
      ),
    );
    expect(error.reason).toBe("timed out");
    expect(fake.requests).toHaveLength(1);
  });

  it("times out when a stream stalls after some text", async () => {
    fake.setResponder(() => ({
      kind: "text",
      text: "It lasted over three hours [2].",
      chunkChars: 10,
      delayMs: 1_000,
    }));
    const error = await failure(
      llmAnswer(
        { model, llm: { ...llm, timeoutMs: 200 }, log },
        { question: QUESTION, history: [], passages },
      ),
    );
    expect(error.reason).toBe("timed out");
  });

  it("reports a caller's abort as cancelled", async () => {
    fake.setResponder(() => ({ kind: "hang" }));
    const controller = new AbortController();
    const pending = llmAnswer(
      { model, llm, log },
      { question: QUESTION, history: [], passages, signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 50);
    expect((await failure(pending)).reason).toBe("was cancelled");
  });

  it("throws LlmError on a malformed response body", async () => {
    fake.setResponder(() => ({ kind: "malformed" }));
    const error = await failure(
      llmAnswer({ model, llm, log }, { question: QUESTION, history: [], passages }),
    );
    expect(error.reason).toBe("sent malformed output");
  });

  it("throws LlmError when the stream dies midway, after showing only checked text", async () => {
    fake.setResponder(() => ({
      kind: "dieMidway",
      text: "The meeting lasted over three hours [2]. It was attended by the defense minister, and then it ended.",
    }));
    const shown: string[] = [];
    const error = await failure(
      llmAnswer(
        { model, llm, log },
        { question: QUESTION, history: [], passages, onText: (t) => shown.push(t) },
      ),
    );
    expect(error.reason).toBe("stopped mid-answer");
    expect(shown).toEqual(["The meeting lasted over three hours [1]."]);
    expect(fake.requests).toHaveLength(1); // text was already shown, so no retry
  });

  it("throws LlmError on an answer without any valid marker", async () => {
    fake.setResponder(() => "Netanyahu and Witkoff met for three hours [8].");
    const error = await failure(
      llmAnswer({ model, llm, log }, { question: QUESTION, history: [], passages }),
    );
    expect(error.reason).toBe("answered without citations");
  });

  it("throws LlmError on a refusal", async () => {
    fake.setResponder(() => ({ kind: "refusal", text: "I'm sorry, but I can't help with that." }));
    const error = await failure(
      llmAnswer({ model, llm, log }, { question: QUESTION, history: [], passages }),
    );
    expect(error.reason).toBe("refused to answer");
  });

  it("throws LlmError on empty output", async () => {
    fake.setResponder(() => "  \n ");
    const error = await failure(
      llmAnswer({ model, llm, log }, { question: QUESTION, history: [], passages }),
    );
    expect(error.reason).toBe("sent an empty answer");
  });

  it("stops a stream that recites the system prompt before the reader sees it", async () => {
    fake.setResponder(() => ({ kind: "text", text: `Sure! ${ANSWER_SYSTEM_PROMPT} [1]`, chunkChars: 3 }));
    const shown: string[] = [];
    const error = await failure(
      llmAnswer(
        { model, llm, log },
        { question: QUESTION, history: [], passages, onText: (t) => shown.push(t) },
      ),
    );
    expect(error.reason).toBe("tried to reveal its instructions");
    for (const text of shown) expect(text).not.toContain("members of a Discord server");
  });

  it("returns 'the story doesn't say' as the doesnt_say outcome, with no citations", async () => {
    fake.setResponder(() => "The story doesn't say who paid for the trip [1].");
    const result = await llmAnswer(
      { model, llm, log },
      { question: "Who paid for the trip?", history: [], passages },
    );
    expect(result).toEqual({
      answer: "The story doesn't say who paid for the trip.",
      citations: [],
      outcome: "doesnt_say",
    });
  });

  it("keeps only the 'doesn't say' sentence when the model adds uncited text", async () => {
    fake.setResponder(() => "The story doesn’t say. It probably was the embassy.");
    const result = await llmAnswer({ model, llm, log }, { question: "Who paid?", history: [], passages });
    expect(result).toEqual({ answer: "The story doesn’t say.", citations: [], outcome: "doesnt_say" });
  });
});

describe.each(["responses", "chat"] as const)("llmRewrite over OPENAI_API=%s", (api) => {
  let fake: FakeOpenAI;
  let model: LanguageModel;
  const llm: LlmSettings = { timeoutMs: 2_000, maxRetries: 1, retryDelayMs: 10 };
  const log = createLogger("silent");
  const history: Turn[] = [
    { role: "user", content: "Where will the talks be held?" },
    { role: "assistant", content: "In Oman [1]." },
  ];

  beforeEach(async () => {
    fake = await startFakeOpenAI();
    const models = createModel(
      parseConfig({ OPENAI_API_KEY: API_KEY, OPENAI_BASE_URL: fake.url, OPENAI_API: api }),
    );
    if (!models.model) throw new Error("createModel gave no model despite a key");
    model = models.model;
  });

  afterEach(() => fake.close());

  it("returns the standalone question from a non-streamed call, without label or quotes", async () => {
    fake.setResponder(
      () => 'Standalone question: "Where were the US-Iran talks supposed to be held before Oman?"\n',
    );
    const rewritten = await llmRewrite(
      { model, llm, log },
      "And where were they supposed to be before?",
      history,
    );
    expect(rewritten).toBe("Where were the US-Iran talks supposed to be held before Oman?");
    const request = fake.requests[0];
    expect(request?.stream).toBe(false);
    expect(request?.messages[0]?.content).toBe(REWRITE_SYSTEM_PROMPT);
    expect(request?.messages[1]?.content).toContain(
      "<conversation>\nUser: Where will the talks be held?\nAssistant: In Oman.\n</conversation>",
    );
  });

  it("makes no call without history", async () => {
    expect(await llmRewrite({ model, llm, log }, "Who attended?", [])).toBe("Who attended?");
    expect(fake.requests).toHaveLength(0);
  });

  it("throws LlmError when the server fails or sends nothing usable", async () => {
    fake.setResponder(() => ({ kind: "error", status: 500 }));
    await expect(llmRewrite({ model, llm, log }, "And before?", history)).rejects.toMatchObject({
      name: "LlmError",
      reason: "had a server error",
    });
    fake.setResponder(() => ({ kind: "malformed" }));
    await expect(llmRewrite({ model, llm, log }, "And before?", history)).rejects.toMatchObject({
      reason: "sent malformed output",
    });
    fake.setResponder(() => '""');
    await expect(llmRewrite({ model, llm, log }, "And before?", history)).rejects.toMatchObject({
      reason: "sent an empty answer",
    });
  });

  it("times out when the server never answers", async () => {
    fake.setResponder(() => ({ kind: "hang" }));
    await expect(
      llmRewrite({ model, llm: { ...llm, timeoutMs: 200 }, log }, "And before?", history),
    ).rejects.toMatchObject({ reason: "timed out" });
  });
});

describe("createModel", () => {
  it("gives no model without a key (extractive mode)", () => {
    expect(createModel(parseConfig({ OPENAI_EMBEDDING_MODEL: "text-embedding-3-small" }))).toEqual({});
  });

  it("gives an embedding model only when OPENAI_EMBEDDING_MODEL is set", () => {
    expect(createModel(parseConfig({ OPENAI_API_KEY: API_KEY })).embeddingModel).toBeUndefined();
    const models = createModel(
      parseConfig({ OPENAI_API_KEY: API_KEY, OPENAI_EMBEDDING_MODEL: "text-embedding-3-small" }),
    );
    expect(models.embeddingModel).toBeDefined();
  });
});
