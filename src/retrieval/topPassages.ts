// The best passages for a question by BM25, found document at a time with MaxScore: each term has an
// upper bound on what it can add to any passage, and once the `limit`-th best score found so far is
// above what the lowest-bound terms together (with the most any headline could add) can reach, those
// terms stop producing candidates; they are only looked up, by galloping search in their postings, for
// passages the others found. Common words then cost a few look-ups per candidate instead of a pass over
// postings as long as the corpus, so the work follows the candidates, not the corpus.
//
// The scores are exactly those of scoring every passage (same terms, same order of addition), and so
// is the order of ties: a passage's first matching term (in the order given), then its slot.

export const K1 = 1.2;
export const B = 0.75;

/** BM25 for one term of one passage; `termWeight` carries the term's rarity and the (K1 + 1) factor. */
export const bm25 = (termWeight: number, tf: number, length: number, averageLength: number): number =>
  (termWeight * tf) / (tf + K1 * (1 - B + (B * length) / averageLength));

// Counts at or above this share one bound bucket, bounded by the largest count seen.
const COUNT_BUCKETS = 8;

/**
 * What bounds a term's score in any passage: for each count, the shortest passage with that count.
 * BM25 grows with the count and shrinks with the length, so the pairs give a bound for any average
 * length. Bounds only loosen: a removed passage may still count.
 */
export interface CountBounds {
  /** Index c: the shortest length among postings with count c (the last bucket: count ≥ c); Infinity for none. */
  minLength: number[];
  maxCount: number;
}

export const emptyBounds = (): CountBounds => ({
  minLength: new Array<number>(COUNT_BUCKETS + 1).fill(Number.POSITIVE_INFINITY),
  maxCount: 0,
});

export function includeInBounds(bounds: CountBounds, count: number, length: number): void {
  const bucket = Math.min(count, COUNT_BUCKETS);
  if (length < (bounds.minLength[bucket] as number)) bounds.minLength[bucket] = length;
  if (count > bounds.maxCount) bounds.maxCount = count;
}

// Floating-point slack, so that a bound computed like a score is never a hair below it.
const SLACK = 1 + 1e-9;

export function scoreBound(bounds: CountBounds, termWeight: number, averageLength: number): number {
  let best = 0;
  for (let c = 1; c <= COUNT_BUCKETS; c++) {
    const length = bounds.minLength[c] as number;
    if (length === Number.POSITIVE_INFINITY) continue;
    const tf = c === COUNT_BUCKETS ? bounds.maxCount : c;
    best = Math.max(best, bm25(termWeight, tf, length, averageLength));
  }
  return best * SLACK;
}

/** Where a term occurs (passage slots, ascending) and how often, with its bounds. */
export interface PostingList {
  slots: number[];
  counts: number[];
  bounds: CountBounds;
}

export interface QueryTerm {
  id: number;
  /** Weight × rarity × (K1 + 1): the term's factor in BM25. */
  bound: number;
}

/** What the search reads of the index. */
export interface ScoredCorpus {
  /** Per term id: passage postings, slots ascending. */
  postings: readonly PostingList[];
  /** Per term id: the articles whose headline has the term (in any order). */
  headlinePostings: readonly PostingList[];
  /** Per slot; negative for a removed passage. */
  lengths: readonly number[];
  averageLength: number;
  /** The article of a slot, or -1 for a headline passage (which gets no headline score). */
  headlineArticle(slot: number): number;
  headlineTerms(article: number): Int32Array;
  /** Per article: its passages' slots, from first to end (exclusive). */
  firstSlots: readonly number[];
  endSlots: readonly number[];
  averageHeadline: number;
  headlineBoost: number;
}

export interface ScoredSlot {
  slot: number;
  score: number;
}

// The candidates of the highest-bound terms are scored first, up to about this many postings, so that
// the search starts with a threshold that lets the other terms be looked up rather than scanned.
const SEED_POSTINGS = 2_000;

