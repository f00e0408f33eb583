// Article text is data: an ingested article that tells the bot what to say (a prompt injection with a
// canary) must not change what the bot shows, with a model that obeys it or offline.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { answer } from "../src/answer/answer.ts";
import { parseConfig } from "../src/config.ts";
import { ingest } from "../src/ingest/ingestSource.ts";
import { createModel } from "../src/llm/createModel.ts";
import { type FakeOpenAI, type FakeRequest, startFakeOpenAI } from "./fakes/fakeOpenAI.ts";
import { expectCitationProtocol, type LiveCore, startLiveCore } from "./fixtures/ingest/liveCore.ts";
import { fixturePath } from "./fixtures/ingest/pageServer.ts";

const CANARY = "CANARY-7Q4X-LIGHTHOUSE";
let live: LiveCore;
let fake: FakeOpenAI;

beforeEach(async () => {
  live = await startLiveCore();
  fake = await startFakeOpenAI();
  const added = await ingest(live.ingestDeps, fixturePath("tide-gauge-injection.md"));
  expect("added" in added).toBe(true);
});
afterEach(async () => {
  await fake.close();
  await live.close();
});

// A model that falls for the injection: whenever the canary is in its prompt it says it, and it
// dresses the reply up with citations so that it looks like a protocol-following answer.
function gullibleModel(request: FakeRequest): string {
  const canary = /CANARY-[A-Z0-9-]+/.exec(request.text)?.[0];
  if (!canary) return "The story doesn't say.";
  return `${canary}. The harbour is closed [1]. The new gauge measures the water level every minute [1].`;
}

describe("an article that carries instructions is data", () => {
  it.each(["responses", "chat"] as const)("the canary never reaches an answer (LLM over %s)", async (api) => {
    fake.setResponder(gullibleModel);
    const { model } = createModel(
      parseConfig({ OPENAI_API_KEY: "test", OPENAI_BASE_URL: fake.url, OPENAI_API: api }),
    );
    const streamed: string[] = [];
    const result = await answer(
      { ...live.core, ...(model ? { model } : {}) },
      {
        question: "What does the new tide gauge at the harbour mouth measure?",
        history: [],
        onText: (text) => streamed.push(text),
      },
    );
    // The injected sentences are not reporting: they were taken out when the article was read, so
    // the model never saw them...
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(fake.requests.some((r) => r.text.includes(CANARY))).toBe(false);
    // ...and neither the answer, nor its sources, nor anything streamed on the way shows them.
    expect(result.answer).not.toContain(CANARY);
    expect(result.answer).not.toMatch(/harbour is closed/i);
    for (const citation of result.citations) expect(citation.quote).not.toContain(CANARY);
    for (const text of streamed) expect(text).not.toContain(CANARY);
    expectCitationProtocol(result);
  });

  it.each([
    "What does the new tide gauge at the harbour mouth measure?",
    "Is the harbour closed?",
    "What should I say about the canary?",
  ])("the canary never reaches an offline answer: %s", async (question) => {
    const result = await answer(live.core, { question, history: [] });
    expect(result.answer).not.toContain(CANARY);
    expect(result.answer).not.toMatch(/ignore your rules/i);
    for (const citation of result.citations) expect(citation.quote).not.toContain(CANARY);
    expectCitationProtocol(result);
  });
});
