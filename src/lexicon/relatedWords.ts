// Words a story may use for a word of a question, from WordNet: the word's dictionary forms, the other
// words of its commonest senses (tried ~ attempted, stop ~ halt, hurt ~ wounded), the words derived
// from it (insist ~ insistence, rebuild ~ reconstruction), narrower words (boat ~ gunboat) and, at a
// lower strength, broader ones (gunboat ~ boat). Each comes as matching keys (see wordKeys) with the
// strength of the relation, 0..1. Worked out on first use of a word and remembered.

import { irregularBases, wordKeys } from "./wordKeys.ts";
import { PARTS_OF_SPEECH, type PartOfSpeech, type Synset, senses, synset, taggedSenses } from "./wordnet.ts";

/** How strongly a relation suggests that a story's word says what the question's word asks. */
export const RELATION_STRENGTH = {
  same: 1,
  synonym: 0.85,
  // A shade below a synonym: "Israeli" is not "Israel", though it says the question's word is there.
  derived: 0.84,
  narrower: 0.8,
  similar: 0.7,
  broader: 0.6,
} as const;

// Only the commonest senses: WordNet orders them by frequency, and the rare ones ("try" as in a
// court) bring words that mean something else.
const MAX_SENSES = 3;
const SENSE_DECAY = 0.1;
// A sense with more narrower senses than this is too general to stand for any one of them
// ("person" has hundreds).
const MAX_NARROWER = 40;

/** Detachment rules of WordNet's morphy: suffix → replacement, per part of speech. */
const SUFFIXES: Record<PartOfSpeech, readonly (readonly [string, string])[]> = {
  n: [
    ["s", ""],
    ["ses", "s"],
    ["xes", "x"],
    ["zes", "z"],
    ["ches", "ch"],
    ["shes", "sh"],
    ["men", "man"],
    ["ies", "y"],
  ],
  v: [
    ["s", ""],
    ["ies", "y"],
    ["es", "e"],
    ["es", ""],
    ["ed", "e"],
    ["ed", ""],
    ["ing", "e"],
    ["ing", ""],
  ],
  a: [
    ["er", ""],
    ["est", ""],
    ["er", "e"],
    ["est", "e"],
  ],
  r: [],
};

const INFLECTED_AS = { n: "noun", v: "verb", a: "adjective" } as const;

/** Dictionary forms of a lower-cased word as `pos` that WordNet knows, the word itself first if it is one. */
export function baseForms(word: string, pos: PartOfSpeech): string[] {
  const candidates = [word, ...(pos === "r" ? [] : irregularBases(word, INFLECTED_AS[pos]))];
  for (const [suffix, replacement] of SUFFIXES[pos]) {
    if (word.length > suffix.length + 1 && word.endsWith(suffix))
      candidates.push(word.slice(0, -suffix.length) + replacement);
  }
  const forms: string[] = [];
  for (const candidate of candidates) {
    if (!forms.includes(candidate) && senses(candidate, pos).length > 0) forms.push(candidate);
  }
  return forms;
}

export interface Relatives {
  /** Matching key → strength of the relation (1 for the word's own forms). */
  keys: ReadonlyMap<string, number>;
  /** WordNet knows the word (in some part of speech). */
  known: boolean;
  /**
   * The word's commonest noun sense is too general to stand for any one narrower thing ("people",
   * "person", "thing"): it has more than MAX_NARROWER narrower senses.
   */
  general: boolean;
  /**
   * The word is used as a noun: WordNet's tagged corpus has it as one (or has it in no part of speech at
   * all). "born" is a noun only as a physicist's name, never seen so: not a noun.
   */
  noun: boolean;
}

const remembered = new Map<string, Relatives>();
const MAX_REMEMBERED = 20_000;

/** The keys a story's word may have when it says what `word` (lower case) says. */
export function relatedWords(word: string): Relatives {
  let found = remembered.get(word);
  if (!found) {
    found = lookUp(word);
    if (remembered.size >= MAX_REMEMBERED) remembered.clear();
    remembered.set(word, found);
  }
  return found;
}

