// "Through which channel was Khamenei informed?" when the story says "I was informed through a certain
// channel": the story says there is one and withholds which, so it doesn't say.
import { type QuestionTerm, termKeys } from "./questionTerms.ts";

// "A certain channel", "an unnamed (senior) official", "undisclosed sources".
const WITHHELD =
  /\b(?:a certain|an unnamed|an unidentified|an undisclosed|unnamed|unidentified|undisclosed|unspecified)\s+([\p{L}-]+)(?:\s+(\p{L}+))?/giu;
// "Which channel", "through what channel", "what was the (certain) channel": the thing asked to be told apart.
const ASKS_WHICH = /\b(?:which|what)\s+(?:(?:was|is|were|are)\s+the\s+)?['‘"]?(?:certain\s+)?(\p{L}+)/iu;

/**
 * The thing a question asks which of, when `sentence` mentions it only as withheld ("channel" for
 * "a certain channel"); undefined otherwise.
 */
export function withheldThing(
  question: string,
  sentence: string,
  terms: readonly QuestionTerm[],
): string | undefined {
  const asked = ASKS_WHICH.exec(question)?.[1]?.toLowerCase();
  const term = asked === undefined ? undefined : terms.find((t) => t.lower === asked);
  if (!term) return undefined;
  // The noun right after, or after one describing word ("an unnamed senior official").
  for (const [, first, second] of sentence.matchAll(WITHHELD)) {
    for (const noun of [first, second]) {
      if (noun && termKeys(noun.toLowerCase()).some((key) => term.keys.get(key) === 1)) return term.lower;
    }
  }
  return undefined;
}
