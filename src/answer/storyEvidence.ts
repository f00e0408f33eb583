// The evidence behind "the story doesn't say": a word of the question that the story lacks in every
// form. The retrieved passages are searched first (names, acronyms, related words), then the whole
// corpus's vocabulary, so a passage retrieval missed cannot make a word look absent.
import { namesConcreteThing } from "../lexicon/nounKind.ts";
import { RELATION_STRENGTH, relatedWords } from "../lexicon/relatedWords.ts";
import type { Vocabulary } from "../types.ts";
import { matchStrength, sameName, type TermText } from "./matchTerms.ts";
import { keysOf, type QuestionAnalysis, type QuestionTerm } from "./questionTerms.ts";

/** The keys a name's relatives have (its own keys treat it as a name and have none). */
function nameRelatives(lower: string): Map<string, number> {
  return keysOf(lower, false);
}

/**
 * A related word at least this strong counts as the story having the question's word: synonyms,
 * derived and narrower words do ("boats" is in a story of "gunboats"); a broader word does not.
 */
export const PRESENT_STRENGTH = 0.75;
// Words of time relative to now: a story dated otherwise may still answer "this week".
const RELATIVE_TIME =
  /^(?:week|weekend|today|tonight|tomorrow|yesterday|month|year|now|currently|recently|lately|time)$/;
const NAME_VARIANTS = 50;
// Words for a kind of answer ("did the talks change venue?"): the story gives the venue by its name.
const KIND_OF_ANSWER =
  /^(?:venues?|locations?|places?|dates?|times?|days?|years?|months?|names?|persons?|people|countries|country|cities|city)$/;

export interface Missing {
  /** The question's own terms the story lacks. */
  terms: QuestionTerm[];
  /**
   * The story lacks what the question is about: a name or number it asks about, or the concrete
   * things it names when they are half the question. A missing verb or adjective, or one missing
   * thing among several found, is not enough: the story may say it in other words.
   */
  decisive: boolean;
}

export function missingFromStory(
  analysis: QuestionAnalysis,
  vocabulary: Vocabulary | undefined,
  texts: readonly TermText[] | (() => readonly TermText[]),
): Missing {
  const own = analysis.terms.filter((t) => !t.context);
  // The passages' texts are worked out only if the vocabulary leaves a word unfound (names written
  // otherwise, acronyms, an embedded post's description).
  let known: readonly TermText[] | undefined;
  const textsOf = () => (known ??= typeof texts === "function" ? texts() : texts);
  const abbreviated = vocabulary ? abbreviatedInStory(own, vocabulary) : new Set<QuestionTerm>();
  const terms = own.filter((t) => !abbreviated.has(t) && !inStory(t, vocabulary, textsOf));
  const counted = terms.filter((t) => t.factor === 1 && !RELATIVE_TIME.test(t.lower));
  const named = counted.some((t) => t.name || t.acronym || /\d/.test(t.lower));
  // A concrete thing the story lacks (a currency, a hospital, a pilot) is evidence; an act, event or
  // idea (the "incident", the "plot") the story may tell in its own words. So may a thing the reader
  // calls by a narrower or rarer word than the story's ("sacks" for its "bags"): a word related to
  // it at all, if more loosely than one that says the same, is in the story. Nor is the kind of thing
  // asked for ("what waterway"): the answer names it ("the Strait of Hormuz") without saying what it is.
  const things =
    counted.some(
      (t) =>
        t.thing &&
        t.lower !== analysis.typeNoun &&
        !KIND_OF_ANSWER.test(t.lower) &&
        namesConcreteThing(t.lower) &&
        !inStory(t, vocabulary, textsOf, RELATION_STRENGTH.broader),
    ) && terms.length * 2 >= own.length;
  return { terms, decisive: named || things };
}

// "The UN relief agency" for the story's "UNRWA": a run of the question's words whose initials (an
// acronym's letters whole) the story's acronym spells, in order, with at most a letter or two between.
const RUN = { min: 2, max: 4 };
const ACRONYM_SLACK = 2;
const MIN_ACRONYM = 3;
const ACRONYMS_LOOKED_AT = 50;

