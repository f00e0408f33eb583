// The passages sent to the model with a question, chosen by a token budget rather than a count: a
// story that fits is sent whole, in article order, so a retrieval miss cannot starve the model;
// a larger corpus sends its best passages for the question until the budget is spent.
import type { Passage, RetrievedPassage, Retriever } from "../types.ts";

/** Default budget of the passages sent with one question, in tokens. */
export const DEFAULT_PASSAGE_TOKENS = 6_000;
// A passage's label and fence in the prompt ("[3] (Title, paragraph 3)") cost a few tokens too.
const LABEL_TOKENS = 12;
// Passages retrieved for a corpus that does not fit: enough to fill the budget with passages of
// average size, with some to spare for longer ones.
const CANDIDATES_SPARE = 1.5;
const MAX_CANDIDATES = 40;
/** Passages scoring under this share of the best one are not sent, budget or not. */
const MIN_SCORE_SHARE = 0.25;

/** Rough token count of English text: about four characters a token. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

export function passageTokens(passage: Passage): number {
  return estimateTokens(passage.text) + estimateTokens(passage.title) + LABEL_TOKENS;
}

// The corpus's size in tokens, worked out once per corpus (retriever.passages() changes only when
// articles are added).
const corpusTokens = new WeakMap<readonly Passage[], number>();

function tokensOf(all: readonly Passage[]): number {
  let total = corpusTokens.get(all);
  if (total === undefined) {
    total = all.reduce((sum, p) => sum + passageTokens(p), 0);
    corpusTokens.set(all, total);
  }
  return total;
}

/** How many passages to retrieve so that the best of them fill `budget` (at least `k`). */
export function passagesToRetrieve(retriever: Retriever, budget: number, k: number): number {
  const all = retriever.passages();
  const total = tokensOf(all);
  if (total <= budget || all.length === 0) return k;
  const average = total / all.length;
  return Math.max(k, Math.min(MAX_CANDIDATES, Math.ceil((budget / average) * CANDIDATES_SPARE)));
}

/**
 * The passages for the model: the whole story when it fits `budget` (tokens), in article order,
 * with the scores of `retrieved`; else `retrieved` (the question's best passages, best first) until
 * the budget is spent or they score under a quarter of the best.
 */
export function passagesForModel(
  retriever: Retriever,
  retrieved: readonly RetrievedPassage[],
  budget: number,
): RetrievedPassage[] {
  const all = retriever.passages();
  if (tokensOf(all) <= budget) {
    const scores = new Map(retrieved.map((p) => [p.id, p.score]));
    return all.map((p) => ({ ...p, score: scores.get(p.id) ?? 0 }));
  }
  const chosen: RetrievedPassage[] = [];
  let spent = 0;
  const floor = (retrieved[0]?.score ?? 0) * MIN_SCORE_SHARE;
  for (const passage of retrieved) {
    // Passages far below the best are about something else: they would only cost the model (and the
    // checks) their reading.
    if (chosen.length > 0 && passage.paragraph !== 0 && passage.score < floor) break;
    const cost = passageTokens(passage);
    // The best passage always goes, even alone over the budget.
    if (chosen.length > 0 && spent + cost > budget) continue;
    chosen.push(passage);
    spent += cost;
  }
  return chosen;
}
