// The pruned top-passage search returns exactly what scoring every passage and sorting would: same
// passages, same scores to the bit, same order (ties in the order passages were first matched), on
// random small corpora with common and rare terms, removed passages and a per-passage base score.
import { describe, expect, it } from "vitest";
import { createRandom, type Random } from "../bench/syntheticCorpus.ts";
import { MAX_LENGTH, PostingList } from "../src/retrieval/postingList.ts";
import {
  bm25,
  createTopPassages,
  type ScoredTerm,
  type TopPassagesQuery,
} from "../src/retrieval/topPassages.ts";

interface Corpus {
  /** Per slot, its terms (repeats kept); undefined once removed. */
  passages: (number[] | undefined)[];
  lengths: Int32Array;
  lists: PostingList[];
  /** Per slot, its group (-1 for none), and the group scores a search gives. */
  groups: Int32Array;
  groupScores: Float64Array;
  /** Per slot, the base score: 0.3 × its group's score. */
  bases: Float64Array;
}

const VOCABULARY = 30;

function randomCorpus(random: Random, longPassage = false): Corpus {
  const count = 1 + Math.floor(random() * 400);
  const lists = Array.from({ length: VOCABULARY }, () => new PostingList());
  const passages: (number[] | undefined)[] = [];
  const lengths = new Int32Array(count);
  // A few groups (articles) of slots share a base, some of them none; some slots have no group.
  const groupScores = Float64Array.from({ length: 8 }, () => (random() < 0.4 ? 0 : random() * 20));
  const groups = new Int32Array(count);
  const bases = new Float64Array(count);
  for (let slot = 0; slot < count; slot++) {
    // A passage longer than a posting can record its length for: the search reads it from `lengths`.
    const length = longPassage && slot === 0 ? 70_000 : 1 + Math.floor(random() * 25);
    // Term t is drawn with weight 1/(t + 1): low ids are in most passages, high ones in few.
    const terms = Array.from({ length }, () =>
      Math.min(VOCABULARY - 1, Math.floor(random() ** 3 * VOCABULARY)),
    );
    passages.push(terms);
    lengths[slot] = length;
    const group = random() < 0.1 ? -1 : Math.floor((slot / count) * groupScores.length);
    groups[slot] = group;
    bases[slot] = group < 0 ? 0 : 0.3 * (groupScores[group] as number);
    const counts = new Map<number, number>();
    for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
    for (const [term, n] of counts) (lists[term] as PostingList).add(slot, n, length);
  }
  // Removed passages' postings are marked (count 0), as in the index until it compacts them.
  for (let slot = 0; slot < count; slot++) {
    if (random() < 0.1 && !(longPassage && slot === 0)) {
      for (const term of new Set(passages[slot])) (lists[term] as PostingList).clear(slot);
      passages[slot] = undefined;
      lengths[slot] = -1;
    }
  }
  if (random() < 0.3) for (const list of lists) list.compact(lengths);
  return { passages, lengths, lists, groups, groupScores, bases };
}

function randomQuery(random: Random, corpus: Corpus): TopPassagesQuery {
  const picked = new Set<number>();
  const wanted = 1 + Math.floor(random() * 8);
  while (picked.size < wanted) picked.add(Math.floor(random() * VOCABULARY));
  const terms: ScoredTerm[] = [...picked]
    .map((term) => ({ list: corpus.lists[term] as PostingList, bound: 0.1 + random() * 10 }))
    .sort((a, b) => b.bound - a.bound);
  const live = corpus.passages.filter((p) => p !== undefined);
  let lastMinimum = Number.NEGATIVE_INFINITY;
  const averageLength = live.reduce((sum, p) => sum + p.length, 0) / Math.max(1, live.length) || 1;
  return {
    terms,
    lengths: corpus.lengths,
    slotCount: corpus.passages.length,
    averageLength,
    base: {
      groupOf: corpus.groups,
      groupScores: corpus.groupScores,
      share: 0.3,
      bound: Math.max(0, ...corpus.bases),
      atLeast(minimum, most) {
        // The search promises a minimum that never falls, which lets the index narrow its answers.
        expect(minimum).toBeGreaterThanOrEqual(lastMinimum);
        lastMinimum = minimum;
        const found: number[] = [];
        corpus.passages.forEach((passage, slot) => {
          if (passage !== undefined && (corpus.bases[slot] as number) >= minimum) found.push(slot);
        });
        return found.length > most ? undefined : found;
      },
    },
    limit: 1 + Math.floor(random() * 30),
  };
}

/** Every live passage that holds a term, scored in full, best first; ties in first-matched order. */
function bruteForce(corpus: Corpus, query: TopPassagesQuery): { slot: number; score: number }[] {
  const firstMatched: number[] = [];
  const seen = new Set<number>();
  for (const { list } of query.terms) {
    for (let i = 0; i < list.size; i++) {
      const slot = list.slots[i] as number;
      if (corpus.passages[slot] === undefined || seen.has(slot)) continue;
      seen.add(slot);
      firstMatched.push(slot);
    }
  }
  const scored = firstMatched.map((slot) => {
    let score = corpus.bases[slot] as number;
    for (const { list, bound } of query.terms) {
      for (let i = 0; i < list.size; i++) {
        if (list.slots[i] !== slot) continue;
        score += bm25(bound, list.counts[i] as number, query.lengths[slot] as number, query.averageLength);
      }
    }
    return { slot, score };
  });
  // Array.prototype.sort is stable: equal scores stay in first-matched order.
  return scored.sort((a, b) => b.score - a.score).slice(0, query.limit);
}

describe("top passages", () => {
  it("equals scoring every passage on random corpora", () => {
    const random = createRandom(20_260_301);
    const search = createTopPassages();
    for (let round = 0; round < 300; round++) {
      const corpus = randomCorpus(random);
      for (let q = 0; q < 5; q++) {
        const query = randomQuery(random, corpus);
        expect(search(query)).toEqual(bruteForce(corpus, query));
      }
    }
  });

  it("scores a passage too long for its postings to hold its length by its own length", () => {
    const random = createRandom(7);
    const search = createTopPassages();
    const corpus = randomCorpus(random, true);
    expect(corpus.lists.some((list) => list.slots[0] === 0 && list.lengths[0] === MAX_LENGTH)).toBe(true);
    for (let q = 0; q < 20; q++) {
      const query = randomQuery(random, corpus);
      expect(search(query)).toEqual(bruteForce(corpus, query));
    }
  });

  it("finds nothing for no terms or no room", () => {
    const corpus = randomCorpus(createRandom(1));
    const query = randomQuery(createRandom(2), corpus);
    const search = createTopPassages();
    expect(search({ ...query, terms: [] })).toEqual([]);
    expect(search({ ...query, limit: 0 })).toEqual([]);
  });
});

describe("posting lists", () => {
  it("bound every posting by their highest count and shortest length, also after compacting", () => {
    const list = new PostingList();
    list.add(0, 2, 10);
    list.add(1, 5, 30);
    list.add(2, 1, 4);
    expect([list.maxCount, list.minLength]).toEqual([5, 4]);
    list.clear(1);
    list.compact(Int32Array.from([10, -1, 4]));
    expect([...list.slots.subarray(0, list.size)]).toEqual([0, 2]);
    expect([list.maxCount, list.minLength]).toEqual([2, 4]);
    list.remove(0);
    expect([...list.slots.subarray(0, list.size)]).toEqual([2]);
  });
});
