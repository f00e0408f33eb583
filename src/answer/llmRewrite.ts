// Turns a follow-up ("And where were they supposed to meet before?") into a question that retrieval
// can answer alone, using the conversation. On any failure the caller uses its offline heuristic.
import { generateText } from "ai";
import { callLlm, type LlmDeps, LlmError } from "../llm/callLlm.ts";
import { REWRITE_SYSTEM_PROMPT, rewriteMessages } from "../llm/prompts.ts";
import type { Turn } from "../types.ts";

/** A rewrite this much longer than the question is not a rewrite of it. */
const MAX_GROWTH_CHARS = 300;

/** The standalone question; the question itself when there is no history (no call is made). */
export async function llmRewrite(
  deps: LlmDeps,
  question: string,
  history: Turn[],
  signal?: AbortSignal,
): Promise<string> {
  if (history.length === 0) return question;
  return callLlm(deps, signal, async (callSignal) => {
    const result = await generateText({
      model: deps.model,
      instructions: REWRITE_SYSTEM_PROMPT,
      messages: rewriteMessages(question, history),
      maxRetries: 0,
      abortSignal: callSignal,
      // The bot registers no telemetry: without it the SDK skips its telemetry dispatch for the call.
      telemetry: { isEnabled: false },
    });
    return standaloneLine(result.text, question);
  });
}

/** The question in a rewrite reply: models sometimes add a label, quotes or a second line. */
function standaloneLine(text: string, question: string): string {
  const line = (text.split("\n").find((l) => l.trim()) ?? "")
    .trim()
    .replace(/^(?:standalone question|question)\s*:\s*/i, "")
    .replace(/^["'“”]+|["'“”]+$/g, "")
    .trim();
  if (!line) throw new LlmError("sent an empty answer");
  if (line.length > question.length + MAX_GROWTH_CHARS) throw new LlmError("sent malformed output");
  return line;
}
