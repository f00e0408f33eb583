// The models behind the LLM path, built from the OPENAI_* settings. Without a key there is no model
// and every answer is extractive (offline); the key itself is handed to the provider and never logged.
import { createOpenAI } from "@ai-sdk/openai";
import type { EmbeddingModel, LanguageModel } from "ai";
import type { Config } from "../config.ts";

export interface Models {
  model?: LanguageModel;
  /** Present when OPENAI_EMBEDDING_MODEL is set: turns on hybrid retrieval. */
  embeddingModel?: EmbeddingModel;
}

export function createModel(config: Config): Models {
  if (!config.OPENAI_API_KEY) return {};
  const provider = createOpenAI({
    apiKey: config.OPENAI_API_KEY,
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
