// The best passages for a question's terms by BM25, without adding up every posting of every term.
//
// Terms are read from the most to the least a single occurrence can be worth (rare terms first). Each
// term's ceiling, the most it adds to any one passage, comes from its postings' highest count and
// shortest passage. While the terms not yet read could lift a passage none of the earlier ones matched
// into the top `limit`, a term's postings are read whole. After that only two kinds of passage can
// still make it: those found so far that can reach the current `limit`-th score, and those not found
// yet whose base (their article's headline share) is high enough, which the caller lists. The rest of
// the terms are looked up for these candidates in each term's postings (slot-ordered, so by galloping
// search) instead of walking them: a common word's hundreds of thousands of postings then cost a few
// probes per candidate. Candidates that fall out of reach are dropped before each term.
//
// The scores are those of adding up everything: each passage's score is summed in the same order (its
// base, then the terms in the order given) with the same float operations, and a passage is dropped
// only when it cannot reach the `limit`-th score even with every ceiling it has left.

import { MAX_LENGTH, type PostingList } from "./postingList.ts";

// BM25 parameters: the usual values.
export const K1 = 1.2;
export const B = 0.75;

/** What one occurrence-count of a term adds to a passage; `termBound` is weight × idf × (K1 + 1). */
export const bm25 = (termBound: number, count: number, length: number, averageLength: number) =>
  (termBound * count) / (count + K1 * (1 - B + (B * length) / averageLength));

// Ceilings and the threshold are compared with this much room, so that float rounding in a sum of a
// few dozen terms can never drop a passage that reaches the threshold.
const SLACK = 1 + 1e-9;

export interface ScoredTerm {
  list: PostingList;
  /** weight × idf × (K1 + 1): the most one posting could add, before its count and length. */
  bound: number;
}

export interface TopPassagesQuery {
  /** The question's terms, in the order scores are summed: highest `bound` first. */
  terms: readonly ScoredTerm[];
  /** Each slot's length in terms, read only for the few too long for a posting to hold. */
  lengths: Int32Array;
  /** Slots in use (`lengths` may be longer). */
  slotCount: number;
  averageLength: number;
  base: PassageBase;
  limit: number;
}

/**
 * What a passage scores before its terms: `share` × the score of its group (its article's headline).
 * Typed arrays rather than a function, since the base is read for every passage a search matches.
 */
export interface PassageBase {
  /** Per slot, its group, or -1 for none (base 0). */
  groupOf: Int32Array;
  /** Per group, its score in this search. */
  groupScores: Float64Array;
  share: number;
  /** The most any passage starts from. */
  bound: number;
  /**
   * The live passages whose base is at least `minimum` (> 0), or undefined if there are more than
   * `most`. Within one search `minimum` never falls, so an answer may start from the previous one.
   */
  atLeast(minimum: number, most: number): ArrayLike<number> | undefined;
}

export interface SlotScore {
  slot: number;
  score: number;
}

export type TopPassages = (query: TopPassagesQuery) => SlotScore[];

