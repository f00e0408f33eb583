// "How did Iran react to the drone being shot down?", "What did Witkoff say back?", "Has UNRWA
// responded?": a question about someone's reaction is answered only by a sentence in which they say
// or do something about it, with them before the verb ("Khamenei again blamed the U.S."). A sentence
// that names them only as what others spoke of ("Netanyahu clarified in a meeting with Witkoff", "U.S.
// Central Command said it shot down an Iranian drone") tells nothing of their reaction. Verbs of
// saying are WordNet's (verb.communication), so "blamed", "warned", "denied" count without a list.
import { baseForms, relatedWords } from "../lexicon/relatedWords.ts";
import { senses, synset } from "../lexicon/wordnet.ts";
import { matchStrength, termText } from "./matchTerms.ts";
import type { QuestionTerm } from "./questionTerms.ts";
import { PRESENT_STRENGTH } from "./storyEvidence.ts";

// "How did X react", "what did X say back", "how has X responded", "has X responded to …?" (not "what
// did X say (about Y)", which the story's "X said" or a post's own words answer, nor "any say in").
const ASKS_REACTION =
  /^(?:(?:how|what)\s+(?:did|does|do|has|have|had|will|would)|has|have|did|does|do)\s+(.+?)\s+(?:react|reacted|respond|responded|reply|replied|say back|said back|answer|answered|comment|commented|retaliate|retaliated)\b/i;
const REACTING = /^(?:react|respond|repl|retaliat|comment|answer)/i;
// WordNet's lexicographer file of verbs of saying (verb.communication), judged by a verb's commonest
// sense: "tells", "blamed", "denied" say something; "shot", "approached" do not.
const COMMUNICATION_FILE = 32;
/** How many words may stand between the one reacting and the verb ("Khamenei again blamed"). */
const SUBJECT_SPAN = 6;

/** The terms of the one whose reaction is asked for, if the question asks for a reaction. */
export function reactionAgent(question: string, terms: readonly QuestionTerm[]): QuestionTerm[] | undefined {
  const asked = ASKS_REACTION.exec(question.trim().replace(/^(?:and|but|so|ok|okay)\b[\s,]*/i, ""));
  if (!asked) return undefined;
  const agent = (asked[1] ?? "").toLowerCase();
  // Its names and nouns ("Tehran", "Iran's foreign ministry", "witkoff" written in lower case: a word
  // WordNet does not know), not a word such as "formally".
  const found = terms.filter(
    (t) =>
      !t.context &&
      (t.thing || !relatedWords(t.lower).known) &&
      new RegExp(`\\b${escape(t.lower)}`).test(agent),
  );
  return found.length > 0 ? found : undefined;
}

/**
 * Whether the sentence has one of `agent`'s words before a verb of saying or reacting, and another
 * word of the question (`terms`): what the reaction is to ("Khamenei blamed the U.S." is no reaction
 * of Iran's to the drone).
 */
export function tellsReaction(
  sentence: string,
  agent: readonly QuestionTerm[],
  terms: readonly QuestionTerm[],
): boolean {
  const text = termText(sentence);
  const about = terms.some(
    (t) => !t.context && !agent.includes(t) && matchStrength(t, text) >= PRESENT_STRENGTH,
  );
  if (!about) return false;
  const tokens = sentence.match(/[\p{L}\p{N}'’.&-]+/gu) ?? [];
  return tokens.some((token, i) => {
    if (!isReactionVerb(token.toLowerCase())) return false;
    const before = tokens.slice(Math.max(0, i - SUBJECT_SPAN), i).join(" ");
    return agent.some((t) => matchStrength(t, termText(before)) >= PRESENT_STRENGTH);
  });
}

function isReactionVerb(word: string): boolean {
  if (REACTING.test(word)) return true;
  return baseForms(word, "v").some((base) => {
    const first = senses(base, "v")[0];
    return first !== undefined && synset("v", first).lexFile === COMMUNICATION_FILE;
  });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