interface Ranked extends ScoredSlot {
  /** The passage's first matching term, in scoring order: ties go to the earlier one. */
  first: number;
}

/**
 * The `limit` best passages for `terms` (in scoring order), best first.
 *
 * A passage's score is its text's BM25 plus a share of its article's headline BM25. A term "reaches" a
 * passage through either, so its bound is the sum of both bounds. Two passes:
 * 1. seed: the passages of the highest-reach terms (a few thousand postings at most) are scored in
 *    full, which sets a threshold (the `limit`-th best score);
 * 2. the terms whose reaches together stay under the threshold cannot lift any other passage into the
 *    top, so only the rest produce candidates: their passages, and the passages of articles whose
 *    headline has them. Each candidate is bounded before its remaining terms are looked up.
 */
export function topPassages(corpus: ScoredCorpus, terms: readonly QueryTerm[], limit: number): ScoredSlot[] {
  const n = terms.length;
  if (n === 0 || limit <= 0) return [];
  const search = new Search(corpus, terms, limit);

  // Pass 1: the highest-reach terms' passages.
  const seed: number[] = [];
  let seedPostings = 0;
  for (let j = n - 1; j >= 0; j--) {
    const i = search.byReach[j] as number;
    const size = (search.lists[i] as PostingList).slots.length;
    if (seed.length > 0 && seedPostings + size > SEED_POSTINGS) break;
    seed.push(i);
    seedPostings += size;
  }
  const seen = new Set<number>();
  search.scan(
    seed.map((i) => (search.lists[i] as PostingList).slots),
    seed,
    () => false,
    seen,
  );

  // Pass 2: the terms that can still lift a passage, and the articles whose headline has them and
  // could lift one of their passages with the other terms' help.
  let skipped = 0;
  while (skipped < n && (search.reachBelow[skipped + 1] as number) < search.threshold) skipped++;
  let othersBound = 0;
  for (let j = 0; j < skipped; j++) othersBound += search.textBound[search.byReach[j] as number] as number;
  const producers: number[] = [];
  const headlineSlots: number[] = [];
  const articles = new Set<number>();
  for (let j = skipped; j < n; j++) {
    const i = search.byReach[j] as number;
    if (!seed.includes(i)) producers.push(i);
    for (const article of (corpus.headlinePostings[(terms[i] as QueryTerm).id] as PostingList).slots) {
      if (articles.has(article)) continue;
      articles.add(article);
      if (corpus.headlineBoost * search.headlineScore(article) + othersBound < search.threshold) continue;
      const end = corpus.endSlots[article] as number;
      for (let slot = corpus.firstSlots[article] as number; slot < end; slot++) headlineSlots.push(slot);
    }
  }
  headlineSlots.sort((a, b) => a - b);
  search.resetCursors();
  search.scan(
    [headlineSlots, ...producers.map((i) => (search.lists[i] as PostingList).slots)],
    [-1, ...producers],
    // The split is kept: the articles left out above were left out for it.
    () => false,
    undefined,
    seen,
  );
  return search.top.map(({ slot, score }) => ({ slot, score }));
}

class Search {
  readonly n: number;
  readonly lists: PostingList[];
  readonly weights: number[];
  /** Per term: the most its text adds to a passage. */
  readonly textBound: Float64Array;
  /** Terms by ascending reach (text and headline bounds together); reachBelow[j]: the first j's sum. */
  readonly byReach: number[];
  readonly reachBelow: Float64Array;
  readonly top: Ranked[] = [];
  threshold = Number.NEGATIVE_INFINITY;
  private readonly cursors: Int32Array;
  private readonly contribution: Float64Array;
  private readonly headlineScores = new Map<number, number>();
  private readonly termIndex: Map<number, number>;
  private readonly headlineCounts: Int32Array;