function abbreviatedInStory(terms: readonly QuestionTerm[], vocabulary: Vocabulary): Set<QuestionTerm> {
  const covered = new Set<QuestionTerm>();
  // "The United States" for the story's "U.S.": a name of two or more words whose initials the story
  // writes as an acronym (two letters will do for a name, which a stem cannot be).
  for (const entity of new Set(terms.filter((t) => t.name && !t.acronym).map((t) => t.entity))) {
    const words = terms.filter((t) => t.entity === entity);
    const letters = words.map((t) => t.lower[0] ?? "").join("");
    if (words.length >= 2 && vocabulary.documentFrequency(letters) > 0) for (const t of words) covered.add(t);
  }
  for (let start = 0; start < terms.length; start++) {
    for (let length = RUN.max; length >= RUN.min; length--) {
      const run = terms.slice(start, start + length);
      // Common words, perhaps led by an acronym ("UN"): a name is no part of another's acronym.
      if (run.length < length || run.some((t) => t.name && !t.acronym)) continue;
      const letters = run.map((t) => (t.acronym ? t.lower : (t.lower[0] ?? ""))).join("");
      // Two letters spell too much by chance (and a stem such as "wa" for "was").
      if (letters.length < MIN_ACRONYM) continue;
      const spelt = vocabulary
        .keysWithPrefix(letters.slice(0, 2), ACRONYMS_LOOKED_AT)
        .some(
          (key) =>
            key.length <= letters.length + ACRONYM_SLACK &&
            !run.some((t) => t.key === key) &&
            isSubsequence(letters, key) &&
            !relatedWords(key).known,
        );
      if (spelt) {
        for (const t of run) covered.add(t);
        break;
      }
    }
  }
  return covered;
}

function isSubsequence(letters: string, word: string): boolean {
  let at = 0;
  for (const letter of word) if (letter === letters[at]) at++;
  return at === letters.length;
}

// Chat shorthand cuts a word short ("min" for minister, "intel" for intelligence, "gov" for
// government): a short word that begins a longer word of the story is no evidence of its silence.
const ABBREVIATION_LENGTH = { min: 3, max: 5 };
const ABBREVIATED_BY = 3;

function isAbbreviationOf(lower: string, vocabulary: Vocabulary): boolean {
  if (lower.length < ABBREVIATION_LENGTH.min || lower.length > ABBREVIATION_LENGTH.max) return false;
  if (!/^[a-z]+$/.test(lower)) return false;
  return vocabulary
    .keysWithPrefix(lower, NAME_VARIANTS)
    .some((key) => key.length >= lower.length + ABBREVIATED_BY);
}

/** Whether the story has the term, or a word related to it at least `strength` strongly. */
function inStory(
  term: QuestionTerm,
  vocabulary: Vocabulary | undefined,
  texts: () => readonly TermText[],
  strength = PRESENT_STRENGTH,
): boolean {
  if (vocabulary) {
    for (const [key, related] of term.keys) {
      if (related >= strength && vocabulary.documentFrequency(key) > 0) return true;
    }
  }
  if (texts().some((text) => matchStrength(term, text) >= strength)) return true;
  if (vocabulary && !term.name && isAbbreviationOf(term.lower, vocabulary)) return true;
  if (!vocabulary || !term.name) return false;
  // A name the story writes otherwise: "American" for its "U.S.", a country for its capital. WordNet
  // and the news vocabulary know these for countries, peoples and institutions (not for people).
  for (const [key, strength] of nameRelatives(term.lower)) {
    if (strength >= PRESENT_STRENGTH && vocabulary.documentFrequency(key) > 0) return true;
  }
  if (term.lower.length < 4) return false;
  // "Iranians" in the question, "Iran" in the story: the vocabulary's keys are stems of lower-cased words.
  return vocabulary
    .keysWithPrefix(term.lower.slice(0, 4), NAME_VARIANTS)
    .some((key) => sameName(key, term.lower) || sameName(key, term.key));
}
