// The passages sent to the model with a question, chosen by a token budget rather than a count: a
// story that fits is sent whole, in article order, so a retrieval miss cannot starve the model;
// a larger corpus sends its best passages for the question until the budget is spent.
import type { Passage, RetrievedPassage, Retriever } from "../types.ts";

/** Default budget of the passages sent with one question, in tokens. */
export const DEFAULT_PASSAGE_TOKENS = 6_000;
// A passage's label and fence in the prompt ("[3] (Title, paragraph 3)") cost a few tokens too.
const LABEL_TOKENS = 12;
// Candidates retrieved when the corpus does not fit: more than any budget takes.
const MAX_CANDIDATES = 200;

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

/**
 * The passages for the model. `retrieved` are the question's best passages, best first (their scores
 * are kept); `budget` is in tokens.
 */
export async function passagesForModel(
  retriever: Retriever,
  question: string,
  retrieved: readonly RetrievedPassage[],
  budget: number,
): Promise<RetrievedPassage[]> {
  const all = retriever.passages();
  let total = corpusTokens.get(all);
  if (total === undefined) {
    total = all.reduce((sum, p) => sum + passageTokens(p), 0);
    corpusTokens.set(all, total);
  }
  if (total <= budget) {
    const scores = new Map(retrieved.map((p) => [p.id, p.score]));
    return all.map((p) => ({ ...p, score: scores.get(p.id) ?? 0 }));
  }
  const candidates = await retriever.search(question, Math.min(MAX_CANDIDATES, all.length));
  // A headline the pipeline put first (a question about the article itself) stays first.
  const headlines = retrieved.filter((p) => p.paragraph === 0);
  const ranked = [...headlines, ...candidates.filter((c) => !headlines.some((h) => h.id === c.id))];
  const chosen: RetrievedPassage[] = [];
  let spent = 0;
  for (const passage of ranked) {
    const cost = passageTokens(passage);
    // The best passage always goes, even alone over the budget.
    if (chosen.length > 0 && spent + cost > budget) continue;
    chosen.push(passage);
    spent += cost;
  }
  return chosen;
}