/** A search function with its own scratch arrays, reused from one search to the next. */
export function createTopPassages(): TopPassages {
  // Per slot, the score summed so far (0: not matched yet); reset after each search.
  let scores = new Float64Array(1024);
  // Matched slots in the order they were first matched (ties keep that order), and the candidates of
  // the look-ups; no search can have more of either than there are slots.
  let touched = new Int32Array(1024);
  let candidates = new Int32Array(1024);
  // One bit per slot: candidates are marked here and read back in slot order, cheaper than sorting.
  let marks = new Uint32Array(32);
  let heap = new Float64Array(64);

  /** The `limit`-th highest score among `slots[0..count)` (0 when there are fewer). */
  function kthScore(slots: Int32Array, count: number, limit: number): number {
    if (count < limit) return 0;
    if (heap.length < limit) heap = new Float64Array(limit * 2);
    const top = heap;
    const sums = scores;
    // A min-heap of the `limit` highest scores seen.
    let size = 0;
    for (let i = 0; i < count; i++) {
      const score = sums[slots[i] as number] as number;
      if (size < limit) {
        let at = size++;
        while (at > 0) {
          const parent = (at - 1) >> 1;
          if ((top[parent] as number) <= score) break;
          top[at] = top[parent] as number;
          at = parent;
        }
        top[at] = score;
      } else if (score > (top[0] as number)) {
        let at = 0;
        for (;;) {
          let child = 2 * at + 1;
          if (child >= size) break;
          if (child + 1 < size && (top[child + 1] as number) < (top[child] as number)) child++;
          if ((top[child] as number) >= score) break;
          top[at] = top[child] as number;
          at = child;
        }
        top[at] = score;
      }
    }
    return top[0] as number;
  }

  return (query) => {
    const { terms, lengths, averageLength, base, limit } = query;
    if (limit <= 0 || terms.length === 0) return [];
    if (scores.length < query.slotCount) {
      const room = query.slotCount * 2;
      scores = new Float64Array(room);
      touched = new Int32Array(room);
      candidates = new Int32Array(room);
      marks = new Uint32Array((room >>> 5) + 1);
    }
    // Locals, so that the loops below read them from registers rather than from the closure.
    const sums = scores;
    const found = touched;
    const { groupOf, groupScores, share } = base;
    const baseOf = (slot: number) => {
      const group = groupOf[slot] as number;
      return group < 0 ? 0 : share * (groupScores[group] as number);
    };
    const n = terms.length;
    // remaining[i]: the most terms i.. can add to one passage together.
    const remaining = new Float64Array(n + 1);
    for (let i = n - 1; i >= 0; i--) {
      const { list, bound } = terms[i] as ScoredTerm;
      const ceiling = list.size === 0 ? 0 : bm25(bound, list.maxCount, list.minLength, averageLength);
      remaining[i] = (remaining[i + 1] as number) + ceiling;
    }

    let count = 0;
    let best = 0;
    let threshold = 0;
    // Passages not matched yet whose base alone could lift them into the top, once the terms left
    // could not; undefined while there are too many of them to be worth looking up.
    let raised: ArrayLike<number> | undefined;
    let readSinceCheck = 0;
    let i = 0;
    // Whole postings while a passage not matched yet could still make the top `limit`.
    for (; i < n; i++) {
      const { list, bound } = terms[i] as ScoredTerm;
      const rest = remaining[i] as number;
      // Checking costs a pass over the passages found: worth it before a long list, or after many short ones.
      readSinceCheck += list.size;
      if (count >= limit && rest * SLACK < best && readSinceCheck * 4 >= count) {
        readSinceCheck = 0;
        threshold = kthScore(found, count, limit);
        if ((rest + base.bound) * SLACK < threshold) break;
        if (rest * SLACK < threshold) {
          // Looking up a passage in every term left costs about as much as reading a few postings.
          let unread = 0;
          for (let j = i; j < n; j++) unread += (terms[j] as ScoredTerm).list.size;
          raised = base.atLeast(threshold / SLACK - rest, unread / 8);
          if (raised) break;
        }
      }
      const slots = list.slots;
      const counts = list.counts;
      const lengthsHere = list.lengths;
      const size = list.size;
      for (let p = 0; p < size; p++) {
        const occurrences = counts[p] as number;
        // Removed.
        if (occurrences === 0) continue;
        const slot = slots[p] as number;
        let length = lengthsHere[p] as number;
        if (length === MAX_LENGTH) length = lengths[slot] as number;
        let score = sums[slot] as number;
        if (score === 0) {
          found[count++] = slot;
          const group = groupOf[slot] as number;
          score = group < 0 ? 0 : share * (groupScores[group] as number);
        }
        score += bm25(bound, occurrences, length, averageLength);
        sums[slot] = score;
        if (score > best) best = score;
      }
    }

    if (i < n) {
      // The passages that can still reach the threshold, ascending, for galloping look-ups: those found
      // so far, and those not found yet that their base could lift (score 0 until a term matches them).
      const wanted = candidates;
      const marked = marks;
      let rest = remaining[i] as number;
      let first = query.slotCount;
      let last = -1;
      const mark = (slot: number) => {
        marked[slot >>> 5] = (marked[slot >>> 5] as number) | (1 << (slot & 31));
        if (slot < first) first = slot;
        if (slot > last) last = slot;
      };
      for (let t = 0; t < count; t++) {
        const slot = found[t] as number;
        if (((sums[slot] as number) + rest) * SLACK >= threshold) mark(slot);
      }
      for (let r = 0; r < (raised?.length ?? 0); r++) {
        const slot = (raised as ArrayLike<number>)[r] as number;
        if (sums[slot] === 0 && (baseOf(slot) + rest) * SLACK >= threshold) mark(slot);
      }
      let kept = 0;
      for (let word = first >>> 5; word <= last >>> 5; word++) {
        let bits = marked[word] as number;
        if (bits === 0) continue;
        marked[word] = 0;
        while (bits !== 0) {
          const lowest = bits & -bits;
          wanted[kept++] = (word << 5) | (31 - Math.clz32(lowest));
          bits ^= lowest;
        }
      }
      for (; i < n; i++) {
        const { list, bound } = terms[i] as ScoredTerm;
        const slots = list.slots;
        const counts = list.counts;
        const lengthsHere = list.lengths;
        const size = list.size;
        let p = 0;
        for (let c = 0; c < kept && p < size; c++) {
          const slot = wanted[c] as number;
          if ((slots[p] as number) < slot) {
            // Steps of 1, 2, 4… until past the slot, then bisection within the last step.
            let low = p;
            let step = 1;
            let high = low + 1;
            while (high < size && (slots[high] as number) < slot) {
              low = high;
              step *= 2;
              high = low + step;
            }
            if (high > size) high = size;
            low++;
            while (low < high) {
              const middle = (low + high) >>> 1;
              if ((slots[middle] as number) < slot) low = middle + 1;
              else high = middle;
            }
            p = low;
            if (p >= size) break;
          }
          if (slots[p] !== slot) continue;
          let score = sums[slot] as number;
          if (score === 0) {
            // Matched for the first time: a candidate its base made.
            found[count++] = slot;
            score = baseOf(slot);
          }
          let length = lengthsHere[p] as number;
          if (length === MAX_LENGTH) length = lengths[slot] as number;
          sums[slot] = score + bm25(bound, counts[p] as number, length, averageLength);
        }
        // Scores only grow, so the threshold may rise; candidates out of reach of it are dropped.
        if (kept > limit) {
          threshold = kthScore(wanted, kept, limit);
          rest = remaining[i + 1] as number;
          let still = 0;
          for (let c = 0; c < kept; c++) {
            const slot = wanted[c] as number;
            const score = sums[slot] as number;
            if (((score === 0 ? baseOf(slot) : score) + rest) * SLACK >= threshold) wanted[still++] = slot;
          }
          kept = still;
        }
      }
    }

    const top = topSlots(found, count, sums, limit).map((slot) => ({ slot, score: sums[slot] as number }));
    for (let t = 0; t < count; t++) sums[found[t] as number] = 0;
    return top;
  };
}

/** The `limit` best-scoring slots, best first (ties: first matched first), without sorting them all. */
function topSlots(slots: Int32Array, count: number, scores: Float64Array, limit: number): number[] {
  const top: number[] = [];
  for (let i = 0; i < count; i++) {
    const slot = slots[i] as number;
    const score = scores[slot] as number;
    if (top.length === limit && score <= (scores[top[limit - 1] as number] as number)) continue;
    let low = 0;
    let high = top.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if ((scores[top[middle] as number] as number) >= score) low = middle + 1;
      else high = middle;
    }
    top.splice(low, 0, slot);
    if (top.length > limit) top.pop();
  }
  return top;
}
