// What the core is given. Apart from types.ts because the store is among it and the store's records
// are made of types.ts's shapes: in one file, types and store would import each other.
import type { EmbeddingModel, LanguageModel } from "ai";
import type { ArticleShelf } from "./ingest/articleShelf.ts";
import type { Logger } from "./log.ts";
import type { Store } from "./store/store.ts";
import type { LlmBudget, LlmSettings, Retriever } from "./types.ts";

/** Everything the core needs from outside, passed in so tests are deterministic. */
export interface CoreDeps {
  retriever: Retriever;
  /** Absent when no LLM is configured: answers are extractive. */
  model?: LanguageModel;
  embeddingModel?: EmbeddingModel;
  llm: LlmSettings;
  /** Per-server daily allowance of model answers; absent means no limit. */
  llmBudget?: LlmBudget;
  store: Store;
  /** Where ingested articles go; absent means the corpus directory. */
  shelf?: ArticleShelf;
  clock: () => Date;
  log: Logger;
}
