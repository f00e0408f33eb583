// The terms the index and the queries are made of: the shared words/STOP_WORDS/stem of src/text, on
// text normalised so that spellings of one thing meet ("U.S." and "US", "𝕏" and "X").

import { wordKeys } from "../lexicon/wordKeys.ts";
import { splitSentences } from "../text/sentences.ts";
import { STOP_WORDS, words } from "../text/words.ts";

// Dotted abbreviations ("U.S.", "U.N.") become one word, as their undotted spelling is.
const DOTTED = /(?<![\p{L}\p{N}])((?:\p{L}\.){2,})/gu;
// Symbols glued to words that are not part of them ("Eagleman™").
const MARKS = /[™®©]/g;

/** Lower-cased words of a text after normalisation, stop words kept. */
export function normalizedWords(text: string): string[] {
  const normal = text
    .replace(MARKS, " ")
    .normalize("NFKC")
    .replace(DOTTED, (abbreviation) => abbreviation.replaceAll(".", ""));
  return words(normal);
}

/** A word's own stem (its first key; see wordKeys). */
export function stemOf(word: string): string {
  return wordKeys(word)[0] ?? word;
}

/** Keys of the content words of a text, in order (repeats kept, for term frequency; see wordKeys). */
export function searchTerms(text: string): string[] {
  const terms: string[] = [];
  for (const word of normalizedWords(text)) {
    if (!STOP_WORDS.has(word)) terms.push(...wordKeys(word));
  }
  return terms;
}

/**
 * Stands for any number in indexed text: "how many" asks for a number, whatever its digits. It has
 * no letters, so no word of a question ever turns into it.
 */
export const NUMBER_TERM = "#";
const NUMBER =
  /^(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|dozens?|hundreds?|thousands?|millions?|billions?)$/;

export interface SentenceTerms {
  /** The text's terms, in order. */
  terms: string[];
  /** Where each sentence's terms end in `terms` (exclusive), in order. */
  sentenceEnds: number[];
}

/**
 * Terms of a text to index, with its sentence boundaries, in one pass: the keys of the content words,
 * and NUMBER_TERM after each number.
 */
export function sentenceTerms(text: string): SentenceTerms {
  const terms: string[] = [];
  const sentenceEnds: number[] = [];
  for (const sentence of splitSentences(text)) {
    for (const word of normalizedWords(sentence.text)) {
      if (STOP_WORDS.has(word)) continue;
      terms.push(...wordKeys(word));
      if (NUMBER.test(word)) terms.push(NUMBER_TERM);
    }
    sentenceEnds.push(terms.length);
  }
  return { terms, sentenceEnds };
}
