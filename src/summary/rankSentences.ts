// TextRank (Mihalcea & Tarau, 2004): sentences are nodes, edges weigh how many content words two
// sentences share, and PageRank over that graph scores the sentences the rest of the story echoes.
import { contentTerms } from "../text/words.ts";

const DAMPING = 0.85;
const MAX_ITERATIONS = 100;
const CONVERGED = 1e-6;

/** Overlap of two term sets, normalised by their lengths so long sentences don't win by size alone. */
export function similarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const term of a) if (b.has(term)) shared++;
  return shared === 0 ? 0 : shared / (Math.log(a.size + 1) + Math.log(b.size + 1));
}

/** The score of a text that shares no content word with any other: it echoes nothing in the story. */
export function isolatedScore(count: number): number {
  return (1 - DAMPING) / count;
}

/** One score per text: higher means more central to the whole. */
export function rankSentences(texts: readonly string[]): number[] {
  const n = texts.length;
  if (n === 0) return [];
  const terms = texts.map((t) => new Set(contentTerms(t)));
  const weights = terms.map((a, i) => terms.map((b, j) => (i === j ? 0 : similarity(a, b))));
  const outWeight = weights.map((row) => row.reduce((sum, w) => sum + w, 0));

  let scores = new Array<number>(n).fill(1 / n);
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const next = new Array<number>(n).fill((1 - DAMPING) / n);
    for (let j = 0; j < n; j++) {
      const out = outWeight[j] ?? 0;
      if (out === 0) continue;
      const share = (DAMPING * (scores[j] ?? 0)) / out;
      const row = weights[j] ?? [];
      for (let i = 0; i < n; i++) next[i] = (next[i] ?? 0) + (row[i] ?? 0) * share;
    }
    const delta = Math.max(...next.map((s, i) => Math.abs(s - (scores[i] ?? 0))));
    scores = next;
    if (delta < CONVERGED) break;
  }
  return scores;
}
