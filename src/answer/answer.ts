// The answer pipeline, Discord-free: validate → make the question stand alone → retrieve →
// LLM (streamed, checked) → extractive fallback. Adapters (CLI, Discord) call only this.

import { onlyReporting } from "../citations/notReporting.ts";
import type { CoreDeps } from "../coreDeps.ts";
import type { AnswerResult, RetrievedPassage, Turn } from "../types.ts";
import { extractiveAnswer } from "./extractiveAnswer.ts";
import { type LlmAnswerResult, LlmError, llmAnswer } from "./llmAnswer.ts";
import { llmRewrite } from "./llmRewrite.ts";
import { rewriteQuestion } from "./rewriteQuestion.ts";
import { validateQuestion } from "./validateQuestion.ts";

/** How many passages are retrieved and sent to the model. */
export const TOP_K = 6;

export interface AskInput {
  question: string;
  /** Earlier turns of this conversation, oldest first. */
  history: Turn[];
  /** Receives the answer so far, already checked, while the model writes it. */
  onText?: (visible: string) => void;
  signal?: AbortSignal;
  /** Whose daily allowance of model answers this question uses (a Discord server id, or "dm"); none without. */
  scope?: string;
}

const BUDGET_NOTICE =
  "Today's allowance of language-model answers here is used up, so this answer quotes the story's own sentences.";
const NOTHING_FOUND_NOTICE = "Nothing in the story matched the question, so no language model was asked.";
const NO_MODEL_NOTICE = "No language model is configured, so this answer quotes the story's own sentences.";

export async function answer(deps: CoreDeps, input: AskInput): Promise<AnswerResult> {
  const question = validateQuestion(input.question);
  const standalone = await standaloneQuestion(deps, question, input.history, input.signal);
  const passages = await deps.retriever.search(standalone, TOP_K);

  const outcome = await modelAnswer(deps, input, question, passages);
  if ("result" in outcome) return { question, standalone, ...outcome.result, mode: "llm", passages };

  // Sentences that give orders instead of reporting (prompt injection) are never quoted.
  const extractive = extractiveAnswer(standalone, onlyReporting(passages));
  return { question, standalone, ...extractive, mode: "extractive", notice: outcome.notice, passages };
}

/** The model's answer, or why there is none (so the answer is extractive). */
async function modelAnswer(
  deps: CoreDeps,
  input: AskInput,
  question: string,
  passages: RetrievedPassage[],
): Promise<{ result: LlmAnswerResult } | { notice: string }> {
  if (!deps.model) return { notice: NO_MODEL_NOTICE };
  if (passages.length === 0) return { notice: NOTHING_FOUND_NOTICE };
  if (deps.llmBudget && input.scope && !(await deps.llmBudget.take(input.scope)))
    return { notice: BUDGET_NOTICE };
  try {
    const result = await llmAnswer(
      { model: deps.model, llm: deps.llm, log: deps.log },
      {
        question,
        history: input.history,
        passages,
        ...(input.onText ? { onText: input.onText } : {}),
        ...(input.signal ? { signal: input.signal } : {}),
      },
    );
    return { result };
  } catch (error) {
    // A caller that gave up (shutdown, user gone) wants no answer at all.
    if (input.signal?.aborted) throw error;
    // callLlm has logged the failure itself.
    deps.log.info("answering from the story's sentences instead of the language model");
    return { notice: fallbackNotice(error) };
  }
}

/** Rewrites a follow-up into a question that stands alone, by the model when there is one. */
async function standaloneQuestion(
  deps: CoreDeps,
  question: string,
  history: Turn[],
  signal: AbortSignal | undefined,
): Promise<string> {
  if (history.length === 0) return question;
  if (deps.model) {
    try {
      return await llmRewrite({ model: deps.model, llm: deps.llm, log: deps.log }, question, history, signal);
    } catch (error) {
      if (signal?.aborted) throw error;
      deps.log.info("using the offline rewrite of the follow-up question");
    }
  }
  return rewriteQuestion(question, history);
}

function fallbackNotice(error: unknown): string {
  const reason = error instanceof LlmError ? error.reason : "failed";
  return `The language model ${reason}, so this answer quotes the story's own sentences.`;
}
