// One term's postings as typed arrays: where it occurs (passage or article slots), how often, and how
// long that slot is. Typed arrays rather than arrays of numbers: a common term has hundreds of
// thousands of postings, which a search walks in a tight loop, and they take 8 bytes a posting instead
// of 16. The length is kept with the posting, though each slot has one, because reading it from a
// per-slot array cost a cache miss per posting: the search's time went to those reads.

/** Term counts above this are stored as this (no real passage repeats a word 65,535 times). */
export const MAX_COUNT = 0xffff;
/** Lengths from this on are stored as this; the slot's own length is then read from the index. */
export const MAX_LENGTH = 0xffff;

export class PostingList {
  /** Slots holding the term, ascending for passages (new passages take new, higher slots). */
  slots: Int32Array;
  /** How often the term occurs in the slot at the same index; 0 once the slot was removed. */
  counts: Uint16Array;
  /** The slot's length in terms, up to MAX_LENGTH. */
  lengths: Uint16Array;
  size = 0;
  /**
   * The highest count and the shortest slot length among the postings, ever: a search bounds what the
   * term can add to any one score with them (BM25 grows with the count and falls with the length).
   * Removing postings leaves them as they were, still bounds; compacting recomputes them.
   */
  maxCount = 0;
  minLength = Number.POSITIVE_INFINITY;

  constructor() {
    [this.slots, this.counts, this.lengths] = columns(4);
  }

  add(slot: number, count: number, length: number): void {
    if (this.size === this.slots.length) this.grow(this.size * 2);
    const stored = Math.min(count, MAX_COUNT);
    this.slots[this.size] = slot;
    this.counts[this.size] = stored;
    this.lengths[this.size] = Math.min(length, MAX_LENGTH);
    this.size++;
    if (stored > this.maxCount) this.maxCount = stored;
    if (length < this.minLength) this.minLength = length;
  }

  /** Drops the posting of `slot`, if any (order kept): for lists not in slot order. */
  remove(slot: number): void {
    const at = this.slots.subarray(0, this.size).indexOf(slot);
    if (at < 0) return;
    this.slots.copyWithin(at, at + 1, this.size);
    this.counts.copyWithin(at, at + 1, this.size);
    this.lengths.copyWithin(at, at + 1, this.size);
    this.size--;
  }

  /**
   * Marks the posting of `slot` removed (count 0), found by bisection in a slot-ordered list; a search
   * skips it without reading anything else, and `compact` drops it.
   */
  clear(slot: number): void {
    let low = 0;
    let high = this.size;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if ((this.slots[middle] as number) < slot) low = middle + 1;
      else high = middle;
    }
    if (this.slots[low] === slot && low < this.size) this.counts[low] = 0;
  }

  /** Drops the removed postings, in order, and tightens the bounds to the postings left. */
  compact(slotLengths: Int32Array): void {
    let kept = 0;
    this.maxCount = 0;
    this.minLength = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.size; i++) {
      const count = this.counts[i] as number;
      if (count === 0) continue;
      const slot = this.slots[i] as number;
      this.slots[kept] = slot;
      this.counts[kept] = count;
      this.lengths[kept] = this.lengths[i] as number;
      kept++;
      const length = slotLengths[slot] as number;
      if (count > this.maxCount) this.maxCount = count;
      if (length < this.minLength) this.minLength = length;
    }
    this.size = kept;
    if (kept < this.slots.length / 4) this.grow(Math.max(4, kept * 2));
  }

  private grow(capacity: number): void {
    const [slots, counts, lengths] = columns(capacity);
    slots.set(this.slots.subarray(0, this.size));
    counts.set(this.counts.subarray(0, this.size));
    lengths.set(this.lengths.subarray(0, this.size));
    this.slots = slots;
    this.counts = counts;
    this.lengths = lengths;
  }
}

/**
 * The three columns of `capacity` postings as views of one buffer (4 + 2 + 2 bytes a posting): one
 * buffer and its bookkeeping per list instead of three, for every term of the vocabulary.
 */
function columns(capacity: number): [Int32Array, Uint16Array, Uint16Array] {
  const buffer = new ArrayBuffer(capacity * 8);
  return [
    new Int32Array(buffer, 0, capacity),
    new Uint16Array(buffer, capacity * 4, capacity),
    new Uint16Array(buffer, capacity * 6, capacity),
  ];
}

/** A copy of `array` with room for `capacity` values. */
export function grown(array: Int32Array, capacity: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(capacity);
  bigger.set(array.subarray(0, Math.min(array.length, capacity)));
  return bigger;
}
