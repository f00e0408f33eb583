import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MockEmbeddingModelV4 } from "ai/test";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadArticles } from "../src/corpus/loadArticles.ts";
import { silentLogger } from "../src/log.ts";
import { createRetriever, type RetrievalFeatures } from "../src/retrieval/createRetriever.ts";
import { fuseRankings } from "../src/retrieval/fuseRankings.ts";
import type { Article, Retriever } from "../src/types.ts";
import { capturingLogger } from "./testHelpers.ts";

const ROOT = join(import.meta.dirname, "..");
const log = silentLogger();

interface DevQuestion {
  id: string;
  kind: "answerable" | "unanswerable";
  q: string;
  evidence: string[];
}

/** Share of questions with an evidence string in one of the top k passages. */
async function recall(retriever: Retriever, questions: readonly DevQuestion[], k: number): Promise<number> {
  let hits = 0;
  for (const question of questions) {
    const passages = await retriever.search(question.q, k);
    if (passages.some((p) => question.evidence.some((e) => p.text.includes(e)))) hits++;
  }
  return hits / questions.length;
}

async function rankOf(retriever: Retriever, question: string, evidence: string): Promise<number> {
  const passages = await retriever.search(question, 10);
  return passages.findIndex((p) => p.text.includes(evidence)) + 1 || Number.POSITIVE_INFINITY;
}

function article(id: string, title: string, paragraphs: string[]): Article {
  return { id, title, ingestedAt: "2026-02-01T00:00:00.000Z", paragraphs };
}

