// Sentence-level scoring: BM25 rewards a long paragraph that mentions the question's words here and
// there; an answer usually sits in one sentence that holds most of them together. The score is the
// share of the question's concepts, weighted by rarity, that the passage's best sentence covers; a
// concept counts once, by its best-matching word, however many of its synonyms a sentence has.

/** A question resolved against the index's vocabulary. */
export interface CompiledQuery {
  /** Term id → BM25 weight (1 for the question's own words, less for expansions and near forms). */
  weights: Map<number, number>;
  /** Term id → the concepts it stands for, each with its value (weight × idf). */
  values: Map<number, { concept: number; value: number }[]>;
  /** Number of concepts. */
  concepts: number;
  /** What a sentence covering every concept would score: the sum of each concept's best value. */
  possible: number;
}

/** Best sentence's coverage of the question, 0..1. `sentenceEnds` ends each sentence's run of `terms`. */
export function bestSentenceCoverage(
  terms: Int32Array,
  sentenceEnds: Int32Array,
  query: CompiledQuery,
): number {
  if (query.possible <= 0) return 0;
  const covered = new Float64Array(query.concepts);
  let best = 0;
  let start = 0;
  for (const end of sentenceEnds) {
    covered.fill(0);
    for (let i = start; i < end; i++) {
      const entries = query.values.get(terms[i] as number);
      if (!entries) continue;
      for (const { concept, value } of entries) {
        if (value > (covered[concept] as number)) covered[concept] = value;
      }
    }
    let sum = 0;
    for (const value of covered) sum += value;
    best = Math.max(best, sum);
    start = end;
  }
  return best / query.possible;
}
