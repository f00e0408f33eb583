// The models behind the LLM path, built from the OPENAI_* settings. With neither a key nor a base
// URL there is no model and every answer is extractive (offline). A base URL alone is enough: local
// OpenAI-compatible servers (Ollama, llama.cpp, vLLM, LM Studio) usually take no key. The key is
// handed to the provider and never logged.
import { createRequire } from "node:module";
import type { EmbeddingModel, LanguageModel } from "ai";
import type { Config } from "../config.ts";

// The provider is loaded only when a model is configured: an offline bot never calls it, and its code
// stays in the heap once loaded.
const require = createRequire(import.meta.url);

export interface Models {
  model?: LanguageModel;
  /** Present when OPENAI_EMBEDDING_MODEL is set: turns on hybrid retrieval. */
  embeddingModel?: EmbeddingModel;
}

// The provider insists on a key (it would look for OPENAI_API_KEY in the environment and throw), and
// sends it as a bearer token; servers that take no key ignore it.
export const KEYLESS_PLACEHOLDER = "no-key";

/** Whether the configuration names a model at all: a key (OpenAI's or a server's) or a base URL. */
export function modelConfigured(config: Pick<Config, "OPENAI_API_KEY" | "OPENAI_BASE_URL">): boolean {
  return Boolean(config.OPENAI_API_KEY || config.OPENAI_BASE_URL);
}

export function createModel(config: Config): Models {
  if (!modelConfigured(config)) return {};
  const { createOpenAI } = require("@ai-sdk/openai") as typeof import("@ai-sdk/openai");
  const provider = createOpenAI({
    apiKey: config.OPENAI_API_KEY ?? KEYLESS_PLACEHOLDER,
    // Any OpenAI-compatible server (Ollama, vLLM, LM Studio, llama.cpp) when set; OpenAI's otherwise.
    ...(config.OPENAI_BASE_URL ? { baseURL: config.OPENAI_BASE_URL } : {}),
  });
  const models: Models = {
    model:
      config.OPENAI_API === "chat"
        ? provider.chat(config.OPENAI_MODEL)
        : provider.responses(config.OPENAI_MODEL),
  };
  if (config.OPENAI_EMBEDDING_MODEL)
    models.embeddingModel = provider.embedding(config.OPENAI_EMBEDDING_MODEL);
  return models;
}