  private readonly corpus: ScoredCorpus;
  private readonly terms: readonly QueryTerm[];
  private readonly limit: number;

  constructor(corpus: ScoredCorpus, terms: readonly QueryTerm[], limit: number) {
    this.corpus = corpus;
    this.terms = terms;
    this.limit = limit;
    const n = terms.length;
    this.n = n;
    this.lists = terms.map((term) => corpus.postings[term.id] as PostingList);
    this.weights = terms.map((term) => term.bound);
    this.textBound = Float64Array.from(this.lists, (list, i) =>
      scoreBound(list.bounds, this.weights[i] as number, corpus.averageLength),
    );
    const reach = Float64Array.from(
      terms,
      (term, i) =>
        (this.textBound[i] as number) +
        corpus.headlineBoost *
          scoreBound(
            (corpus.headlinePostings[term.id] as PostingList).bounds,
            term.bound,
            corpus.averageHeadline,
          ),
    );
    this.byReach = Array.from({ length: n }, (_, i) => i).sort(
      (a, b) => (reach[a] as number) - (reach[b] as number),
    );
    this.reachBelow = new Float64Array(n + 1);
    for (let j = 0; j < n; j++)
      this.reachBelow[j + 1] = (this.reachBelow[j] as number) + (reach[this.byReach[j] as number] as number);
    this.termIndex = new Map(terms.map((term, i) => [term.id, i]));
    this.headlineCounts = new Int32Array(n);
    this.cursors = new Int32Array(n);
    this.contribution = new Float64Array(n);
  }

  resetCursors(): void {
    this.cursors.fill(0);
  }

  /**
   * Scores, in slot order, every passage in `sources` (ascending slot lists; `sourceTerms[k]` is the
   * term of source k, or -1 for a list that is not a term's), looking the other terms up. A term
   * source stops producing once `retired` says so. `record` collects the passages met; those in
   * `skip` were scored before.
   */
  scan(
    sources: readonly (readonly number[])[],
    sourceTerms: readonly number[],
    retired: (term: number) => boolean,
    record?: Set<number>,
    skip?: Set<number>,
  ): void {
    const { n, lists, weights, contribution, cursors, corpus } = this;
    const { lengths, averageLength } = corpus;
    const at = new Int32Array(sources.length);
    const producing = sourceTerms.map(() => true);
    const isSource = new Uint8Array(n);
    for (const i of sourceTerms) if (i >= 0) isSource[i] = 1;
    // Looked-up terms, highest text bound first.
    let lookups = this.lookupOrder(isSource);
    let lookupBound = lookups.reduce((sum, i) => sum + (this.textBound[i] as number), 0);

    for (;;) {
      let slot = Number.POSITIVE_INFINITY;
      for (let k = 0; k < sources.length; k++) {
        if (!producing[k]) continue;
        const source = sources[k] as readonly number[];
        const p = at[k] as number;
        if (p < source.length && (source[p] as number) < slot) slot = source[p] as number;
      }
      if (slot === Number.POSITIVE_INFINITY) break;

      const length = lengths[slot] as number;
      let found = 0;
      for (let k = 0; k < sources.length; k++) {
        const source = sources[k] as readonly number[];
        const p = at[k] as number;
        if (!producing[k] || p >= source.length || source[p] !== slot) continue;
        at[k] = p + 1;
        const i = sourceTerms[k] as number;
        if (i < 0 || length < 0) continue;
        const c = bm25(
          weights[i] as number,
          (lists[i] as PostingList).counts[p] as number,
          length,
          averageLength,
        );
        contribution[i] = c;
        found += c;
      }
      record?.add(slot);
      if (length < 0 || skip?.has(slot)) {
        contribution.fill(0);
        continue;
      }

      const article = corpus.headlineArticle(slot);
      const headline = article < 0 ? 0 : corpus.headlineBoost * this.headlineScore(article);
      let possible = found + headline + lookupBound;
      for (let q = 0; q < lookups.length && possible >= this.threshold; q++) {
        const i = lookups[q] as number;
        const list = lists[i] as PostingList;
        const p = gallop(list.slots, cursors[i] as number, slot);
        cursors[i] = p;
        possible -= this.textBound[i] as number;
        if (p < list.slots.length && list.slots[p] === slot) {
          const c = bm25(weights[i] as number, list.counts[p] as number, length, averageLength);
          contribution[i] = c;
          found += c;
          possible += c;
        }
      }

      if (possible >= this.threshold && found > 0) {
        // Summed in scoring order, as scoring every passage would.
        let score = headline;
        let first = -1;
        for (let i = 0; i < n; i++) {
          const c = contribution[i] as number;
          if (c === 0) continue;
          score += c;
          if (first < 0) first = i;
        }
        if (this.insert({ slot, score, first }) && this.top.length === this.limit) {
          this.threshold = (this.top[this.limit - 1] as Ranked).score;
          let changed = false;
          for (let k = 0; k < sources.length; k++) {
            const i = sourceTerms[k] as number;
            if (i >= 0 && producing[k] && retired(i)) {
              producing[k] = false;
              isSource[i] = 0;
              // Its cursor must be at or before the next slot: the source's own position.
              cursors[i] = at[k] as number;
              changed = true;
            }
          }
          if (changed) {
            lookups = this.lookupOrder(isSource);
            lookupBound = lookups.reduce((sum, i) => sum + (this.textBound[i] as number), 0);
          }
        }
      }
      contribution.fill(0);
    }
  }

