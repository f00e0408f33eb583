// The passages' terms kept in one array (retrieval/passageTerms.ts): what is set is what is read back,
// through growth, removals and the rewrites that drop removed numbers.
import { describe, expect, it } from "vitest";
import { PassageTerms } from "../src/retrieval/passageTerms.ts";

describe("PassageTerms", () => {
  it("gives back each slot's terms and sentence ends, also once removed slots have been rewritten away", () => {
    const store = new PassageTerms();
    const expected = new Map<number, { terms: number[]; ends: number[] }>();
    // Enough slots and removals to grow the slots and the numbers, and to rewrite them more than once.
    for (let slot = 0; slot < 5_000; slot++) {
      const terms = Array.from({ length: 20 + (slot % 13) }, (_, i) => slot * 7 + i);
      const ends = [5, 12, terms.length];
      store.set(slot, Int32Array.from(terms), ends);
      expected.set(slot, { terms, ends });
      if (slot % 3 !== 0) {
        store.delete(slot - 1);
        expected.delete(slot - 1);
      }
    }
    for (const [slot, { terms, ends }] of expected) {
      expect([...store.terms(slot)]).toEqual(terms);
      expect([...store.sentenceEnds(slot)]).toEqual(ends);
    }
    expect([...store.terms(1)]).toEqual([]);
    expect([...store.sentenceEnds(1)]).toEqual([]);
  });
});
