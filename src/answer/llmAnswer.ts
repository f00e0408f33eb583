// The LLM answer: the fenced passages and the question go to the model, the answer streams back
// through the citation check (so a reader never sees an unchecked marker), and anything that is not
// a cited answer or a plain "the story doesn't say" becomes an LlmError for the caller's fallback.
import {
  type FinishReason,
  type ModelMessage,
  experimental_streamLanguageModelCall as streamModelCall,
} from "ai";
import { checkCitations, visiblePartial } from "../citations/checkCitations.ts";
import { type AnswerGuard, createAnswerGuard } from "../citations/guardAnswer.ts";
import { callLlm, type LlmDeps, LlmError, summarize } from "../llm/callLlm.ts";
import { ANSWER_SYSTEM_PROMPT, answerMessages, PROMPT_CANARY, UNANSWERED_PREFIX } from "../llm/prompts.ts";
import { splitSentences } from "../text/sentences.ts";
import type { Citation, Outcome, RetrievedPassage, Turn } from "../types.ts";

// Re-exported so that callers of llmAnswer can recognise its failures.
export { LlmError } from "../llm/callLlm.ts";

export interface LlmAnswerInput {
  question: string;
  history: Turn[];
  passages: RetrievedPassage[];
  /** Called as the answer streams, with the text so far as it is safe to show (checked markers only). */
  onText?: (visible: string) => void;
  /**
   * For a caller that shows the answer so far only now and then (Discord's edit rate): called each time
   * a sentence or a marker ends, with a function that works out what onText would be given then (the
   * text so far as it is safe to show), so that the checks run only for the texts the caller shows.
   */
  onProgress?: (visible: () => string) => void;
  signal?: AbortSignal;
}

export interface LlmAnswerResult {
  answer: string;
  citations: Citation[];
  /** "doesnt_say" cites nothing; "closest" opens with the story not answering directly (CLOSEST_PREFIX). */
  outcome: Outcome;
}

