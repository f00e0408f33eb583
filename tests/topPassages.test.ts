// The MaxScore search skips passages only when they cannot make the top: on random corpora and
// questions its results (scores, order, ties) equal those of scoring every passage.
import { describe, expect, it } from "vitest";
import { createRandom, type Random } from "../bench/syntheticCorpus.ts";
import {
  bm25,
  emptyBounds,
  includeInBounds,
  type PostingList,
  type QueryTerm,
  type ScoredCorpus,
  topPassages,
} from "../src/retrieval/topPassages.ts";

interface RandomCorpus {
  corpus: ScoredCorpus;
  texts: Int32Array[];
  removed: Set<number>;
  articleOf: number[];
  isHeadline: boolean[];
  headlines: Int32Array[];
}

// Term ids follow a skewed distribution, as words do: a few common ones and a long tail.
const termOf = (random: Random, vocabulary: number) => Math.floor(vocabulary * random() ** 3);

function randomCorpus(random: Random): RandomCorpus {
  const vocabulary = 20 + Math.floor(random() * 200);
  const articles = 1 + Math.floor(random() * 60);
  const postings: PostingList[] = Array.from({ length: vocabulary }, () => ({
    slots: [],
    counts: [],
    bounds: emptyBounds(),
  }));
  const headlinePostings: PostingList[] = Array.from({ length: vocabulary }, () => ({
    slots: [],
    counts: [],
    bounds: emptyBounds(),
  }));
  const texts: Int32Array[] = [];
  const articleOf: number[] = [];
  const isHeadline: boolean[] = [];
  const headlines: Int32Array[] = [];
  const firstSlots: number[] = [];
  const endSlots: number[] = [];
  const removed = new Set<number>();
  const index = (lists: PostingList[], slot: number, ids: Int32Array) => {
    const counts = new Map<number, number>();
    for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    for (const [id, count] of [...counts].sort((a, b) => a[0] - b[0])) {
      const list = lists[id] as PostingList;
      list.slots.push(slot);
      list.counts.push(count);
      includeInBounds(list.bounds, count, ids.length);
    }
  };
  for (let a = 0; a < articles; a++) {
    const headline = Int32Array.from({ length: 2 + Math.floor(random() * 10) }, () =>
      termOf(random, vocabulary),
    );
    headlines.push(headline);
    index(headlinePostings, a, headline);
    firstSlots.push(texts.length);
    const count = 1 + Math.floor(random() * 12);
    for (let p = 0; p < count; p++) {
      const slot = texts.length;
      const text =
        p === 0
          ? headline
          : Int32Array.from({ length: 1 + Math.floor(random() * 40) }, () => termOf(random, vocabulary));
      texts.push(text);
      articleOf.push(a);
      isHeadline.push(p === 0);
      index(postings, slot, text);
      if (random() < 0.05) removed.add(slot);
    }
    endSlots.push(texts.length);
  }
  const live = texts.filter((_, slot) => !removed.has(slot));
  const lengths = texts.map((text, slot) => (removed.has(slot) ? -1 : text.length));
  const corpus: ScoredCorpus = {
    postings,
    headlinePostings,
    lengths,
    averageLength: live.reduce((sum, text) => sum + text.length, 0) / Math.max(1, live.length) || 1,
    headlineArticle: (slot) => (isHeadline[slot] ? -1 : (articleOf[slot] as number)),
    headlineTerms: (article) => headlines[article] as Int32Array,
    firstSlots,
    endSlots,
    averageHeadline: headlines.reduce((sum, h) => sum + h.length, 0) / headlines.length,
    headlineBoost: 0.3,
  };
  return { corpus, texts, removed, articleOf, isHeadline, headlines };
}

/** Every live passage scored, summed in term order; ties by first matching term, then slot. */
function exhaustive(c: RandomCorpus, terms: readonly QueryTerm[], limit: number) {
  const { corpus } = c;
  const scored: { slot: number; score: number; first: number }[] = [];
  const countIn = (ids: Int32Array, id: number) => ids.reduce((n, x) => n + (x === id ? 1 : 0), 0);
  c.texts.forEach((text, slot) => {
    if (c.removed.has(slot)) return;
    let headline = 0;
    if (!c.isHeadline[slot]) {
      const h = c.headlines[c.articleOf[slot] as number] as Int32Array;
      let articleScore = 0;
      for (const term of terms) {
        const tf = countIn(h, term.id);
        if (tf > 0) articleScore += bm25(term.bound, tf, h.length, corpus.averageHeadline);
      }
      headline = corpus.headlineBoost * articleScore;
    }
    let score = headline;
    let first = -1;
    terms.forEach((term, i) => {
      const tf = countIn(text, term.id);
      if (tf === 0) return;
      score += bm25(term.bound, tf, text.length, corpus.averageLength);
      if (first < 0) first = i;
    });
    if (first >= 0) scored.push({ slot, score, first });
  });
  scored.sort((a, b) => b.score - a.score || a.first - b.first || a.slot - b.slot);
  return scored.slice(0, limit).map(({ slot, score }) => ({ slot, score }));
}

describe("MaxScore top passages", () => {
  it("equal scoring every passage, on random corpora and questions", () => {
    const random = createRandom(42);
    for (let run = 0; run < 300; run++) {
      const c = randomCorpus(random);
      const vocabulary = c.corpus.postings.length;
      const ids = [
        ...new Set(Array.from({ length: 1 + Math.floor(random() * 12) }, () => termOf(random, vocabulary))),
      ];
      const terms = ids
        .map((id) => ({ id, bound: (0.2 + random() * 10) * 2.2 }))
        .sort((a, b) => b.bound - a.bound);
      const limit = 1 + Math.floor(random() * 30);
      expect(topPassages(c.corpus, terms, limit), `run ${run}`).toEqual(exhaustive(c, terms, limit));
    }
  });

  it("finds nothing for no terms or no room", () => {
    const c = randomCorpus(createRandom(1));
    expect(topPassages(c.corpus, [], 5)).toEqual([]);
    expect(topPassages(c.corpus, [{ id: 0, bound: 1 }], 0)).toEqual([]);
  });
});
