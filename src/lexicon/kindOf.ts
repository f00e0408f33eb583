// Whether one noun names a kind of what another names, by WordNet's broader senses: a gunboat is a
// kind of boat, of vessel and of craft, so "six gunboats" counts the craft of "how many patrol craft".

import { nounsAbove } from "./nounsAbove.ts";
import { baseForms } from "./relatedWords.ts";
import { senses } from "./wordnet.ts";

// A word's commonest senses only, and a few steps up: far enough for "gunboat" → "craft", not so far
// that everything is an "object".
const SENSES_CONSULTED = 2;
const MAX_STEPS = 4;

/** Whether the lower-cased noun `word` names a kind of `kind` (itself included). */
export function isKindOf(word: string, kind: string): boolean {
  const kindBase = baseForms(kind, "n")[0];
  const wordBase = baseForms(word, "n")[0];
  if (!kindBase || !wordBase) return false;
  const targets = senses(kindBase, "n").slice(0, SENSES_CONSULTED);
  const own = senses(wordBase, "n").slice(0, SENSES_CONSULTED);
  const broader = nounsAbove(own, ["@", "@i"], MAX_STEPS);
  return targets.some((offset) => own.includes(offset) || broader.has(offset));
}
