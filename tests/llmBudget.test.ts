import { MockLanguageModelV4 } from "ai/test";
import { beforeEach, describe, expect, it } from "vitest";
import { answer } from "../src/answer/answer.ts";
import type { CoreDeps } from "../src/coreDeps.ts";
import { createLlmBudget } from "../src/llm/llmBudget.ts";
import { silentLogger } from "../src/log.ts";
import type { Store } from "../src/store/store.ts";
import type { RetrievedPassage } from "../src/types.ts";
import { describeEachStore, lowdbStores } from "./storeKinds.ts";

let now = new Date("2026-02-04T10:00:00Z");
const clock = () => now;

describeEachStore("createLlmBudget", ({ tempDir, openAt }) => {
  let store: Store;
  beforeEach(async () => {
    store = await openAt(await tempDir(), clock);
  });

  it("allows a number of model answers per scope per day, then none until the next day", async () => {
    now = new Date("2026-02-04T10:00:00Z");
    const budget = createLlmBudget(store, clock, 2);
    expect(await budget.take("g1")).toBe(true);
    expect(await budget.take("g1")).toBe(true);
    expect(await budget.take("g1")).toBe(false);
    expect(await budget.take("g2")).toBe(true); // other servers keep their own allowance
    now = new Date("2026-02-05T00:00:01Z");
    expect(await budget.take("g1")).toBe(true);
  });

  it("remembers the count across a restart", async () => {
    now = new Date("2026-03-01T08:00:00Z");
    await createLlmBudget(store, clock, 1).take("g1");
    expect(await createLlmBudget(store, clock, 1).take("g1")).toBe(false);
  });

  it("never lets concurrent questions overdraw the allowance", async () => {
    now = new Date("2026-03-02T08:00:00Z");
    const budget = createLlmBudget(store, clock, 3);
    const taken = await Promise.all(Array.from({ length: 10 }, () => budget.take("busy")));
    expect(taken.filter(Boolean)).toHaveLength(3);
  });
});

describe("answer with a spent allowance", () => {
  it("answers extractively with a notice and makes no model call", async () => {
    const store = await lowdbStores.openAt(await lowdbStores.tempDir(), clock);
    now = new Date("2026-03-03T08:00:00Z");
    const passage: RetrievedPassage = {
      id: "a#1",
      articleId: "a",
      title: "Talks",
      paragraph: 1,
      text: "The talks were originally scheduled to take place in Istanbul on Friday.",
      score: 1,
    };
    const model = new MockLanguageModelV4();
    const deps: CoreDeps = {
      retriever: {
        search: async () => [passage],
        addArticles: async () => {},
        articles: () => [],
        passages: () => [passage],
      },
      model,
      llm: { timeoutMs: 1000, maxRetries: 0 },
      llmBudget: createLlmBudget(store, clock, 0),
      store,
      clock,
      log: silentLogger(),
    };
    const result = await answer(deps, {
      question: "Where were the talks originally scheduled?",
      history: [],
      scope: "g1",
    });
    expect(result.mode).toBe("extractive");
    expect(result.notice).toMatch(/allowance/);
    expect(result.answer).toContain("Istanbul");
    expect(model.doStreamCalls).toHaveLength(0);
  });
});
