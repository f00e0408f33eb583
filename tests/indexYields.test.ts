// Indexing many articles leaves the event loop turns in between, so that a running bot keeps
// answering while articles are added.
import { setImmediate as yieldToLoop } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { syntheticStory } from "../bench/syntheticCorpus.ts";
import { silentLogger } from "../src/log.ts";
import { createRetriever } from "../src/retrieval/createRetriever.ts";

describe("adding articles to the index", () => {
  it("gives the event loop turns while it works, and searches meanwhile still answer", async () => {
    const story = syntheticStory(400, 3);
    const retriever = await createRetriever({ articles: story.articles.slice(0, 1), log: silentLogger() });
    let adding = true;
    const during: number[] = [];
    const adder = retriever.addArticles(story.articles.slice(1)).finally(() => {
      adding = false;
    });
    while (adding) {
      await yieldToLoop();
      if (!adding) break;
      const hits = await retriever.search(story.questions[0] as string, 6);
      during.push(hits.length);
    }
    await adder;
    expect(during.length).toBeGreaterThan(0);
    expect(retriever.articles()).toHaveLength(400);
    const ids = new Set(retriever.passages().map((p) => p.id));
    expect(ids.size).toBe(retriever.passages().length);
  }, 60_000);
});
