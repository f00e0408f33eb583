// What kind of thing a noun names, from the lexicographer file WordNet sorts each sense into: a
// person ("cadets", "anarchists", "treasurer"), a group or organisation ("company", "police"), a
// place ("harbour", "neighbourhood") or a time ("summer", "noon"). It tells whether a sentence holds
// the kind of fact a question asks for ("who" is answered by "the anarchists", not only by a name)
// without a hand list of such words. Worked out on first use of a word and remembered.
import { baseForms } from "./relatedWords.ts";
import { type PartOfSpeech, senses, synset, taggedSenses } from "./wordnet.ts";

export type NounKind = "person" | "group" | "location" | "time";

// WordNet's lexicographer file numbers (lexnames) of the kinds above.
const KIND_OF_FILE: ReadonlyMap<number, NounKind> = new Map([
  [18, "person"],
  [14, "group"],
  [15, "location"],
  [28, "time"],
]);
// Only the commonest senses decide: "bank" is first a slope and an institution, not a place to stand.
const SENSES_CONSULTED = 2;
const MAX_REMEMBERED = 20_000;
const remembered = new Map<string, ReadonlySet<NounKind>>();
const NONE: ReadonlySet<NounKind> = new Set();

/**
 * Whether the word is used more as a noun than as anything else in WordNet's tagged corpus: "see" is
 * a bishop's seat as a noun, but a verb when a sentence says it.
 */
function mostlyNoun(word: string, base: string): boolean {
  const asNoun = taggedSenses(base, "n");
  const others: PartOfSpeech[] = ["v", "a", "r"];
  return others.every((pos) => {
    const other = baseForms(word, pos)[0];
    return other === undefined || taggedSenses(other, pos) <= asNoun;
  });
}

/** Whether a lower-cased word is a noun WordNet's tagged corpus uses more as a noun than otherwise ("jet", not "made"). */
export function usedMostlyAsNoun(word: string): boolean {
  const base = baseForms(word, "n")[0];
  return base !== undefined && mostlyNoun(word, base);
}

/** The kinds a lower-cased word names in its commonest noun senses (empty when it is no noun). */
export function nounKinds(word: string): ReadonlySet<NounKind> {
  let kinds = remembered.get(word);
  if (!kinds) {
    const found = new Set<NounKind>();
    const base = baseForms(word, "n")[0];
    if (base && mostlyNoun(word, base)) {
      for (const offset of senses(base, "n").slice(0, SENSES_CONSULTED)) {
        const kind = KIND_OF_FILE.get(synset("n", offset).lexFile);
        if (kind) found.add(kind);
      }
    }
    kinds = found.size > 0 ? found : NONE;
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    remembered.set(word, kinds);
  }
  return kinds;
}

// Lexicographer files of things a story calls by their names (a person, a group, an artifact, a place,
// a substance, an amount of money …), unlike acts, events, states and ideas, which a story may tell in
// its own words ("attempted to board" for "the incident").
// (animal 5, artifact 6, body 8, food 13, group 14, location 15, object 17, person 18, phenomenon 19,
// plant 20, possession 21, quantity 23, substance 27, time 28).
const CONCRETE_FILES: ReadonlySet<number> = new Set([5, 6, 8, 13, 14, 15, 17, 18, 19, 20, 21, 23, 27, 28]);

/** Whether the word's commonest noun sense is a concrete thing (see CONCRETE_FILES). */
export function namesConcreteThing(word: string): boolean {
  const base = baseForms(word, "n")[0];
  const first = base ? senses(base, "n")[0] : undefined;
  return first !== undefined && CONCRETE_FILES.has(synset("n", first).lexFile);
}

// noun.object: natural things a place may be ("the Arabian Sea", "the Rhine", "an island").
const NATURAL_OBJECT_FILE = 17;

/** Whether the word, mostly a noun, is first a natural object: a sea, a river, a body of water. */
export function namesNaturalObject(word: string): boolean {
  const base = baseForms(word, "n")[0];
  const first = base && mostlyNoun(word, base) ? senses(base, "n")[0] : undefined;
  return first !== undefined && synset("n", first).lexFile === NATURAL_OBJECT_FILE;
}
