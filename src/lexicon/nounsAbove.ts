// The noun senses WordNet reaches from some senses by one kind of pointer, step by step: the broader
// senses of a word ("gunboat" → boat → vessel → craft), the places a place is part of (Istanbul →
// Turkey → Asia Minor). Shared by kindOf.ts and placeOf.ts.
import { synset } from "./wordnet.ts";

/** Noun senses reached from `start` over pointers with one of `symbols`, at most `maxSteps` away. */
export function nounsAbove(
  start: readonly number[],
  symbols: readonly string[],
  maxSteps: number,
): Set<number> {
  const reached = new Set<number>();
  let layer = [...start];
  for (let step = 0; step < maxSteps && layer.length > 0; step++) {
    const next: number[] = [];
    for (const offset of layer) {
      for (const p of synset("n", offset).pointers) {
        if (p.pos === "n" && symbols.includes(p.symbol) && !reached.has(p.offset)) {
          reached.add(p.offset);
          next.push(p.offset);
        }
      }
    }
    layer = next;
  }
  return reached;
}
