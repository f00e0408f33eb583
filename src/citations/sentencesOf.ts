// A passage's sentences, split once per distinct text rather than by every check that reads the
// passage: the prompt's reporting-only copy, the guard's facts and the quote of a citation each read
// the same passages, and splitting (Intl.Segmenter) is most of what a question's citation checks
// cost. The sentences are frozen because every caller shares them.
import { memo } from "../text/memo.ts";
import { type Sentence, splitSentences } from "../text/sentences.ts";

/** splitSentences, remembered by text. */
export const sentencesOf: (text: string) => readonly Readonly<Sentence>[] = memo(
  (text: string) => Object.freeze(splitSentences(text).map((s) => Object.freeze(s))),
  (text) => text,
  20_000,
);
