// Does a passage say what a sentence claims? A marker proves only that a passage was sent; a shown
// sentence must also rest on what it cites. The test is lexical and deliberately asymmetric:
// - every number (digits or number words) and every name in the sentence must be in the cited
//   passages: these are what a wrong answer gets wrong, and no paraphrase changes them;
// - most of its other content words must be there too, as the same word, an inflection, or a
//   derived form ("Iranian" ~ "Iran", "negotiators" ~ "negotiations"), so a model's paraphrase of
//   the passage passes while a claim the passage never makes does not.
// The article title (and an embedded post's author) count as part of the passage: the model sees them
// in the passage's label.

import { STOP_WORDS, stem, words } from "../text/words.ts";
import type { Passage } from "../types.ts";
import { rememberedPerText } from "./sentencesOf.ts";

const SMALL_NUMBERS =
  "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen twenty".split(
    " ",
  );
const SMALL_NUMBER_VALUES = new Map(SMALL_NUMBERS.map((word, value) => [word, value]));
const TENS: Record<string, number> = {
  thirty: 30,
  forty: 40,
  fifty: 50,
  sixty: 60,
  seventy: 70,
  eighty: 80,
  ninety: 90,
};
const SCALES: Record<string, string> = {
  hundred: "00",
  thousand: "000",
  million: "000000",
  billion: "000000000",
};
const ORDINALS: Record<string, number> = {
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  sixth: 6,
  seventh: 7,
  eighth: 8,
  ninth: 9,
  tenth: 10,
};
// Every word for which a look-up in numbersIn finds something: the tables' own words, and the names
// every object inherits (the tables are plain objects).
const MAYBE_NUMBER_WORDS = new Set([
  ...SMALL_NUMBERS,
  ...Object.keys(TENS),
  ...Object.keys(ORDINALS),
  ...Object.getOwnPropertyNames(Object.prototype),
]);
// Words a model uses to point at its sources ("the article says", "the passages report"): not claims.
const SOURCE_WORDS = new Set(["articl", "stori", "passag", "text", "sourc", "excerpt"]);
// Capitalised words that open clauses or name no one; a capital letter alone does not make a name.
const NOT_NAMES = new Set([
  "i",
  "a",
  "an",
  "the",
  "this",
  "that",
  "these",
  "those",
  "it",
  "he",
  "she",
  "they",
  "we",
]);

/** What a text says, in the forms the check compares. */
interface Terms {
  numbers: Set<string>;
  /** Lower-cased words (for names) and stemmed content words, together. */
  vocabulary: Set<string>;
  /** Stemmed content words. */
  stems: string[];
}

function termsOf(text: string, asClaim = false): Terms {
  const flat = withoutAcronymDots(text);
  // The words are read once for all three (contentTerms is these words, stop words left out, stemmed).
  const list = words(flat);
  const stems = list.filter((w) => !STOP_WORDS.has(w)).map(stem);
  return { numbers: numbersIn(flat, list, asClaim), vocabulary: new Set([...list, ...stems]), stems };
}

/** "U.S." and "U.N." as one word each ("US", "UN"), as models often write them. */
function withoutAcronymDots(text: string): string {
  return text.replace(/\b(?:[A-Z]\.){2,}/g, (match) => match.replaceAll(".", ""));
}

/**
 * Every number in a text as digits: "1,200" → "1200", "three" → "3", "two million" → "2000000". In a
 * claim, "one" and ordinals are left out: "one of the envoys", "the first time" are rarely counts.
 * `list` is words(text): a hyphen parts words as a space does, so "twenty-two" is two words.
 */
function numbersIn(text: string, list: readonly string[], asClaim: boolean): Set<string> {
  const found = new Set<string>();
  for (const m of text.matchAll(/\d[\d,]*(?:\.\d+)?/g))
    found.add(m[0].replace(/,(?=\d{3})/g, "").replace(/,$/, ""));
  list.forEach((word, i) => {
    // Most words are no number: one look-up tells, instead of the three below.
    if (!MAYBE_NUMBER_WORDS.has(word)) return;
    let value: number | undefined;
    const small = SMALL_NUMBER_VALUES.get(word) ?? -1;
    if (small > 1 || (small >= 0 && !asClaim)) value = small;
    else if (TENS[word] !== undefined) value = TENS[word];
    else if (ORDINALS[word] !== undefined && !asClaim) value = ORDINALS[word];
    if (value === undefined) return;
    const scale = SCALES[list[i + 1] ?? ""];
    found.add(scale ? `${value}${scale}` : String(value));
  });
  // "2 million" → 2000000 as well as 2.
  for (const m of text.matchAll(/(\d+)\s+(hundred|thousand|million|billion)\b/gi))
    found.add(`${m[1]}${SCALES[(m[2] ?? "").toLowerCase()]}`);
  return found;
}

