// Reciprocal rank fusion: each ranking gives an item 1 / (k + rank), rank counted from 1. It needs no
// comparable scores, which BM25 and cosine similarity are not.

export interface FusedItem {
  id: string;
  score: number;
}

export const RRF_K = 60;

/** Fuses rankings (ids, best first) into one, best first; ties keep the order of first appearance. */
export function fuseRankings(rankings: readonly (readonly string[])[], k = RRF_K): FusedItem[] {
  const scores = new Map<string, number>();
  for (const ranking of rankings) {
    ranking.forEach((id, index) => {
      scores.set(id, (scores.get(id) ?? 0) + 1 / (k + index + 1));
    });
  }
  return [...scores].map(([id, score]) => ({ id, score })).sort((a, b) => b.score - a.score);
}
