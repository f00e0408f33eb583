// The keys a word is matched under, shared by the index, the question analysis and the reader, so
// that the forms of one word meet: its Porter stem ("attempted" → "attempt"), the stem of its
// dictionary form when the inflection is irregular ("wrote", "written" → "write"; "children" →
// "child"; WordNet's own exception lists, as the `wink-lexicon` package ships them), and the digits
// of a number word ("six" → "6", so "six gunboats" answers "how many … 6"). Regular inflections need
// no dictionary: the stemmer already joins them.
import { createRequire } from "node:module";
import { stem } from "../text/words.ts";

const require = createRequire(import.meta.url);

type Exceptions = Record<string, string | undefined>;
let exceptions: { verb: Exceptions; noun: Exceptions; adjective: Exceptions } | undefined;

/** WordNet's irregular forms (≈ 5,600 of them, 2 MB), loaded on first use. */
function irregular() {
  exceptions ??= {
    verb: require("wink-lexicon/src/wn-verb-exceptions.js") as Exceptions,
    noun: require("wink-lexicon/src/wn-noun-exceptions.js") as Exceptions,
    adjective: require("wink-lexicon/src/wn-adjective-exceptions.js") as Exceptions,
  };
  return exceptions;
}

export type InflectedAs = "verb" | "noun" | "adjective";

/**
 * Dictionary forms of an irregular inflection ("went" → ["go"], "feet" → ["foot"]), as any part of
 * speech or the one given; empty otherwise.
 */
export function irregularBases(word: string, as?: InflectedAs): string[] {
  const lists = irregular();
  const bases: string[] = [];
  for (const kind of as ? [as] : (["verb", "noun", "adjective"] as const)) {
    const list = lists[kind];
    // Own properties only: the lists are plain objects, and "constructor" is no English word's base.
    const base = Object.hasOwn(list, word) ? list[word] : undefined;
    if (typeof base === "string" && base !== word && !bases.includes(base)) bases.push(base);
  }
  return bases;
}

const NUMBER_WORDS = new Map(
  (
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen " +
    "sixteen seventeen eighteen nineteen twenty"
  )
    .split(" ")
    .map((word, value) => [word, String(value)] as const)
    .concat(
      "thirty forty fifty sixty seventy eighty ninety"
        .split(" ")
        .map((word, i) => [word, String((i + 3) * 10)] as const),
      [
        ["hundred", "100"],
        ["thousand", "1000"],
        ["million", "1000000"],
        ["billion", "1000000000"],
        ["dozen", "12"],
      ],
    ),
);

/** The digits a number word stands for ("six" → "6"); undefined for other words. */
export function numberValue(word: string): string | undefined {
  if (/^\d+$/.test(word)) return String(Number(word));
  // "thousands", "dozens": the plural of a round number still names it.
  return NUMBER_WORDS.get(word) ?? NUMBER_WORDS.get(word.replace(/s$/, ""));
}

// Stemming is the costliest step of indexing and a corpus has a small vocabulary, so keys are
// remembered; the cap keeps a stream of unusual words from growing the memory without bound.
const KEYS = new Map<string, readonly string[]>();
const MAX_REMEMBERED = 200_000;
// The stemmer makes "news" into "new", which matches every "new" of a story.
const STEM_EXCEPTIONS = new Map([["news", "news"]]);

/** Porter stem, with the few corrections news copy needs. */
export function stemWord(word: string): string {
  return STEM_EXCEPTIONS.get(word) ?? stem(word);
}

/**
 * Keys of a lower-cased word: its stem first, then the stems of its irregular dictionary forms and
 * the digits of a number word. Two words match when they share a key.
 */
export function wordKeys(word: string): readonly string[] {
  let keys = KEYS.get(word);
  if (keys === undefined) {
    const own = stemWord(word);
    const all = [own];
    for (const base of irregularBases(word)) {
      const key = stemWord(base);
      if (!all.includes(key)) all.push(key);
    }
    const digits = numberValue(word);
    if (digits !== undefined && !all.includes(digits)) all.push(digits);
    keys = all;
    if (KEYS.size >= MAX_REMEMBERED) KEYS.clear();
    KEYS.set(word, keys);
  }
  return keys;
}
