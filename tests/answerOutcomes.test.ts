// Answers through the whole pipeline: the three outcomes, offline and with a model (the loopback
// OpenAI-compatible server); questions about the article itself; the passages the model gets, chosen
// by a token budget; and a question about what the story lacks refused without a model call.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { answer } from "../src/answer/answer.ts";
import { passagesForModel, passagesToRetrieve, passageTokens } from "../src/answer/passagesForModel.ts";
import { quotesAreVerbatim } from "../src/citations/checkCitations.ts";
import { parseConfig } from "../src/config.ts";
import type { CoreDeps } from "../src/coreDeps.ts";
import { loadArticles } from "../src/corpus/loadArticles.ts";
import { createModel } from "../src/llm/createModel.ts";
import { silentLogger } from "../src/log.ts";
import { createRetriever } from "../src/retrieval/createRetriever.ts";
import type { Store } from "../src/store/store.ts";
import type { AnswerResult, Article, Retriever } from "../src/types.ts";
import { type FakeOpenAI, startFakeOpenAI } from "./fakes/fakeOpenAI.ts";

const log = silentLogger();
let story: Retriever;
let fake: FakeOpenAI;

beforeAll(async () => {
  story = await createRetriever({ articles: await loadArticles("data/articles", log), log });
  fake = await startFakeOpenAI();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.setResponder(() => "The story doesn't say.");
});

function deps(retriever: Retriever, withModel: boolean, passageTokens?: number): CoreDeps {
  const { model } = createModel(
    parseConfig({ OPENAI_API_KEY: "sk-test", OPENAI_BASE_URL: fake.url, OPENAI_API: "chat" }),
  );
  return {
    retriever,
    ...(withModel && model ? { model } : {}),
    llm: { timeoutMs: 5_000, maxRetries: 0, ...(passageTokens ? { passageTokens } : {}) },
    store: {} as Store, // answer() keeps no history itself
    clock: () => new Date("2026-02-04T10:00:00Z"),
    log,
  };
}

const ask = (d: CoreDeps, question: string) => answer(d, { question, history: [] });

function expectSound(result: AnswerResult) {
  const numbers = result.citations.map((c) => c.n);
  for (const [, n] of result.answer.matchAll(/\[(\d+)\]/g)) expect(numbers).toContain(Number(n));
  expect(quotesAreVerbatim(result.citations, result.passages)).toBe(true);
  if (result.outcome === "doesnt_say") expect(result.citations).toEqual([]);
  else expect(result.citations.length).toBeGreaterThan(0);
}