/** The names of a sentence: capitalised words that do not open it, and words written in capitals. */
function namesIn(sentence: string): string[] {
  const names: string[] = [];
  for (const m of withoutAcronymDots(sentence).matchAll(/[\p{L}\p{N}][\p{L}\p{N}'’]*/gu)) {
    const word = m[0];
    const before = sentence.slice(0, m.index).trimEnd();
    const opensClause = before === "" || /[.!?:;“"‘(*\-–—•]$/.test(before);
    if (!/^\p{Lu}\p{L}*(?:['’]\p{L}+)?$/u.test(word) || opensClause) continue;
    const lower = word.toLowerCase().replace(/['’]s$/, "");
    if (NOT_NAMES.has(lower) || STOP_WORDS.has(lower) || lower.length < 2) continue;
    names.push(lower);
  }
  return names;
}

/** Same word, or one a derived form of the other ("Iran" ~ "Iranian", "negotiat" ~ "negotiations"). */
function related(a: string, b: string): boolean {
  if (a === b) return true;
  const [short, long] = a.length <= b.length ? [a, b] : [b, a];
  return short.length >= 4 && long.startsWith(short);
}

/** True when one of the sources has the word, or a word related to it. */
function holds(sources: readonly Terms[], word: string): boolean {
  if (sources.some((s) => s.vocabulary.has(word))) return true;
  return sources.some((s) => {
    for (const candidate of s.vocabulary) if (related(candidate, word)) return true;
    return false;
  });
}

// A passage's side of the check, worked out once per distinct passage, not once per answer. Found by
// the passage's own text (a string the index holds, so the key costs nothing), for the source it was
// worked out with.
const sideByText = rememberedPerText(
  (text: string, source: string) => termsOf(`${source}\n${text}`),
  (source) => source,
  5_000,
);

function sideOf(passage: Passage): Terms {
  return sideByText(passage.text, sourceOf(passage));
}

export interface Support {
  /** True when the cited passages (1-based, as the prompt numbered them), together, support the sentence. */
  supports(sentence: string, cited: readonly number[]): boolean;
  /** The one passage that best supports the sentence on its own, or undefined when none does. */
  best(sentence: string): number | undefined;
}

/** Who a passage comes from, as the model sees it in the passage's label. */
function sourceOf(passage: Passage): string {
  const post = passage.embeddedPost;
  if (!post) return passage.title;
  return `${passage.title} embedded post by ${post.author} ${post.handle ?? ""} on ${post.platform}`;
}

/** The check against `passages`, with each passage's side worked out once. */
export function createSupport(passages: readonly Passage[]): Support {
  // Worked out when first needed: an answer cites a few of the passages a model is sent.
  const known: (Terms | undefined)[] = [];
  const sideAt = (i: number): Terms | undefined => {
    const passage = passages[i];
    if (passage) known[i] ??= sideOf(passage);
    return known[i];
  };
  // Share of the claim's content words the sources hold, or -1 when a number or a name is missing or
  // too many content words are. One word in three may be the model's own (a paraphrase), rounded
  // down, with one more word counted when a name or a number anchors the claim to the passage: a
  // two-word claim with a name may paraphrase one word, a short claim without one must be there whole.
  const share = (sentence: string, sources: readonly Terms[]): number => {
    if (sources.length === 0) return -1;
    const claim = termsOf(sentence, true);
    const numbers = new Set(sources.flatMap((s) => [...s.numbers]));
    if ([...claim.numbers].some((n) => !numbers.has(n))) return -1;
    const names = namesIn(sentence);
    if (names.some((name) => !holds(sources, name))) return -1;
    const nameStems = new Set(names.map(stem));
    const content = claim.stems.filter((t) => !nameStems.has(t) && !SOURCE_WORDS.has(t) && !/^\d/.test(t));
    if (content.length === 0) return 1;
    const missing = content.filter((t) => !holds(sources, t)).length;
    const anchored = names.length + claim.numbers.size > 0 ? 1 : 0;
    return missing <= Math.floor((content.length + anchored) / 3) ? 1 - missing / content.length : -1;
  };
  return {
    supports(sentence, cited) {
      const sources = cited.map((n) => sideAt(n - 1)).filter((side): side is Terms => side !== undefined);
      return share(sentence, sources) >= 0;
    },
    best(sentence) {
      let best: number | undefined;
      let bestShare = 0;
      passages.forEach((_, i) => {
        const side = sideAt(i);
        if (!side) return;
        const s = share(sentence, [side]);
        if (s > bestShare || (best === undefined && s === bestShare && s >= 0)) {
          best = i + 1;
          bestShare = s;
        }
      });
      return best;
    },
  };
}
