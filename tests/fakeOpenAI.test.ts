// The loopback OpenAI-compatible server itself: embeddings through the real provider, request
// recording, and the plain-HTTP behaviour other tests rely on.
import { cosineSimilarity, embedMany, embed as embedOne } from "ai";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.ts";
import { createModel } from "../src/llm/createModel.ts";
import { EMBEDDING_DIMENSIONS, embed, type FakeOpenAI, startFakeOpenAI } from "./fakes/fakeOpenAI.ts";

let fake: FakeOpenAI;

beforeEach(async () => {
  fake = await startFakeOpenAI();
});

afterEach(() => fake.close());

function embeddingModel() {
  const { embeddingModel } = createModel(
    parseConfig({ OPENAI_API_KEY: "test", OPENAI_BASE_URL: fake.url, OPENAI_EMBEDDING_MODEL: "fake-embed" }),
  );
  if (!embeddingModel) throw new Error("no embedding model");
  return embeddingModel;
}

describe("fake /v1/embeddings", () => {
  it("returns deterministic vectors where texts sharing words are closer", async () => {
    const values = [
      "The meeting lasted over three hours.",
      "How long did the meeting last?",
      "Talks will take place in Oman on Friday.",
    ];
    const { embeddings } = await embedMany({ model: embeddingModel(), values, maxRetries: 0 });
    expect(embeddings).toHaveLength(3);
    expect(embeddings[0]).toHaveLength(EMBEDDING_DIMENSIONS);
    expect(embeddings[0]).toEqual(embed(values[0] ?? ""));
    const [meeting, question, oman] = embeddings as [number[], number[], number[]];
    expect(cosineSimilarity(meeting, question)).toBeGreaterThan(cosineSimilarity(oman, question));

    expect(fake.requests[0]).toMatchObject({ api: "embeddings", stream: false });
    expect(fake.requests[0]?.messages.map((m) => m.content)).toEqual(values);
    expect(fake.requests[0]?.body?.model).toBe("fake-embed");
  });

  it("fails an embedding request as scripted", async () => {
    fake.setResponder(() => ({ kind: "error", status: 503 }));
    await expect(embedOne({ model: embeddingModel(), value: "x", maxRetries: 0 })).rejects.toMatchObject({
      statusCode: 503,
    });
  });
});

describe("fake server over plain HTTP", () => {
  it("answers a non-streamed chat completion in OpenAI's format and records the request", async () => {
    fake.setResponder((request) => `You said: ${request.messages.at(-1)?.content}`);
    const response = await fetch(`${fake.url}/chat/completions`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ model: "m", messages: [{ role: "user", content: "hello" }] }),
    });
    const body = (await response.json()) as { choices: Array<{ message: { content: string } }> };
    expect(body.choices[0]?.message.content).toBe("You said: hello");
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]).toMatchObject({ api: "chat", stream: false, text: "hello" });
  });

  it("sends retry-after with a scripted 429", async () => {
    fake.setResponder(() => ({ kind: "error", status: 429, retryAfter: 7 }));
    const response = await fetch(`${fake.url}/responses`, { method: "POST", body: "{}" });
    expect(response.status).toBe(429);
    expect(response.headers.get("retry-after")).toBe("7");
  });

  it("answers unknown routes with 404 and does not record them", async () => {
    const response = await fetch(`${fake.url}/models`, { method: "GET" });
    expect(response.status).toBe(404);
    expect(fake.requests).toHaveLength(0);
  });

  it("closes even while a request hangs", async () => {
    fake.setResponder(() => ({ kind: "hang" }));
    const pending = fetch(`${fake.url}/chat/completions`, { method: "POST", body: "{}" }).catch(
      (e: unknown) => e,
    );
    while (fake.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
    await fake.close();
    expect(await pending).toBeInstanceOf(Error);
  });
});
