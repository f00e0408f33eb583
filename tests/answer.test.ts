// The answer pipeline's choices between the model and the extractive answerer, with mock models.
import { MockLanguageModelV4 } from "ai/test";
import { describe, expect, it } from "vitest";
import { answer } from "../src/answer/answer.ts";
import type { CoreDeps } from "../src/coreDeps.ts";
import { UserError } from "../src/errors.ts";
import { silentLogger } from "../src/log.ts";
import type { Store } from "../src/store/store.ts";
import type { RetrievedPassage } from "../src/types.ts";

const passage: RetrievedPassage = {
  id: "a#1",
  articleId: "a",
  title: "Talks",
  paragraph: 1,
  text: "The talks were originally scheduled to take place in Istanbul on Friday.",
  score: 1,
};

function deps(found: RetrievedPassage[], model?: MockLanguageModelV4): CoreDeps {
  return {
    retriever: {
      search: async () => found,
      addArticles: async () => {},
      articles: () => [],
      passages: () => found,
    },
    ...(model ? { model } : {}),
    llm: { timeoutMs: 1000, maxRetries: 0 },
    store: {} as Store, // answer() keeps no history itself
    clock: () => new Date("2026-02-04T10:00:00Z"),
    log: silentLogger(),
  };
}

describe("answer", () => {
  it("asks no model when nothing in the story matched, and says why", async () => {
    const model = new MockLanguageModelV4();
    const result = await answer(deps([], model), { question: "What is the weather in Muscat?", history: [] });
    expect(result.mode).toBe("extractive");
    expect(result.outcome).toBe("doesnt_say");
    expect(result.answer).toMatch(/doesn't say/);
    expect(result.notice).toMatch(/Nothing in the story matched/);
    expect(model.doStreamCalls).toHaveLength(0);
  });

  it("answers extractively with a notice when no model is configured", async () => {
    const result = await answer(deps([passage]), {
      question: "Where were the talks originally scheduled?",
      history: [],
    });
    expect(result.mode).toBe("extractive");
    expect(result.notice).toMatch(/No language model is configured/);
    expect(result.answer).toContain("Istanbul");
    expect(result.citations[0]?.quote).toBe(passage.text);
  });

  it("refuses a bad question before any model call", async () => {
    const model = new MockLanguageModelV4();
    await expect(
      answer(deps([passage], model), { question: "\u200b \u200b", history: [] }),
    ).rejects.toBeInstanceOf(UserError);
    expect(model.doStreamCalls).toHaveLength(0);
  });
});