describe("offline, on the shipped story", () => {
  it("answers when an embedded post was posted from its author line", async () => {
    const posted = await ask(deps(story, false), "When was the tweet about the drone posted?");
    expect(posted.outcome).toBe("answered");
    expect(posted.answer).toBe(
      "The embedded post by Gunther Eagleman (@GuntherEagleman) on X (Twitter) is dated February 3, 2026 [1].",
    );
    expectSound(posted);
  });

  it("reads 'the UN relief agency' as the story's UNRWA, not as something it lacks", async () => {
    const bags = await ask(
      deps(story, false),
      "What were the UN relief agency's bags being used for in Gaza?",
    );
    expect(bags.outcome).not.toBe("doesnt_say");
    expect(bags.answer).toContain("UNRWA bags to conceal weaponry");
    expectSound(bags);
  });

  it("answers in the story's words: 'boats' for its gunboats, 'tried' for attempted, digits for 'three'", async () => {
    const boats = await ask(deps(story, false), "How many boats tried to stop the tanker?");
    expect(boats.outcome).toBe("answered");
    expect(boats.answer).toContain("six Iranian gunboats attempted to halt");
    const hours = await ask(deps(story, false), "Did the meeting last 3 hours?");
    expect(hours.answer).toContain("lasted over three hours");
    const hurt = await ask(deps(story, false), "Was anyone hurt on Tuesday night?");
    expect(hurt.answer).toContain("critically wounded");
    for (const result of [boats, hours, hurt]) expectSound(result);
  });

  it("gives the three outcomes, and 'doesn't say' only for what the story lacks", async () => {
    const answered = await ask(deps(story, false), "Who is Israel's defense minister?");
    expect(answered).toMatchObject({ outcome: "answered", mode: "extractive" });
    expect(answered.answer).toContain("Israel Katz");

    const closest = await ask(deps(story, false), "Who is Iran's foreign minister?");
    expect(closest.outcome).toBe("closest");
    expect(closest.answer).toMatch(/^The story doesn't answer that directly\. The closest it comes: “/);

    const lacking = await ask(deps(story, false), "How many centrifuges does Iran operate?");
    expect(lacking).toMatchObject({
      outcome: "doesnt_say",
      answer: "The story doesn't say anything about centrifuges.",
      citations: [],
    });
    for (const result of [answered, closest, lacking]) expectSound(result);
  });

  it("takes a short word that begins one of the story's words for chat shorthand, not for the story's silence", async () => {
    // "min" for minister: no evidence that the story lacks it.
    const shorthand = await ask(deps(story, false), "was the defense min at the meeting?");
    expect(shorthand.outcome).not.toBe("doesnt_say");
    expect(shorthand.answer).toContain("Defense Minister Israel Katz");
    expectSound(shorthand);
  });

  it("answers 'which day' with a day, not with the headline's '3-hour meeting'", async () => {
    const day = await ask(deps(story, false), "which day did the pm meet witkoff");
    expect(day.answer).toContain("Tuesday");
    expectSound(day);
  });

  it("answers questions about the article itself from its headline passage", async () => {
    const byline = await ask(deps(story, false), "Who wrote this article?");
    expect(byline.outcome).toBe("answered");
    expect(byline.answer).toContain("The All Israel News Staff");
    expect(byline.citations[0]?.passageId).toBe("netanyahu-witkoff-iran-talks#0");
    // The article's own credit line is read next to its headline passage.
    expect(byline.passages.map((p) => p.text)).toContain(
      "The All Israel News Staff is a team of journalists in Israel.",
    );
    const headline = await ask(deps(story, false), "What is the headline?");
    expect(headline.answer).toContain("'Iran cannot be trusted', PM Netanyahu tells US envoy Witkoff");
    // The shipped story names no outlet: its byline is the closest it comes, and says so.
    const outlet = await ask(deps(story, false), "Which outlet published it?");
    expect(outlet.outcome).toBe("closest");
    expect(outlet.answer).toContain("Written by The All Israel News Staff");
    // A news outlet the story quotes is a thing in it, not the article's own.
    const quoted = await ask(deps(story, false), "Which news outlet described the meeting as positive?");
    expect(quoted.answer).toContain("i24");
    expect(quoted.answer).not.toContain("Written by");
    // Its subheadline, and what it is about: the headline and subheadline, cited.
    const subheadline = "Netanyahu reiterates demand for Hamas disarmament, no PA role in Gaza";
    const subtitle = await ask(deps(story, false), "what's the sub headline");
    expect(subtitle.answer).toContain(subheadline);
    expect(subtitle.answer).not.toContain("Iran cannot be trusted");
    const gists = await Promise.all(
      ["what's this article about?", "tl;dr", "summarize the story"].map((q) => ask(deps(story, false), q)),
    );
    for (const gist of gists) {
      expect(gist.outcome).toBe("answered");
      expect(gist.answer).toContain("Iran cannot be trusted");
      expect(gist.answer).toContain(subheadline);
    }
    // A question about a thing the article says is no question about the article.
    const drone = await ask(deps(story, false), "What did the article say about the drone?");
    expect(drone.answer).toContain("USS Abraham Lincoln");
    for (const result of [byline, headline, outlet, quoted, subtitle, ...gists, drone]) expectSound(result);
  });

  it("answers the outlet, date and link of an article that gives them", async () => {
    const article: Article = {
      id: "bridge",
      title: "Bridge falls",
      byline: "Daniel Hartwell",
      source: "Harbor Wire Service",
      published: "2024-03-26",
      url: "https://harbor.example/bridge",
      ingestedAt: "2024-03-26T12:00:00.000Z",
      paragraphs: ["A container ship struck the bridge early on Tuesday."],
    };
    const retriever = await createRetriever({ articles: [article], log });
    const d = deps(retriever, false);
    expect((await ask(d, "Which news agency published the bridge story?")).answer).toContain(
      "Published by Harbor Wire Service on 26 March 2024",
    );
    expect((await ask(d, "When was the article published?")).answer).toContain("26 March 2024");
    const link = await ask(d, "Where can I read the full story?");
    expect(link.answer).toContain("https://harbor.example/bridge");
    expectSound(link);
  });
});

describe("with a model", () => {
  it("refuses a question about what the story lacks without a model call", async () => {
    const result = await ask(deps(story, true), "Who won the 2024 Super Bowl?");
    expect(result).toMatchObject({ outcome: "doesnt_say", mode: "extractive", citations: [] });
    expect(result.answer).toMatch(/^The story doesn't say/);
    expect(result.notice).toMatch(/no language model was asked/);
    expect(fake.requests).toHaveLength(0);
  });

  it("sends a story that fits the budget whole, in article order, headline and its details included", async () => {
    fake.setResponder(() => "Israel Katz attended the meeting [4].");
    const result = await ask(deps(story, true), "Did the defense minister attend?");
    expect(result.mode).toBe("llm");
    expect(result.outcome).toBe("answered");
    const all = story.passages();
    expect(result.passages.map((p) => p.id)).toEqual(all.map((p) => p.id));
    const prompt = fake.requests[0]?.text ?? "";
    expect(prompt).toContain("Written by The All Israel News Staff.");
    // Numbered in article order: [1] is the headline, the last number the author line.
    expect(prompt).toMatch(/\[1\] \([^)]*, headline\)/);
    expect(prompt).toContain(`[${all.length}] (`);
    expect(prompt.indexOf("[2] (")).toBeLessThan(prompt.indexOf("[3] ("));
    expect(result.citations[0]?.passageId).toBe("netanyahu-witkoff-iran-talks#3");
    expectSound(result);
  });

  it("maps the model's 'doesn't answer directly' to closest and 'doesn't say' to doesnt_say", async () => {
    fake.setResponder(
      () =>
        "The story doesn't answer that directly. It says Netanyahu told Witkoff that Iran cannot be trusted [2].",
    );
    const closest = await ask(deps(story, true), "What did Witkoff promise Netanyahu?");
    expect(closest).toMatchObject({ mode: "llm", outcome: "closest" });
    expectSound(closest);
    fake.setResponder(() => "The story doesn't say what Witkoff promised.");
    const refused = await ask(deps(story, true), "What did Witkoff promise Netanyahu?");
    expect(refused).toMatchObject({ mode: "llm", outcome: "doesnt_say", citations: [] });
  });

  it("bounds a large corpus by the token budget, best passages first", async () => {
    const filler = (i: number): Article => ({
      id: `filler-${String(i).padStart(3, "0")}`,
      title: `Council notes ${i}`,
      ingestedAt: "2026-01-01T00:00:00.000Z",
      paragraphs: Array.from(
        { length: 8 },
        (_, p) =>
          `The council of district ${i} met for the ${p + 1}th time to discuss roads, parks and budgets.`,
      ),
    });
    const articles = [...Array.from({ length: 150 }, (_, i) => filler(i)), ...story.articles()];
    const big = await createRetriever({ articles, log });
    const question = "How many Iranian gunboats tried to board the tanker?";
    const budget = 1_500;
    const retrieved = await big.search(question, passagesToRetrieve(big, budget, 6));
    const sent = passagesForModel(big, retrieved, budget);
    expect(sent.length).toBeGreaterThan(1);
    expect(sent.length).toBeLessThan(big.passages().length);
    expect(sent.reduce((sum, p) => sum + passageTokens(p), 0)).toBeLessThanOrEqual(budget);
    expect(sent[0]?.text).toContain("six Iranian gunboats");

    fake.setResponder(() => "Six gunboats tried to board it [1].");
    const result = await ask(deps(big, true, budget), question);
    expect(result.mode).toBe("llm");
    expect(result.passages.map((p) => p.id)).toEqual(sent.map((p) => p.id));
    expect(result.answer).toBe("Six gunboats tried to board it [1].");
  });
});
