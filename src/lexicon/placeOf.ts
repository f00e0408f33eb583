// Where WordNet puts a place: the places it is part of, by its part-holonym pointers (Istanbul is part
// of Turkey, Muscat of Oman, Tel Aviv of Israel). "Which city in Oman" is not answered by Istanbul,
// and a story that names no city WordNet puts in Oman does not say which one.

import { nounsAbove } from "./nounsAbove.ts";
import { baseForms } from "./relatedWords.ts";
import { senses, synset } from "./wordnet.ts";

// WordNet's lexicographer file of places (noun.location).
const LOCATION_FILE = 15;
// Part of, part of that, …: a city is part of a region, of a country, of a continent.
const MAX_STEPS = 6;

/**
 * The place a lower-cased word names, as a synset offset: a noun's first sense that is a place
 * ("oman", "istanbul"; "turkey" the country, not the bird), or the place an adjective is of
 * ("omani", "israeli"). Undefined when WordNet knows it as neither.
 */
export function placeNamed(word: string): number | undefined {
  const lemma = word.toLowerCase().trim().replace(/\s+/g, "_");
  for (const base of baseForms(lemma, "n")) {
    const place = senses(base, "n").find((offset) => synset("n", offset).lexFile === LOCATION_FILE);
    if (place !== undefined) return place;
  }
  for (const base of baseForms(lemma, "a")) {
    for (const offset of senses(base, "a")) {
      const pertains = synset("a", offset).pointers.find(
        (p) => p.symbol === "\\" && p.pos === "n" && synset("n", p.offset).lexFile === LOCATION_FILE,
      );
      if (pertains) return pertains.offset;
    }
  }
  return undefined;
}

/** The places WordNet puts `place` in, however far up (a city's country, its continent). */
export function placesAround(place: number): Set<number> {
  return nounsAbove([place], ["#p"], MAX_STEPS);
}

/**
 * Whether WordNet puts the place `name` elsewhere than in `within` (both places): false when it puts
 * it there, or knows nothing of where it is (then it may be there).
 */
export function placedElsewhere(name: string, within: number): boolean {
  const place = placeNamed(name);
  if (place === undefined || place === within) return false;
  const around = placesAround(place);
  return around.size > 0 && !around.has(within);
}
