// Builds the core from configuration: corpus (the story and what was added since), index, model,
// store. Every adapter starts here.
import path from "node:path";
import type { Config } from "./config.ts";
import { loadCorpus } from "./corpus/loadCorpus.ts";
import { openParsedArticleCache } from "./corpus/parsedArticleCache.ts";
import { createModel } from "./llm/createModel.ts";
import { createLlmBudget } from "./llm/llmBudget.ts";
import type { Logger } from "./log.ts";
import { createRetriever } from "./retrieval/createRetriever.ts";
import { openStore } from "./store/lowdbStore.ts";
import { openStoreLazily } from "./store/openStoreLazily.ts";
import type { CoreDeps } from "./types.ts";

export interface Core extends CoreDeps {
  config: Config;
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
  const cacheDir = path.join(config.DATA_DIR, "cache");
  // Unchanged articles come parsed from the cache: start-up does not split them into passages again.
  const cache = await openParsedArticleCache(cacheDir, log);
  const { articles, passagesOf } = await loadCorpus(config.DATA_DIR, log, { ...(cache && { cache }) });
  const retriever = await createRetriever({
    articles,
    passagesOf,
    log,
    cacheDir,
    ...(embeddingModel ? { embeddingModel } : {}),
  });
  const storeOptions = {
    dataDir: config.DATA_DIR,
    log,
    clock,
    retention: {
      maxAgeDays: config.HISTORY_RETENTION_DAYS,
      maxTurnsPerConversation: config.HISTORY_MAX_TURNS,
    },
  };
  // The bot opens the database at once (a second bot must fail at start-up, not at its first
  // question); one-off commands open it only if they use it.
  const store = options.lazyStore
    ? openStoreLazily(() => openStore(storeOptions))
    : await openStore(storeOptions);
  log.debug({ articles: articles.length, passages: retriever.passages().length }, "story loaded");
  return {
    config,
    retriever,
    ...(model ? { model } : {}),
    ...(embeddingModel ? { embeddingModel } : {}),
    llm: { timeoutMs: config.LLM_TIMEOUT_MS, maxRetries: config.LLM_MAX_RETRIES },
    // 0 turns the allowance off.
    ...(config.LLM_DAILY_BUDGET > 0
      ? { llmBudget: createLlmBudget(store, clock, config.LLM_DAILY_BUDGET) }
      : {}),
    store,
    clock,
    log,
    close: () => store.close(),
  };
}
