// Each indexed passage's terms (term ids, in order) and where its sentences end in them, for every
// passage in one growing Int32Array instead of two typed arrays per passage: at 1,000 articles (14,000
// passages) the arrays' own objects and buffers took about 6 MB of heap for 1.4 MB of numbers.
// A removed passage's numbers stay until they are half of the array, which is then rewritten.

const MIN_REWRITE = 1 << 16;

export class PassageTerms {
  private data = new Int32Array(1 << 14);
  private used = 0;
  private removed = 0;
  /** Per slot: where its terms start in `data`, how many there are (-1 once removed), then its sentence ends. */
  private starts = new Int32Array(1024);
  private termCounts = new Int32Array(1024).fill(-1);
  private sentenceCounts = new Int32Array(1024);

  set(slot: number, terms: Int32Array, sentenceEnds: readonly number[]): void {
    if (slot >= this.starts.length) this.growSlots(slot * 2 + 1);
    if ((this.termCounts[slot] as number) >= 0) this.delete(slot);
    const size = terms.length + sentenceEnds.length;
    if (this.used + size > this.data.length) this.growData(Math.max(this.data.length * 2, this.used + size));
    this.starts[slot] = this.used;
    this.termCounts[slot] = terms.length;
    this.sentenceCounts[slot] = sentenceEnds.length;
    this.data.set(terms, this.used);
    this.data.set(sentenceEnds, this.used + terms.length);
    this.used += size;
  }

  /** The slot's terms (a view, valid until the next change). */
  terms(slot: number): Int32Array {
    const start = this.starts[slot] as number;
    return this.data.subarray(start, start + Math.max(0, this.termCounts[slot] ?? 0));
  }

  /** Where each of the slot's sentences ends in its terms (a view, valid until the next change). */
  sentenceEnds(slot: number): Int32Array {
    const start = (this.starts[slot] as number) + Math.max(0, this.termCounts[slot] ?? 0);
    return this.data.subarray(start, start + (this.sentenceCounts[slot] ?? 0));
  }

  delete(slot: number): void {
    const count = this.termCounts[slot];
    if (count === undefined || count < 0) return;
    this.removed += count + (this.sentenceCounts[slot] as number);
    this.termCounts[slot] = -1;
    this.sentenceCounts[slot] = 0;
    if (this.removed >= MIN_REWRITE && this.removed * 2 > this.used) this.rewrite();
  }

  /** Copies the live slots' numbers, in slot order, into an array without the removed ones. */
  private rewrite(): void {
    const data = new Int32Array(Math.max(1 << 14, (this.used - this.removed) * 2));
    let at = 0;
    for (let slot = 0; slot < this.starts.length; slot++) {
      const count = this.termCounts[slot] as number;
      if (count < 0) continue;
      const start = this.starts[slot] as number;
      const size = count + (this.sentenceCounts[slot] as number);
      data.set(this.data.subarray(start, start + size), at);
      this.starts[slot] = at;
      at += size;
    }
    this.data = data;
    this.used = at;
    this.removed = 0;
  }

  private growData(capacity: number): void {
    const data = new Int32Array(capacity);
    data.set(this.data.subarray(0, this.used));
    this.data = data;
  }

  private growSlots(capacity: number): void {
    const starts = new Int32Array(capacity);
    starts.set(this.starts);
    const termCounts = new Int32Array(capacity).fill(-1);
    termCounts.set(this.termCounts);
    const sentenceCounts = new Int32Array(capacity);
    sentenceCounts.set(this.sentenceCounts);
    this.starts = starts;
    this.termCounts = termCounts;
    this.sentenceCounts = sentenceCounts;
  }
}
