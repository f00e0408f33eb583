// Words as search and overlap scoring see them: lower case, no stop words, Porter-stemmed.
import { stemmer } from "stemmer";
import { memo } from "./memo.ts";

// Common English function words; they carry no meaning for matching a question to a passage.
export const STOP_WORDS = new Set(
  (
    "a about above after again against all am an and any are as at be because been before being below between both but by " +
    "can could did do does doing down during each few for from further had has have having he her here hers herself him " +
    "himself his how i if in into is it its itself just me more most my myself no nor not now of off on once only or other " +
    "our ours ourselves out over own same she should so some such than that the their theirs them themselves then there " +
    "these they this those through to too under until up very was we were what when where which while who whom why will " +
    "with would you your yours yourself yourselves s t don didn doesn isn wasn weren won also said says say tell told"
  ).split(" "),
);

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

/** Lower-cased words of a text, in order, possessive 's dropped. */
export function words(text: string): string[] {
  return (text.toLowerCase().match(WORD) ?? []).map((w) => w.replace(/['’]s$/, ""));
}

/** Porter stem; remembered, as the same words are stemmed on every question. */
export const stem: (word: string) => string = memo(stemmer, (word) => word, 50_000);

/** Stemmed content words: what two texts must share to be about the same thing. */
export function contentTerms(text: string): string[] {
  return words(text)
    .filter((w) => !STOP_WORDS.has(w))
    .map(stem);
}
