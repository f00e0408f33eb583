// A passage's sentences and which of them do not report, worked out once per distinct text rather
// than by every check that reads the passage: the prompt's reporting-only copy, the guard's facts and
// the quote of a citation each read the same passages, and splitting (Intl.Segmenter) is most of what
// a question's citation checks cost. Entries are keyed by the passage's own text string, which the
// index holds anyway, so a key costs no memory of its own; the caches stay small because the passages
// of the last few questions are what gets read again.
import { type Sentence, splitSentences } from "../text/sentences.ts";

/** One value per text, for the context it was worked out in (worked out again for another). */
export function rememberedPerText<C, V>(
  compute: (text: string, context: C) => V,
  contextKey: (context: C) => string,
  max: number,
): (text: string, context: C) => V {
  const cache = new Map<string, { context: string; value: V }>();
  return (text, context) => {
    const key = contextKey(context);
    const entry = cache.get(text);
    if (entry?.context === key) return entry.value;
    // Full: start over, which bounds memory without the bookkeeping of an LRU.
    if (!entry && cache.size >= max) cache.clear();
    const value = compute(text, context);
    cache.set(text, { context: key, value });
    return value;
  };
}

const sentencesByText = rememberedPerText(
  (text: string) => Object.freeze(splitSentences(text).map((s) => Object.freeze(s))),
  () => "",
  2_000,
);

/** splitSentences, remembered for the texts of recent passages; the sentences are shared, so frozen. */
export function sentencesOf(text: string): readonly Readonly<Sentence>[] {
  return sentencesByText(text, undefined);
}