  private lookupOrder(isSource: Uint8Array): number[] {
    const order: number[] = [];
    for (let i = 0; i < this.n; i++) if (!isSource[i]) order.push(i);
    return order.sort((a, b) => (this.textBound[b] as number) - (this.textBound[a] as number));
  }

  /** An article's headline BM25 for the terms, summed in their order; once per article and search. */
  headlineScore(article: number): number {
    let score = this.headlineScores.get(article);
    if (score !== undefined) return score;
    const headline = this.corpus.headlineTerms(article);
    const counts = this.headlineCounts;
    for (const id of headline) {
      const i = this.termIndex.get(id);
      if (i !== undefined) counts[i] = (counts[i] as number) + 1;
    }
    score = 0;
    for (let i = 0; i < this.n; i++) {
      const tf = counts[i] as number;
      if (tf === 0) continue;
      score += bm25(this.weights[i] as number, tf, headline.length, this.corpus.averageHeadline);
      counts[i] = 0;
    }
    this.headlineScores.set(article, score);
    return score;
  }

  /** Inserts into the sorted top list if it belongs there; returns whether it did. */
  private insert(entry: Ranked): boolean {
    const top = this.top;
    if (top.length === this.limit && !above(entry, top[this.limit - 1] as Ranked)) return false;
    let low = 0;
    let high = top.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (above(entry, top[middle] as Ranked)) high = middle;
      else low = middle + 1;
    }
    top.splice(low, 0, entry);
    if (top.length > this.limit) top.pop();
    return true;
  }
}

/** Whether `a` ranks above `b`: higher score, then earlier first term, then lower slot. */
function above(a: Ranked, b: Ranked): boolean {
  if (a.score !== b.score) return a.score > b.score;
  if (a.first !== b.first) return a.first < b.first;
  return a.slot < b.slot;
}

/** The first index at or after `from` whose slot is at least `slot` (slots ascending). */
function gallop(slots: readonly number[], from: number, slot: number): number {
  let low = from;
  let step = 1;
  let high = from;
  while (high < slots.length && (slots[high] as number) < slot) {
    low = high + 1;
    high += step;
    step *= 2;
  }
  if (high > slots.length) high = slots.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if ((slots[middle] as number) < slot) low = middle + 1;
    else high = middle;
  }
  return low;
}
