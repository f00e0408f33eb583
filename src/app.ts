// Builds the core from configuration: corpus (the story and what was added since), index, model,
// store. Every adapter starts here.
import path from "node:path";
import type { Config } from "./config.ts";
import type { CoreDeps } from "./coreDeps.ts";
import { loadCorpus } from "./corpus/loadCorpus.ts";
import { openParsedArticleCache } from "./corpus/parsedArticleCache.ts";
import { loadWordNet } from "./lexicon/wordnet.ts";
import { createModel } from "./llm/createModel.ts";
import { createLlmBudget } from "./llm/llmBudget.ts";
import type { Logger } from "./log.ts";
import { createRetriever } from "./retrieval/createRetriever.ts";
import type { Coordination } from "./store/coordination.ts";
import { openStorage } from "./store/openStorage.ts";
import type { Article } from "./types.ts";

export interface Core extends CoreDeps {
  config: Config;
  /** Work one process at a time does (feed polls), across every process sharing the store. */
  coordination: Coordination;
  close(): Promise<void>;
}

export interface CoreOptions {
  clock?: () => Date;
  /** Open the database on first use instead of now. */
  lazyStore?: boolean;
}

export async function createCore(config: Config, log: Logger, options: CoreOptions = {}): Promise<Core> {
  const clock = options.clock ?? (() => new Date());
  const { model, embeddingModel } = createModel(config);
  // The bot opens the database at once (a second bot must fail at start-up, not at its first
  // question); one-off commands open a lowdb file only if they use it. PostgreSQL is opened (and
  // migrated) at once: it holds part of the corpus.
  const storage = await openStorage({
    dataDir: config.DATA_DIR,
    databaseUrl: config.DATABASE_URL,
    log,
    clock,
    retention: {
      maxAgeDays: config.HISTORY_RETENTION_DAYS,
      maxTurnsPerConversation: config.HISTORY_MAX_TURNS,
    },
    lazy: options.lazyStore ?? false,
  });
  let retriever: Awaited<ReturnType<typeof createRetriever>>;
  let articles: Article[];
  try {
    const cacheDir = path.join(config.DATA_DIR, "cache");
    // Unchanged articles come parsed from the cache: start-up does not split them into passages again.
    const cache = await openParsedArticleCache(cacheDir, log);
    const corpus = await loadCorpus(config.DATA_DIR, log, { ...(cache && { cache }) });
    articles = withSharedArticles(corpus.articles, await storage.loadSharedArticles(), log);
    retriever = await createRetriever({
      articles,
      passagesOf: corpus.passagesOf,
      log,
      cacheDir,
      ...(embeddingModel ? { embeddingModel } : {}),
    });
  } catch (error) {
    await storage.close().catch(() => undefined);
    throw error;
  }
  // A serving process follows articles other processes add (PostgreSQL), and reads WordNet now rather
  // than at its first question; one-off commands need not.
  if (!options.lazyStore) {
    storage.follow(retriever);
    loadWordNet();
  }
  const { store } = storage;
  log.debug({ articles: articles.length, passages: retriever.passages().length }, "story loaded");
  return {
    config,
    retriever,
    ...(model ? { model } : {}),
    ...(embeddingModel ? { embeddingModel } : {}),
    llm: {
      timeoutMs: config.LLM_TIMEOUT_MS,
      maxRetries: config.LLM_MAX_RETRIES,
      passageTokens: config.LLM_PASSAGE_TOKENS,
    },
    // 0 turns the allowance off.
    ...(config.LLM_DAILY_BUDGET > 0
      ? { llmBudget: createLlmBudget(store, clock, config.LLM_DAILY_BUDGET) }
      : {}),
    store,
    shelf: storage.shelf,
    coordination: storage.coordination,
    clock,
    log,
    close: () => storage.close(),
  };
}

/** The corpus directory's articles and the database's; the database's copy wins an id both have. */
function withSharedArticles(files: Article[], shared: Article[], log: Logger): Article[] {
  if (shared.length === 0) return files;
  const sharedIds = new Set(shared.map((article) => article.id));
  const kept = files.filter((article) => !sharedIds.has(article.id));
  if (kept.length < files.length) {
    log.debug({ articles: files.length - kept.length }, "articles in both the directory and the database");
  }
  return [...kept, ...shared];
}
