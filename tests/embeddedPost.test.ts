// Readers ask about an embedded post by what it is ("the tweet") or who posted it; the answer must
// find it and say that the claim is the post's, not the outlet's.
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { extractiveAnswer } from "../src/answer/extractiveAnswer.ts";
import { loadArticles } from "../src/corpus/loadArticles.ts";
import { silentLogger } from "../src/log.ts";
import { createRetriever } from "../src/retrieval/createRetriever.ts";
import type { Retriever } from "../src/types.ts";

let retriever: Retriever;
beforeAll(async () => {
  const log = silentLogger();
  retriever = await createRetriever({
    articles: await loadArticles(path.resolve("data/articles"), log),
    log,
  });
});

describe.each([
  "What did the tweet say?",
  "What did the post on X say about the drone?",
  "What did Gunther Eagleman say?",
])("%s", (question) => {
  it("retrieves the embedded post first and answers from it, saying it is a post", async () => {
    const passages = await retriever.search(question, 6);
    expect(passages[0]?.embeddedPost?.handle).toBe("GuntherEagleman");
    const result = extractiveAnswer(question, passages);
    expect(result.outcome).not.toBe("doesnt_say");
    expect(result.answer).toMatch(/embedded post by Gunther Eagleman/);
    expect(result.citations[0]?.embeddedPost?.author).toMatch(/Gunther Eagleman/);
  });
});