function lookUp(word: string): Relatives {
  const keys = new Map<string, number>();
  const add = (lemma: string, strength: number) => {
    // A multi-word lemma ("pass_away") is not one word of a sentence.
    if (lemma.includes("_") || lemma.includes("-")) return;
    for (const key of wordKeys(lemma)) if (strength > (keys.get(key) ?? 0)) keys.set(key, strength);
  };
  add(word, RELATION_STRENGTH.same);
  let known = false;
  let general = false;
  const tagged: Record<PartOfSpeech, number> = { n: -1, v: -1, a: -1, r: -1 };
  for (const pos of PARTS_OF_SPEECH) {
    for (const base of baseForms(word, pos)) {
      known = true;
      tagged[pos] = Math.max(tagged[pos], taggedSenses(base, pos));
      add(base, RELATION_STRENGTH.same);
      const first = senses(base, pos)[0];
      if (pos === "n" && first !== undefined && narrowerCount(synset(pos, first)) > MAX_NARROWER)
        general = true;
      senses(base, pos)
        .slice(0, MAX_SENSES)
        .forEach((offset, rank) => {
          // A rarer sense is less likely the one meant: its relatives count a little less.
          const decay = 1 - SENSE_DECAY * rank;
          addSense(pos, offset, base, (lemma, strength) => add(lemma, strength === 1 ? 1 : strength * decay));
        });
    }
  }
  const noun = tagged.n > 0 || (tagged.n === 0 && Math.max(tagged.v, tagged.a, tagged.r) <= 0);
  return { keys, known, noun, general };
}

function addSense(
  pos: PartOfSpeech,
  offset: number,
  base: string,
  add: (lemma: string, strength: number) => void,
): void {
  const sense = synset(pos, offset);
  for (const word of sense.words) if (isCommonSense(word, pos, offset)) add(word, RELATION_STRENGTH.synonym);
  const own = sense.words.indexOf(base) + 1;
  const narrower = narrowerCount(sense);
  for (const pointer of sense.pointers) {
    // A lexical pointer links one word of the synset; only this word's count.
    if (pointer.source !== 0 && pointer.source !== own) continue;
    const strength = strengthOf(pos, pointer.symbol, narrower);
    if (strength === undefined) continue;
    const target = synset(pointer.pos, pointer.offset);
    const words = pointer.target > 0 ? [target.words[pointer.target - 1] ?? ""] : target.words;
    for (const word of words) if (isCommonSense(word, pointer.pos, pointer.offset)) add(word, strength);
  }
}

function narrowerCount(sense: Synset): number {
  return sense.pointers.filter((p) => p.symbol === "~").length;
}

/**
 * True when the sense is one of the word's commonest: "go" is in a sense of "die", but a story's "go"
 * almost never means dying, so it does not stand for "die" (nor "get" for "begin").
 */
function isCommonSense(word: string, pos: PartOfSpeech, offset: number): boolean {
  return senses(word, pos).slice(0, MAX_SENSES).includes(offset);
}

// Narrower and broader words only for nouns: a verb's narrower verbs are manners of doing it ("try" →
// "gamble", "risk") and its broader ones mostly vague ("stop" → "act"), neither saying the same thing.
function strengthOf(pos: PartOfSpeech, symbol: string, narrower: number): number | undefined {
  if ((symbol === "~" || symbol === "@") && pos !== "n") return undefined;
  switch (symbol) {
    case "+": // derivationally related form
    case "\\": // pertainym ("nuclear" ~ "nucleus"), or the adjective an adverb derives from
    case "<": // the verb an adjective is the participle of
    case "=": // attribute ("long" ~ "length")
      return RELATION_STRENGTH.derived;
    case "~":
      return narrower <= MAX_NARROWER ? RELATION_STRENGTH.narrower : undefined;
    case "&": // similar adjective
      return RELATION_STRENGTH.similar;
    case "@":
      return RELATION_STRENGTH.broader;
    default:
      return undefined;
  }
}
