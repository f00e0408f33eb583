// What a yes/no question needs of the sentence that would answer it: "did they board?" is not
// answered by "attempted to board", and "is Huckabee the defense minister?" not by a list that names
// him beside the defense minister.
import { baseForms, RELATION_STRENGTH } from "../lexicon/relatedWords.ts";
import { matchStrength, termText } from "./matchTerms.ts";
import type { QuestionTerm } from "./questionTerms.ts";

/** Words that report an attempt or a plan, not whether it came about ("attempted to", "scheduled to"). */
const ATTEMPT_WORDS =
  "attempt(?:s|ed|ing)?|tr(?:y|ies|ied|ying)|sought|seek(?:s|ing)?|plan(?:s|ned|ning)?|intend(?:s|ed|ing)?|scheduled";
const ATTEMPT = new RegExp(`\\b(?:${ATTEMPT_WORDS})\\b`, "i");
/** Those and other words that report an aim, a hope or hearsay rather than what happened. */
const HEDGE = new RegExp(
  `\\b(?:${ATTEMPT_WORDS}|threaten(?:s|ed|ing)?|hop(?:e|es|ed|ing)|propos(?:e|es|ed|ing)|expected|would|could|may|might|reportedly|allegedly|originally)\\b`,
  "i",
);
/** A question that says what someone or something is: "is Katz the defense minister?", "was it Iranian?". */
const COPULA = /^\W*(?:(?:and|but|so|ok|okay)\b[\s,]*)?(?:is|was|are|were|isn't|wasn't|aren't|weren't)\b/i;
/** How far apart a thing and what it is said to be may stand ("U.S. Special Envoy Steve Witkoff"). */
const TOGETHER_SPAN = 4;

/**
 * Whether every word of the question stands within a few words of its first one (the thing it asks
 * about) in the sentence, with no comma or semicolon between: one item of a list, one phrase.
 */
export function saidTogether(sentence: string, terms: readonly QuestionTerm[]): boolean {
  const own = terms.filter((t) => !t.context);
  // Names are what a list or another clause sets side by side ("Was the USS Abraham Lincoln Iranian?"
  // of "an Iranian drone that approached the USS Abraham Lincoln"); "was the meeting positive?" may be
  // said across a clause.
  if (!own.some((t) => t.name)) return true;
  const first = own[0];
  if (!first) return true;
  // The thing asked about, by the last word of its name ("Katz" of "Israel Katz"); a people's word
  // written next to the name is what it is said to be ("the USS Abraham Lincoln Iranian?").
  const named = own.filter((t) => t.entity === first.entity);
  const last = named.at(-1) ?? first;
  const said = named.length > 1 && baseForms(last.lower, "a").length > 0 ? [last] : [];
  const subject = said.length > 0 ? (named.at(-2) ?? first) : last;
  const rest = [...said, ...own.filter((t) => t.entity !== first.entity)];
  const tokens = sentence.match(/[\p{L}\p{N}'’.-]+|[,;:—–()]/gu) ?? [];
  const at = (t: QuestionTerm) =>
    tokens.flatMap((token, i) => (matchStrength(t, termText(token)) >= RELATION_STRENGTH.synonym ? [i] : []));
  const separated = (a: number, b: number) =>
    tokens.slice(Math.min(a, b) + 1, Math.max(a, b)).some((token) => /^[,;:—–()]$/.test(token));
  return at(subject).some((s) =>
    rest.every((t) => at(t).some((i) => Math.abs(i - s) <= TOGETHER_SPAN && !separated(i, s))),
  );
}

/** A question about what happened: "did they board?", "were the talks moved?", "has Iran replied?". */
const PAST_QUESTION =
  /^\W*(?:(?:and|but|so|ok|okay)\b[\s,]*)?(?:did|didn't|was|wasn't|were|weren't|has|hasn't|have|haven't|had)\b/i;
/** How many words may come between "attempted to" and the verb it reports the attempt at ("to halt and board"). */
const ATTEMPTED_SPAN = 3;

/**
 * Whether the sentence reports an attempt or a plan at one of the question's words ("attempted to halt
 * and board" for "did they board?").
 */
export function reportsAttemptAt(sentence: string, terms: readonly QuestionTerm[]): boolean {
  const tokens = sentence.match(/[\p{L}\p{N}'’-]+/gu) ?? [];
  return tokens.some((token, i) => {
    if (!ATTEMPT.test(token) || !/^to$/i.test(tokens[i + 1] ?? "")) return false;
    const after = termText(tokens.slice(i + 2, i + 2 + ATTEMPTED_SPAN).join(" "));
    return terms.some((t) => !t.context && !t.name && matchStrength(t, after) === 1);
  });
}

/** The question asks whether something happened ("did", "was", "has"). */
export function asksWhatHappened(question: string): boolean {
  return PAST_QUESTION.test(question);
}

/** The question asks about an attempt or a plan itself ("did they try to board?"). */
export function asksAboutAttempt(question: string): boolean {
  return ATTEMPT.test(question);
}

/** The question asks what someone or something is ("is Katz the defense minister?"). */
export function asksWhatItIs(question: string): boolean {
  return COPULA.test(question);
}

/** The sentence reports an aim, a plan or hearsay ("attempted to board", "scheduled to take place"). */
export function hedges(text: string): boolean {
  return HEDGE.test(text);
}
