// Whether a sentence contains a question's term, and how surely: by one of its keys (its own forms,
// or a related word at that relation's strength), by a name's variant ("Israeli" / "Israel"), or by
// the phrase an acronym abbreviates ("CENTCOM" / "Central Command").
import { normaliseForTerms, type QuestionTerm, termKeys } from "./questionTerms.ts";

/** A text prepared for matching. */
export interface TermText {
  keys: Set<string>;
  /** Lower-cased words written with a capital (names, places, acronyms). */
  names: string[];
  /** Runs of capitalised words, for acronyms. */
  runs: string[][];
}

export function termText(text: string): TermText {
  const normal = normaliseForTerms(text);
  const capitalised = normal.match(/[\p{Lu}][\p{L}\p{N}]*(?:['’][\p{L}]+)?/gu) ?? [];
  const runs = (normal.match(/[\p{Lu}][\p{L}\p{N}'’]*(?:\s+[\p{Lu}][\p{L}\p{N}'’]*)+/gu) ?? []).map((run) =>
    run.split(/\s+/),
  );
  return {
    keys: new Set(termKeys(text)),
    names: capitalised.map((w) => w.toLowerCase().replace(/['’]s$/, "")),
    runs,
  };
}

/** How surely the text holds the term: 1 for its own words, a relation's strength, 0 when absent. */
export function matchStrength(term: QuestionTerm, text: TermText): number {
  let best = 0;
  for (const [key, strength] of term.keys) {
    if (strength > best && text.keys.has(key)) {
      best = strength;
      if (best === 1) return 1;
    }
  }
  if (term.name && text.names.some((n) => sameName(n, term.lower))) return 1;
  if (term.acronym && text.runs.some((run) => run.some((_, i) => formsAcronym(term.surface, run, i))))
    return 1;
  return best;
}

/** "Israeli" and "Israel", "Iranians" and "Iran": lower-cased names that differ only in a short ending. */
export function sameName(a: string, b: string): boolean {
  let common = 0;
  while (common < a.length && a[common] === b[common]) common++;
  return common >= 4 && common >= Math.max(a.length, b.length) - 4;
}

/** True when the words from `start` on begin with prefixes that spell the acronym (at least two words). */
function formsAcronym(acronym: string, run: readonly string[], start: number): boolean {
  const target = acronym.toLowerCase();
  const go = (pos: number, index: number, used: number): boolean => {
    if (pos === target.length) return used >= 2;
    const word = run[index]?.toLowerCase();
    if (!word) return false;
    for (let len = 1; len <= word.length && pos + len <= target.length; len++) {
      if (word[len - 1] !== target[pos + len - 1]) break;
      if (go(pos + len, index + 1, used + 1)) return true;
    }
    return false;
  };
  return go(0, start, 0);
}
