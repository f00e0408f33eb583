// The answer pipeline, Discord-free: validate → make the question stand alone → retrieve → the
// offline reader's verdict (a question about what the story lacks is refused here, without a model
// call) → LLM with the passages its token budget holds (streamed, checked) → extractive fallback.
// Adapters (CLI, Discord) call only this.

import { onlyReporting } from "../citations/notReporting.ts";
import type { CoreDeps } from "../coreDeps.ts";
import type { AnswerResult, RetrievedPassage, Turn } from "../types.ts";
import { articleField } from "./articleQuestion.ts";
import { extractiveAnswer, storyLacks } from "./extractiveAnswer.ts";
import { type LlmAnswerResult, LlmError, llmAnswer } from "./llmAnswer.ts";
import { llmRewrite } from "./llmRewrite.ts";
import { DEFAULT_PASSAGE_TOKENS, passagesForModel, passagesToRetrieve } from "./passagesForModel.ts";
import { rewriteQuestion } from "./rewriteQuestion.ts";
import { validateQuestion } from "./validateQuestion.ts";

/** How many passages are retrieved for the offline reader (the model's are chosen by a token budget). */
export const TOP_K = 8;

export interface AskInput {
  question: string;
  /** Earlier turns of this conversation, oldest first. */
  history: Turn[];
  /** Receives the answer so far, already checked, while the model writes it. */
  onText?: (visible: string) => void;
  /** Receives, as the model writes, a function that works out the answer so far (see LlmAnswerInput). */
  onProgress?: (visible: () => string) => void;
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
  const budget = deps.llm.passageTokens ?? DEFAULT_PASSAGE_TOKENS;
  // One search serves both: the reader reads the best few, the model gets as many as its budget holds.
  const k = deps.model ? passagesToRetrieve(deps.retriever, budget, TOP_K) : TOP_K;
  const found = await retrieve(deps, standalone, k);
  const passages = found.slice(0, TOP_K);
  // Sentences that give orders instead of reporting (prompt injection) are never quoted.
  const readable = onlyReporting(passages);
  const vocabulary = deps.retriever.vocabulary?.();

  // Evidence that the story lacks what the question is about: no model need be asked.
  const lacking = deps.model !== undefined && storyLacks(standalone, readable, vocabulary);
  const outcome = lacking
    ? { notice: NOTHING_FOUND_NOTICE }
    : await modelAnswer(deps, input, question, passagesForModel(deps.retriever, found, budget));
  if ("result" in outcome) {
    const { passages: sent, ...result } = outcome.result;
    return { question, standalone, ...result, mode: "llm", passages: sent };
  }
  const extractive = extractiveAnswer(standalone, readable, vocabulary);
  return {
    question,
    standalone,
    ...extractive,
    mode: "extractive",
    notice: outcome.notice,
    passages: readable,
  };
}

/** The model's answer, or why there is none (so the answer is extractive). */
async function modelAnswer(
  deps: CoreDeps,
  input: AskInput,
  question: string,
  passages: RetrievedPassage[],
): Promise<{ result: LlmAnswerResult & { passages: RetrievedPassage[] } } | { notice: string }> {
  if (!deps.model) return { notice: NO_MODEL_NOTICE };
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
        ...(input.onProgress ? { onProgress: input.onProgress } : {}),
        ...(input.signal ? { signal: input.signal } : {}),
      },
    );
    return { result: { ...result, passages } };
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

/**
 * The passages the answerer reads for `question`, best first: the search's, with the article's
 * headline passage first for a question about the article itself. `storybot eval` scores these.
 */
export async function retrieve(deps: CoreDeps, question: string, k: number): Promise<RetrievedPassage[]> {
  return withHeadline(deps, question, await deps.retriever.search(question, k));
}

/**
 * A question about the article itself ("who wrote it?") gets its article's headline passage first,
 * where those details are: the article of the best passage, else the newest article. A question about
 * its writers or outlet also gets the article's own credit line next ("The X Staff is a team of
 * journalists …"), the words the headline passage's "Written by" line is taken from.
 */
function withHeadline(deps: CoreDeps, question: string, passages: RetrievedPassage[]): RetrievedPassage[] {
  const field = articleField(question);
  if (!field) return passages;
  const articleId = passages[0]?.articleId ?? deps.retriever.articles().at(-1)?.id;
  const own = deps.retriever.passages().filter((p) => p.articleId === articleId);
  const first = own.filter((p) => p.paragraph === 0);
  const byline = deps.retriever.articles().find((a) => a.id === articleId)?.byline;
  if (byline && (field === "byline" || field === "source")) {
    const credit = own.filter((p) => p.paragraph > 0 && p.text.includes(byline));
    const line = credit.find((p) => p.paragraph === 1) ?? credit.at(-1);
    if (line) first.push(line);
  }
  const score = passages[0]?.score ?? 0;
  const ids = first.map((p) => p.id);
  return [...first.map((p) => ({ ...p, score })), ...passages.filter((p) => !ids.includes(p.id))];
}

function fallbackNotice(error: unknown): string {
  const reason = error instanceof LlmError ? error.reason : "failed";
  return `The language model ${reason}, so this answer quotes the story's own sentences.`;
}