// The protocol's opening for "the passages do not answer this" (UNANSWERED_PREFIX), as models spell it.
const UNANSWERED = /^\W*the story (?:doesn['’]t|does not) say/i;
// The protocol's opening for "the passages touch this but do not answer it" (CLOSEST_PREFIX).
const CLOSEST = /^\W*the story (?:doesn['’]t|does not) answer (?:that|this|it|the question) directly/i;
// Where a sentence or a citation marker can end.
const BOUNDARY = /[.!?…\]\n]/;
// "The passages don't mention …", "I couldn't find that in the story", "There is no information on …":
// the protocol's "doesn't say" in a model's own words.
const NOT_IN_STORY = [
  /\b(?:passages?|story|stories|articles?|sources?|text|context|excerpts?|report)\b[^.!?]{0,60}\b(?:do(?:es)?n['’]?t|do(?:es)? not|did not|didn['’]t|never|not)\b[^.!?]{0,30}\b(?:say|said|mention|contain|include|provide|state|specify|give|discuss|cover|address|answer|report|indicate|name|identify|explain|describe|detail|reveal)/i,
  /\b(?:no|not any|couldn['’]t find|could not find|cannot find|can['’]t find|unable to find)\b[^.!?]{0,30}\b(?:information|mention|details?|data|answer)\b/i,
  /\b(?:couldn['’]t|could not|cannot|can['’]t|am unable to|'m unable to|am not able to|'m not able to)\s+(?:find|answer|say|tell|determine|give|confirm)\b[^.!?]{0,60}\b(?:passages?|story|articles?|text|sources?)\b/i,
  /\bnothing in the (?:passages?|story|articles?|text)\b/i,
];
const REFUSAL =
  /^\W*(?:i'?m sorry|i am sorry|sorry,|i (?:can(?:no|')t|can’t|won'?t|am unable|'m unable)|as an ai)/i;

export async function llmAnswer(deps: LlmDeps, input: LlmAnswerInput): Promise<LlmAnswerResult> {
  const messages = answerMessages(input.question, input.history, input.passages);
  return callLlm(deps, input.signal, async (signal) => {
    const guard = createAnswerGuard(input.passages);
    let shown = "";
    const { text, finishReason } = await streamAnswer(deps, messages, signal, (soFar, delta) => {
      // What may be shown changes only when a sentence or a marker ends, so the checks run then
      // rather than on every delta (which would cost the square of the answer's length).
      if (!BOUNDARY.test(delta)) return;
      // Checked before anything is shown, so a leaked prompt stops within its first sentence.
      if (revealsInstructions(soFar)) throw new LlmError("tried to reveal its instructions");
      if (input.onProgress) input.onProgress(() => visiblePartial(guard(soFar, true), input.passages));
      if (!input.onText) return;
      const visible = visiblePartial(guard(soFar, true), input.passages);
      if (visible !== shown) {
        shown = visible;
        input.onText(visible);
      }
    });
    if (finishReason === "content-filter") throw new LlmError("refused to answer");
    if (finishReason === "error" || finishReason === "interrupted") throw new LlmError("stopped mid-answer");
    return judgeAnswer(text, input.passages, guard);
  });
}

/**
 * One streamed attempt. Errors before any text are thrown as they are (the policy may retry them);
 * an LlmError thrown by `onDelta` ends the stream at once.
 */
async function streamAnswer(
  deps: LlmDeps,
  messages: ModelMessage[],
  signal: AbortSignal,
  onDelta: (textSoFar: string, delta: string) => void,
): Promise<{ text: string; finishReason: FinishReason | undefined }> {
  // One model call, no step loop: the SDK's call without streamText's layers of web streams (steps,
  // tools, retries, replay, lifecycle callbacks), none of which an answer uses; retries belong to
  // callLlm, which shares one deadline across attempts.
  let failure: unknown;
  let text = "";
  let finishReason: FinishReason | undefined;
  try {
    const { stream } = await streamModelCall({
      model: deps.model,
      instructions: ANSWER_SYSTEM_PROMPT,
      messages,
      abortSignal: signal,
    });
    for await (const part of stream) {
      if (part.type === "text-delta") {
        text += part.text;
        onDelta(text, part.text);
      } else if (part.type === "error") {
        failure ??= part.error;
      } else if (part.type === "model-call-end") {
        finishReason = part.finishReason;
      }
    }
  } catch (error) {
    if (error instanceof LlmError) throw error;
    failure ??= error;
  }
  if (signal.aborted) failure ??= signal.reason;
  if (failure !== undefined) {
    deps.log.debug({ err: summarize(failure) }, "LLM stream error");
    if (signal.aborted) throw signal.reason;
    // Text was already shown: a retry would contradict it, so the stream's death is final.
    if (text) throw new LlmError("stopped mid-answer", { cause: failure });
    throw failure;
  }
  return { text, finishReason };
}

/** Accepts a cited answer or a plain "the story doesn't say"; anything else is an LlmError. */
function judgeAnswer(
  text: string,
  passages: readonly RetrievedPassage[],
  guard: AnswerGuard,
): LlmAnswerResult {
  if (!text.trim()) throw new LlmError("sent an empty answer");
  if (revealsInstructions(text)) throw new LlmError("tried to reveal its instructions");
  if (UNANSWERED.test(text)) {
    // The protocol's reply is that one sentence, uncited: whatever the model added after it or cited in
    // it is dropped rather than shown without a source.
    const sentence = splitSentences(text.trim())[0]?.text ?? text;
    return { answer: checkCitations(sentence, []).answer, citations: [], outcome: "doesnt_say" };
  }
  // Only sentences that rest on the passages they cite are shown (the guard, built once per answer).
  const checked = checkCitations(guard(text), passages);
  if (checked.citations.length === 0 && NOT_IN_STORY.some((pattern) => pattern.test(text)))
    return { answer: `${UNANSWERED_PREFIX}.`, citations: [], outcome: "doesnt_say" };
  if (checked.citations.length === 0)
    throw new LlmError(REFUSAL.test(text) ? "refused to answer" : "answered without citations");
  return { ...checked, outcome: CLOSEST.test(text) ? "closest" : "answered" };
}

// The opening words of each sentence of the system prompt that is long enough that no honest answer
// starts the same way: seeing one means the model is reciting its instructions.
const PROMPT_OPENINGS = ANSWER_SYSTEM_PROMPT.split(/\n|(?<=\.) /)
  .map(normalize)
  .filter((sentence) => sentence.length >= 40)
  .map((sentence) => sentence.slice(0, 40));

/** True when the text recites a sentence of the system prompt (a prompt-injection success). */
function revealsInstructions(text: string): boolean {
  const flat = normalize(text);
  return flat.includes(PROMPT_CANARY) || PROMPT_OPENINGS.some((opening) => flat.includes(opening));
}

function normalize(text: string): string {
  return text.toLowerCase().replace(/\s+/g, " ").trim();
}
