// One phrase saying which model answers, for start-up notices: what an operator needs to see to
// know the configuration took (the key itself is never shown).
import type { Config } from "../config.ts";
import { modelConfigured } from "./createModel.ts";

export function describeModel(
  config: Pick<Config, "OPENAI_API_KEY" | "OPENAI_BASE_URL" | "OPENAI_MODEL" | "OPENAI_API">,
): string {
  if (!modelConfigured(config))
    return "no language model, so answers quote the story (set OPENAI_API_KEY, or OPENAI_BASE_URL for a local server)";
  const where = config.OPENAI_BASE_URL ?? "OpenAI";
  const key = config.OPENAI_API_KEY ? "" : ", no key";
  return `model ${config.OPENAI_MODEL} at ${where} (${config.OPENAI_API} API${key})`;
}
