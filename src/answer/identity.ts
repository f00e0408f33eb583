// "Who is Witkoff?", "who's katz", "what is Barnea": a question that names someone and asks only who
// they are is answered by the sentence that gives their title ("U.S. Special Envoy Steve Witkoff",
// "Mossad chief David Barnea"), not by any sentence that mentions them. Words for a person are
// WordNet's (see lexicon/nounKind), so no list of titles is needed.
import { nounKinds } from "../lexicon/nounKind.ts";
import { relatedWords } from "../lexicon/relatedWords.ts";
import type { QuestionAnalysis, QuestionTerm } from "./questionTerms.ts";

const ASKS_WHO_IS = /^\W*(?:who|what)(?:['’]s|\s+(?:is|was|are|were))\s+[^?]+\??\s*$/i;
const MAX_NAME_WORDS = 3;
/** How far before the name its title may start ("Ambassador to Israel Mike Huckabee"). */
const TITLE_SPAN = 5;

/** The words that name whom an identity question asks about, if it asks only who someone is. */
export function identityAsked(question: string, analysis: QuestionAnalysis): QuestionTerm[] | undefined {
  if (!ASKS_WHO_IS.test(question)) return undefined;
  const own = analysis.terms.filter((t) => !t.context);
  // A name, written with a capital or not ("witkoff": a word WordNet does not know).
  const named =
    own.length > 0 &&
    own.length <= MAX_NAME_WORDS &&
    own.every((t) => t.name || !relatedWords(t.lower).known);
  return named ? own : undefined;
}

/** Whether the sentence gives the person's title: a word for a person just before their name. */
export function givesTitle(sentence: string, name: readonly QuestionTerm[]): boolean {
  const tokens = sentence.match(/[\p{L}\p{N}.'’-]+/gu) ?? [];
  const last = name.at(-1)?.lower;
  if (last === undefined) return false;
  return tokens.some((token, i) => {
    if (token.toLowerCase().replace(/['’]s$/, "") !== last) return false;
    return tokens
      .slice(Math.max(0, i - TITLE_SPAN), i)
      .some((word) => /^\p{L}+$/u.test(word) && nounKinds(word.toLowerCase()).has("person"));
  });
}
