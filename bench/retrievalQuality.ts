// Retrieval quality beside its speed: the development question set scored (with the eval's own
// scoring) for BM25 alone, BM25 with each improvement switched on, and everything on; and the time a
// search takes with each setting on a large synthetic corpus, so a trade of one for the other shows.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { answer, retrieve } from "../src/answer/answer.ts";
import { loadArticles } from "../src/corpus/loadArticles.ts";
import { loadEvalFile } from "../src/eval/evalFile.ts";
import { runEval } from "../src/eval/runEval.ts";
import type { Logger } from "../src/log.ts";
import { createRetriever, type RetrievalFeatures } from "../src/retrieval/createRetriever.ts";
import { openStore } from "../src/store/lowdbStore.ts";
import type { Article } from "../src/types.ts";
import { benchClock } from "./benchFixtures.ts";
import { percentile } from "./stats.ts";

const NONE: Required<RetrievalFeatures> = {
  expansion: false,
  wordnet: false,
  sentenceScoring: false,
  neighbours: false,
  embeddings: false,
};

/** Embeddings need an embedding model (a remote service), so the benchmark leaves them out. */
export const RETRIEVAL_SETTINGS: Record<string, RetrievalFeatures> = {
  bm25: NONE,
  expansion: { ...NONE, expansion: true },
  wordnet: { ...NONE, wordnet: true },
  sentenceScoring: { ...NONE, sentenceScoring: true },
  neighbours: { ...NONE, neighbours: true },
  all: {},
};

/**
 * recallAt1/recallAt5 per setting on the development set, and for everything on, the offline
 * (extractive) answers' accuracy, "doesn't say" rate, follow-up accuracy and citation problems.
 */
export async function retrievalQuality(dataDir: string, log: Logger): Promise<Record<string, number>> {
  const articles = await loadArticles(path.join(dataDir, "articles"), log);
  const file = await loadEvalFile(path.join(dataDir, "eval-questions.json"));
  const storeDir = await mkdtemp(path.join(tmpdir(), "storybot-bench-eval-"));
  const store = await openStore({ dataDir: storeDir, log, clock: benchClock });
  const figures: Record<string, number> = {};
  try {
    for (const [name, features] of Object.entries(RETRIEVAL_SETTINGS)) {
      const retriever = await createRetriever({ articles, log, features });
      const deps = { retriever, store, llm: { timeoutMs: 30_000, maxRetries: 0 }, clock: benchClock, log };
      const report = await runEval(
        (question, history) => answer(deps, { question, history }),
        (question, k) => retrieve(deps, question, k),
        file,
      );
      figures[`recallAt1.${name}`] = report.recallAt1 ?? Number.NaN;
      figures[`recallAt5.${name}`] = report.recallAt5 ?? Number.NaN;
      if (name === "all") {
        figures["extractiveAccuracy.all"] = report.accuracy ?? Number.NaN;
        figures["doesntSayRate.all"] = report.doesntSayRate ?? Number.NaN;
        figures["followupAccuracy.all"] = report.followupAccuracy ?? Number.NaN;
        figures["citationProblems.count"] = report.citationProblems;
      }
    }
  } finally {
    await store.close();
    await rm(storeDir, { recursive: true, force: true });
  }
  return figures;
}

/** Median search time per setting over `articles`, as `retrieveMs.p50.<setting>.articles<N>`. */
export async function retrievalSpeed(
  articles: readonly Article[],
  questions: readonly string[],
  searches: number,
  log: Logger,
): Promise<Record<string, number>> {
  const figures: Record<string, number> = {};
  for (const [name, features] of Object.entries(RETRIEVAL_SETTINGS)) {
    const retriever = await createRetriever({ articles: [...articles], log, features });
    const times: number[] = [];
    const warmup = Math.min(5, searches);
    for (let i = 0; i < warmup + searches; i++) {
      const started = performance.now();
      await retriever.search(questions[i % questions.length] as string, 6);
      if (i >= warmup) times.push(performance.now() - started);
    }
    figures[`retrieveMs.p50.${name}.articles${articles.length}`] = percentile(times, 50);
  }
  return figures;
}
