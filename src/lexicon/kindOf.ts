// Whether one noun names a kind of what another names, by WordNet's broader senses: a gunboat is a
// kind of boat, of vessel and of craft, so "six gunboats" counts the craft of "how many patrol craft".
import { baseForms } from "./relatedWords.ts";
import { senses, synset } from "./wordnet.ts";

// A word's commonest senses only, and a few steps up: far enough for "gunboat" → "craft", not so far
// that everything is an "object".
const SENSES_CONSULTED = 2;
const MAX_STEPS = 4;

/** Whether the lower-cased noun `word` names a kind of `kind` (itself included). */
export function isKindOf(word: string, kind: string): boolean {
  const kindBase = baseForms(kind, "n")[0];
  const wordBase = baseForms(word, "n")[0];
  if (!kindBase || !wordBase) return false;
  const targets = new Set(senses(kindBase, "n").slice(0, SENSES_CONSULTED));
  let layer = senses(wordBase, "n").slice(0, SENSES_CONSULTED);
  for (let step = 0; step <= MAX_STEPS && layer.length > 0; step++) {
    if (layer.some((offset) => targets.has(offset))) return true;
    layer = layer.flatMap((offset) =>
      synset("n", offset)
        .pointers.filter((p) => (p.symbol === "@" || p.symbol === "@i") && p.pos === "n")
        .map((p) => p.offset),
    );
  }
  return false;
}
