// The LLM summary: the new articles' strongest passages and the story's most central ones go to the
// model under the same call policy as answers (deadline, retries) and the same output guard; only
// cited sentences survive.
import { generateText } from "ai";
import { guardAnswer } from "../citations/guardAnswer.ts";
import { citedNumbers } from "../citations/markers.ts";
import { callLlm, type LlmDeps, LlmError } from "../llm/callLlm.ts";
import { PROMPT_CANARY, SUMMARY_SYSTEM_PROMPT, summaryMessages } from "../llm/prompts.ts";
import { splitSentences } from "../text/sentences.ts";
import type { Article, Passage } from "../types.ts";
import type { DraftSummary } from "./extractiveSummary.ts";
import type { RankedSentence } from "./storySentences.ts";

const MAX_NEW_ARTICLES = 4;
const PASSAGES_PER_NEW_ARTICLE = 3;
const MAX_PASSAGES = 12;
/** Longest model text kept; the rest is cut at a sentence end so the post fits one message. */
const MAX_CHARS = 1_100;

/** The passages to send: each new article's lead and best passages, then the story's most central. */
export function passagesForModel(
  ranked: readonly RankedSentence[],
  newArticles: readonly Article[],
): Passage[] {
  const best = new Map<string, { passage: Passage; score: number }>();
  for (const s of ranked) {
    const seen = best.get(s.passage.id);
    if (!seen || s.score > seen.score) best.set(s.passage.id, { passage: s.passage, score: s.score });
  }
  const byScore = [...best.values()].sort((a, b) => b.score - a.score).map((b) => b.passage);
  const chosen: Passage[] = [];
  const add = (p: Passage | undefined) => {
    if (p && !chosen.includes(p) && chosen.length < MAX_PASSAGES) chosen.push(p);
  };
  for (const article of newArticles.slice(0, MAX_NEW_ARTICLES)) {
    const own = ranked.filter((s) => s.passage.articleId === article.id);
    add(own[0]?.passage);
    for (const p of byScore.filter((p) => p.articleId === article.id).slice(0, PASSAGES_PER_NEW_ARTICLE - 1))
      add(p);
  }
  for (const p of byScore) add(p);
  return chosen;
}

/** Asks the model for the summary; throws LlmError when it fails or writes no cited sentence. */
export async function llmSummary(
  deps: LlmDeps,
  input: { passages: Passage[]; newArticleIds: ReadonlySet<string>; signal?: AbortSignal },
): Promise<DraftSummary> {
  const messages = summaryMessages(input.passages, (p) => input.newArticleIds.has(p.articleId));
  const text = await callLlm(deps, input.signal, async (signal) => {
    const result = await generateText({
      model: deps.model,
      instructions: SUMMARY_SYSTEM_PROMPT,
      messages,
      // Retries belong to callLlm, which shares one deadline across attempts.
      maxRetries: 0,
      abortSignal: signal,
    });
    if (result.finishReason === "content-filter") throw new LlmError("refused to answer");
    return result.text;
  });
  if (!text.trim()) throw new LlmError("sent an empty answer");
  if (text.includes(PROMPT_CANARY)) throw new LlmError("tried to reveal its instructions");
  // As for answers: nothing that repeats an instruction planted in a passage is shown.
  const cited = keepCitedSentences(guardAnswer(text, input.passages), input.passages.length);
  if (!cited) throw new LlmError("answered without citations");
  return { text: cited, passages: input.passages };
}

/** The sentences carrying at least one marker that names a sent passage, up to MAX_CHARS. */
export function keepCitedSentences(text: string, passageCount: number): string {
  const kept: string[] = [];
  let length = 0;
  for (const { text: sentence } of splitSentences(text)) {
    const valid = citedNumbers(sentence).some((n) => n >= 1 && n <= passageCount);
    if (!valid) continue;
    if (length + sentence.length > MAX_CHARS && kept.length > 0) break;
    kept.push(sentence);
    length += sentence.length + 1;
  }
  return kept.join(" ");
}
