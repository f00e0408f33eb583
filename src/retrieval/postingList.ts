// One term's postings as typed arrays: where it occurs (passage or article slots) and how often. Typed
// arrays rather than arrays of numbers: a common term has hundreds of thousands of postings, which a
// search walks in a tight loop, and they take 6 bytes a posting instead of 16.

/** Term counts above this are stored as this (no real passage repeats a word 65,535 times). */
export const MAX_COUNT = 0xffff;

export class PostingList {
  /** Slots holding the term, ascending for passages (new passages take new, higher slots). */
  slots = new Int32Array(4);
  /** How often the term occurs in the slot at the same index. */
  counts = new Uint16Array(4);
  size = 0;
  /**
   * The highest count and the shortest slot length among the postings, ever: a search bounds what the
   * term can add to any one score with them (BM25 grows with the count and falls with the length).
   * Removing postings leaves them as they were, still bounds; compacting recomputes them.
   */
  maxCount = 0;
  minLength = Number.POSITIVE_INFINITY;

  add(slot: number, count: number, length: number): void {
    if (this.size === this.slots.length) this.grow(this.size * 2);
    const stored = Math.min(count, MAX_COUNT);
    this.slots[this.size] = slot;
    this.counts[this.size] = stored;
    this.size++;
    if (stored > this.maxCount) this.maxCount = stored;
    if (length < this.minLength) this.minLength = length;
  }

  /** Drops the posting of `slot`, if any (order kept). */
  remove(slot: number): void {
    const at = this.slots.subarray(0, this.size).indexOf(slot);
    if (at < 0) return;
    this.slots.copyWithin(at, at + 1, this.size);
    this.counts.copyWithin(at, at + 1, this.size);
    this.size--;
  }

  /** Keeps the postings whose slot has a length (≥ 0) in `lengths`, in order, and tightens the bounds. */
  compact(lengths: Int32Array): void {
    let kept = 0;
    this.maxCount = 0;
    this.minLength = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.size; i++) {
      const slot = this.slots[i] as number;
      const length = lengths[slot] as number;
      if (length < 0) continue;
      const count = this.counts[i] as number;
      this.slots[kept] = slot;
      this.counts[kept] = count;
      kept++;
      if (count > this.maxCount) this.maxCount = count;
      if (length < this.minLength) this.minLength = length;
    }
    this.size = kept;
    if (kept < this.slots.length / 4) this.grow(Math.max(4, kept * 2));
  }

  private grow(capacity: number): void {
    const slots = new Int32Array(capacity);
    slots.set(this.slots.subarray(0, this.size));
    const counts = new Uint16Array(capacity);
    counts.set(this.counts.subarray(0, this.size));
    this.slots = slots;
    this.counts = counts;
  }
}

/** A copy of `array` with room for `capacity` values. */
export function grown(array: Int32Array, capacity: number): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(capacity);
  bigger.set(array.subarray(0, Math.min(array.length, capacity)));
  return bigger;
}