describe("retrieval on the story", () => {
  let story: Article[];
  let answerable: DevQuestion[];
  beforeAll(async () => {
    story = await loadArticles(join(ROOT, "data", "articles"), log);
    const dev = JSON.parse(await readFile(join(ROOT, "data", "eval-questions.json"), "utf8")) as {
      questions: DevQuestion[];
    };
    answerable = dev.questions.filter((q) => q.kind === "answerable");
  });

  it("finds the evidence of ≥ 95 % of the answerable development questions in the top 5", async () => {
    const retriever = await createRetriever({ articles: story, log });
    const at5 = await recall(retriever, answerable, 5);
    const at1 = await recall(retriever, answerable, 1);
    console.info(
      `retrieval on ${answerable.length} dev questions: recall@1 ${at1.toFixed(2)}, recall@5 ${at5.toFixed(2)}`,
    );
    expect(answerable.length).toBeGreaterThan(0);
    expect(at5).toBeGreaterThanOrEqual(0.95);
  });

  it("finds passages for questions worded differently from the article", async () => {
    const retriever = await createRetriever({ articles: story, log });
    expect(
      await rankOf(
        retriever,
        "How long did the PM and the envoy talk?",
        "The meeting, which lasted over three hours",
      ),
    ).toBeLessThanOrEqual(3);
    expect(
      await rankOf(retriever, "Who heads IDF intelligence?", "IDF Intelligence Chief Shlomi Binder"),
    ).toBeLessThanOrEqual(3);
  });

  it("returns passages best first with their ids, text and scores, at most k", async () => {
    const retriever = await createRetriever({ articles: story, log });
    const passages = await retriever.search("Who commands the Israeli Air Force?", 4);
    expect(passages).toHaveLength(4);
    const scores = passages.map((p) => p.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    for (const p of passages) {
      expect(p.id).toBe(`${p.articleId}#${p.paragraph}`);
      expect(retriever.passages().find((q) => q.id === p.id)?.text).toBe(p.text);
    }
    expect(await retriever.search("   ", 5)).toEqual([]);
    expect(await retriever.search("Air Force", 0)).toEqual([]);
  });

  it("keeps the embedded post's attribution on the retrieved passage", async () => {
    const retriever = await createRetriever({ articles: story, log });
    const [top] = await retriever.search("What did the F-35 take out, according to the tweet?", 1);
    expect(top?.embeddedPost?.handle).toBe("GuntherEagleman");
  });

  it("measures each improvement separately", async () => {
    const variants: Record<string, RetrievalFeatures> = {
      bm25: { expansion: false, sentenceScoring: false, neighbours: false },
      expansion: { sentenceScoring: false, neighbours: false },
      sentences: { expansion: false, neighbours: false },
      all: {},
    };
    const figures: string[] = [];
    const byName = new Map<string, number>();
    for (const [name, features] of Object.entries(variants)) {
      const retriever = await createRetriever({ articles: story, log, features });
      const at1 = await recall(retriever, answerable, 1);
      const at5 = await recall(retriever, answerable, 5);
      figures.push(`${name} ${at1.toFixed(2)}/${at5.toFixed(2)}`);
      byName.set(name, at5);
    }
    console.info(`recall@1/@5 by features: ${figures.join(", ")}`);
    // Together the improvements find at least what each finds alone.
    for (const at5 of byName.values()) expect(byName.get("all")).toBeGreaterThanOrEqual(at5);
  });
});

describe("retrieval features", () => {
  const talks = article("talks", "Leaders meet in Geneva", [
    "The summit between the two leaders lasted four hours on Friday.",
    "Rain fell across the capital while crowds waited outside.",
    "Vessels gathered in the harbour at dawn.",
  ]);

  it("expansion finds a passage that shares no word with the question", async () => {
    const expanded = await createRetriever({ articles: [talks], log });
    const literal = await createRetriever({ articles: [talks], log, features: { expansion: false } });
    const question = "How long did the talks go on?";
    expect((await expanded.search(question, 1))[0]?.id).toBe("talks#1");
    expect(await literal.search(question, 3)).toEqual([]);
  });

  it("sentence scoring prefers the passage whose one sentence holds the question together", async () => {
    const briefing = article("a", "Briefing", [
      "The minister defended the budget. The budget vote is due. The minister left for the harbour city. The harbour was busy.",
      "Weather was mild and markets were calm for most of the day across the region. The minister approved the harbour budget.",
    ]);
    const question = "What did the minister do about the harbour budget?";
    const top = async (features: RetrievalFeatures) =>
      (await (await createRetriever({ articles: [briefing], log, features })).search(question, 1))[0]?.id;
    // BM25 alone prefers the paragraph that repeats the words in different sentences.
    expect(await top({ expansion: false, sentenceScoring: false })).toBe("a#1");
    expect(await top({ expansion: false })).toBe("a#2");
  });

  it("neighbouring paragraphs lift a passage next to one about the question", async () => {
    const report = article("n", "Report", [
      "It went on late into the night.",
      "A concert was held in the park.",
      "The negotiations with the envoy stalled.",
      "It went on late into the night.",
    ]);
    const question = "Did the envoy's negotiations go on late?";
    const ranking = async (features: RetrievalFeatures) =>
      (await (await createRetriever({ articles: [report], log, features })).search(question, 4)).map(
        (p) => p.id,
      );
    // Alone, the two identical paragraphs tie and keep reading order; the neighbour breaks the tie.
    expect(await ranking({ expansion: false, neighbours: false })).toEqual(["n#3", "n#1", "n#4"]);
    expect(await ranking({ expansion: false })).toEqual(["n#3", "n#4", "n#1"]);
  });
});

describe("addArticles", () => {
  it("makes a new article findable and replaces an article by id, in place", async () => {
    const first = article("one", "Port reopens", ["The harbour reopened after the storm."]);
    const retriever = await createRetriever({ articles: [first], log });
    expect(await retriever.search("pipeline explosion", 5)).toEqual([]);

    await retriever.addArticles([
      article("two", "Pipeline blast", ["An explosion hit the gas pipeline overnight."]),
    ]);
    expect((await retriever.search("pipeline explosion", 1))[0]?.id).toBe("two#1");
    expect(retriever.articles().map((a) => a.id)).toEqual(["one", "two"]);

    await retriever.addArticles([
      article("one", "Port stays shut", ["Cranes stood idle.", "Workers went home."]),
    ]);
    expect(retriever.articles().map((a) => a.title)).toEqual(["Port stays shut", "Pipeline blast"]);
    expect(retriever.passages().map((p) => p.id)).toEqual(["one#0", "one#1", "one#2", "two#0", "two#1"]);
    expect(await retriever.search("harbour storm", 5)).toEqual([]);
    expect((await retriever.search("idle cranes", 1))[0]?.id).toBe("one#1");
  });
});

describe("fuseRankings", () => {
  it("adds 1/(k + rank) from each ranking", () => {
    const fused = fuseRankings([
      ["a", "b", "c"],
      ["c", "a"],
    ]);
    expect(fused.map((f) => f.id)).toEqual(["a", "c", "b"]);
    expect(fused[0]?.score).toBeCloseTo(1 / 61 + 1 / 62, 12);
    expect(fused[1]?.score).toBeCloseTo(1 / 63 + 1 / 61, 12);
    expect(fused[2]?.score).toBeCloseTo(1 / 62, 12);
  });
});

describe("hybrid retrieval with embeddings", () => {
  // A toy embedding: one dimension per theme, so "weather" meets "rain" although no word is shared.
  const THEMES = [/summit|talks|meeting/i, /rain|weather|storm/i, /vessel|ship|boat|harbour/i];
  const embedText = (text: string) => [...THEMES.map((theme) => (theme.test(text) ? 1 : 0)), 0.1];
  const corpus = [
    article("g", "Geneva", [
      "The summit between the two leaders lasted four hours.",
      "Rain fell across the capital while crowds waited outside.",
      "Vessels gathered in the harbour at dawn.",
    ]),
  ];

  let cacheDir: string;
  beforeEach(async () => {
    cacheDir = await mkdtemp(join(tmpdir(), "storybot-embeddings-"));
  });
  afterEach(async () => {
    await rm(cacheDir, { recursive: true, force: true });
  });

  function embeddingModel(fail?: (values: string[]) => boolean) {
    return new MockEmbeddingModelV4({
      maxEmbeddingsPerCall: 100,
      doEmbed: async ({ values }) => {
        if (fail?.(values)) throw new Error("embedding service unavailable");
        return { embeddings: values.map(embedText), warnings: [] };
      },
    });
  }

  it("fuses BM25 and embedding rankings by reciprocal rank", async () => {
    const retriever = await createRetriever({
      articles: corpus,
      log,
      embeddingModel: embeddingModel(),
      cacheDir,
    });
    const lexicalOnly = await createRetriever({ articles: corpus, log });

    // No shared word: BM25 finds nothing, the embedding ranks the rain paragraph first.
    expect(await lexicalOnly.search("What was the weather like?", 3)).toEqual([]);
    const [weather] = await retriever.search("What was the weather like?", 3);
    expect(weather?.id).toBe("g#2");
    expect(weather?.score).toBeCloseTo(1 / 61, 12);

    // Both rankings put the summit first: it gets both shares.
    const [lexicalTop] = await lexicalOnly.search("How long was the summit?", 1);
    const [summit] = await retriever.search("How long was the summit?", 1);
    expect(lexicalTop?.id).toBe("g#1");
    expect(summit?.id).toBe("g#1");
    expect(summit?.score).toBeCloseTo(2 / 61, 12);
  });

  it("caches embeddings on disk: a second start embeds no passage, an added article only its own", async () => {
    const first = embeddingModel();
    await createRetriever({ articles: corpus, log, embeddingModel: first, cacheDir });
    expect(first.doEmbedCalls.flatMap((call) => call.values)).toHaveLength(4);
    const files = await readdir(cacheDir);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^embeddings-.*\.json$/);

    const second = embeddingModel();
    const retriever = await createRetriever({ articles: corpus, log, embeddingModel: second, cacheDir });
    expect(second.doEmbedCalls).toHaveLength(0);
    await retriever.search("What was the weather like?", 3);
    expect(second.doEmbedCalls.map((call) => call.values)).toEqual([["What was the weather like?"]]);

    await retriever.addArticles([
      ...corpus,
      article("h", "Harbour", ["Ships left the harbour.", "The storm passed."]),
    ]);
    expect(second.doEmbedCalls.slice(1).flatMap((call) => call.values)).toHaveLength(3);
    expect(await readdir(cacheDir)).toEqual(files);
  });

  it("falls back to BM25 with a warning when embedding fails", async () => {
    const lexicalOnly = await createRetriever({ articles: corpus, log });
    const expected = await lexicalOnly.search("How long was the summit?", 3);

    const broken = capturingLogger();
    const failing = await createRetriever({
      articles: corpus,
      log: broken.log,
      embeddingModel: embeddingModel(() => true),
      cacheDir,
    });
    expect(await failing.search("How long was the summit?", 3)).toEqual(expected);
    expect(broken.lines.some((line) => line.level === 40 && /unavailable/.test(String(line.reason)))).toBe(
      true,
    );

    // Passages embedded, but the question's embedding fails: still BM25 alone, with a warning.
    const question = "How long was the summit?";
    const atQueryTime = capturingLogger();
    const flaky = await createRetriever({
      articles: corpus,
      log: atQueryTime.log,
      embeddingModel: embeddingModel((values) => values.includes(question)),
      cacheDir,
    });
    expect(await flaky.search(question, 3)).toEqual(expected);
    expect(
      atQueryTime.lines.some((line) => line.level === 40 && /question failed/.test(String(line.msg))),
    ).toBe(true);
  });
});
