// The offline reader: quotes the retrieved sentence(s) that best answer the question, cited through
// the same check as model answers, with one of three outcomes:
// - "doesnt_say" only with evidence: a distinctive word of the question (a name, a number, a concrete
//   thing) is nowhere in the story in any form WordNet relates to it and no sentence holds the rest of
//   the question; nothing retrieved is about the question at all; the question asks for a kind of
//   fact (a number of what it counts, a date, a name of what the story mentions, a place) that no
//   retrieved sentence about it holds; it asks how someone reacted and no sentence has them say
//   anything about it; or it asks whether something happened and the story reports only an attempt;
// - "answered" when the best sentence itself holds the question (three quarters of it, in its words or
//   words that say the same, every name and number it gives) and the kind of fact asked for;
// - "closest" otherwise: the best sentence is quoted with an honest "doesn't answer that directly".
import { checkCitations } from "../citations/checkCitations.ts";
import { describePost } from "../corpus/describePost.ts";
import { RELATION_STRENGTH } from "../lexicon/relatedWords.ts";
import { splitSentences } from "../text/sentences.ts";
import { words } from "../text/words.ts";
import type { Citation, EmbeddedPost, Outcome, RetrievedPassage, Vocabulary } from "../types.ts";
import { articleField, fieldLines } from "./articleQuestion.ts";
import { hasAnswerType, namesAskedThing, pointsBackToAskedThing } from "./hasAnswerType.ts";
import { givesTitle, identityAsked } from "./identity.ts";
import { matchStrength, type TermText, termText } from "./matchTerms.ts";
import {
  analyseQuestion,
  type QuestionAnalysis,
  type QuestionTerm,
  withoutContext,
} from "./questionTerms.ts";
import { reactionAgent, tellsReaction } from "./reaction.ts";
import { storyDoesntSay } from "./storyDoesntSay.ts";
import { missingFromStory, PRESENT_STRENGTH } from "./storyEvidence.ts";
import { withheldThing } from "./withheldThing.ts";
import {
  asksAboutAttempt,
  asksWhatHappened,
  asksWhatItIs,
  hedges,
  reportsAttemptAt,
  saidTogether,
} from "./yesNo.ts";

export interface ExtractiveAnswer {
  answer: string;
  citations: Citation[];
  outcome: Outcome;
}

/** Below this share of the question (weighted) found in and around its best sentence, nothing retrieved is about it. */
export const MIN_RELEVANCE = 0.25;
/**
 * Share of the question the best sentence must hold itself to count as answering it. (With its
 * paragraph's help, a sentence beside the one the question is about passed for an answer to
 * crowd-written questions built to have none.)
 */
export const MIN_ANSWERED = 0.75;
/** A second sentence is added when it scores this close to the best one (more readily to a closest). */
const SECOND_SENTENCE_RATIO = 0.9;
const CLOSEST_SECOND_RATIO = 0.8;
/**
 * A question with a word the story lacks gets the closest sentence rather than "doesn't say" when it
 * has this many other words (or names), and a sentence holds this share of them itself. (At three
 * quarters, readers' own words for things the story names otherwise still read as its silence in
 * questions written apart from the code.)
 */
const MIN_REST_UNITS = 2;
const MIN_REST_DIRECT = 0.6;
/**
 * A sentence with the kind of fact asked for, about the question this nearly as much as the best
 * sentence, keeps a typed question from "doesn't say".
 */
const TYPED_ABOUT = 0.7;
// Credit for a term found next to the sentence rather than in it: elsewhere in its paragraph, or in
// the article's title or a neighbouring retrieved paragraph (the story's context, not the answer).
const SAME_PASSAGE_CREDIT = 0.6;
const CONTEXT_CREDIT = 0.4;
/** Score added to a sentence that has the kind of fact a typed question asks for. */
const TYPE_BONUS = 0.15;
/**
 * A sentence with the kind of fact asked for is preferred when it covers this share of what the best
 * one covers, and holds this share of the question itself (not only around it).
 */
const TYPED_SHARE = 0.5;
const MIN_TYPED_DIRECT = 0.25;
const EMBEDDED_POST_PENALTY = 0.05;
/** Share of a yes/no question the sentence itself must hold for the answer to start with "Yes". */
const MIN_YES_COVERAGE = 0.7;
const POST_DATE =
  /\b(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+\d{1,2},\s+\d{4}\b|\b\d{4}-\d{2}-\d{2}\b/;
/** Words that give a reason, which a "why" question's answer needs. */
const REASON =
  /\b(?:because|since|due to|owing to|as a result|in order to|so that|so as to|amid|citing|after|following|given|for fear|to avoid|to prevent|to stop|to ensure|reason)\b/i;
const NEGATION = /\b(?:not|no|never|none|neither|nor|cannot|without|denied|denies|deny)\b|n['’]t\b/i;

export const CLOSEST_OPENING = "The story doesn't answer that directly.";

interface Candidate extends TermText {
  text: string;
  /** Lower-cased words as written. */
  words: Set<string>;
  passage: number;
}

interface Scored {
  candidate: Candidate;
  /** Weighted share of the question found in the sentence, its paragraph or around it. */
  coverage: number;
  /** Weighted share found in the sentence or its paragraph. */
  held: number;
  /** Weighted share found in the sentence itself. */
  direct: number;
  typeOk: boolean;
  /** The sentence may hold the kind of fact asked for (see hasAnswerType's `loose`). */
  typeSeen: boolean;
  /** Every name the question itself uses is in the sentence or around it: it is about them. */
  namesFound: boolean;
  /** Every number the question gives is in the sentence itself (or the article's title). */
  numbersHere: boolean;
  score: number;
}

/**
 * True when the story lacks what the question is about (see storyEvidence), so no model need be
 * asked: the reader's own first test, without its reading of every sentence.
 */
export function storyLacks(
  question: string,
  passages: readonly RetrievedPassage[],
  vocabulary?: Vocabulary,
): boolean {
  const field = articleField(question);
  if (field && passages.some((p) => p.paragraph === 0)) return false;
  const analysis = analyseQuestion(question);
  const ownTerms = analysis.terms.filter((t) => !t.context).length;
  const focused = ownTerms > 0 || (analysis.type !== "other" && analysis.type !== "yesNo");
  if (analysis.terms.length === 0 || !focused) return false;
  if (!passages.some((p) => sentencesOf(p).length > 0)) return true;
  const texts = () =>
    passages.flatMap((p) => [
      termText(p.text),
      termText(p.title),
      ...(p.embeddedPost ? [termText(describePost(p.embeddedPost))] : []),
    ]);
  const missing = missingFromStory(analysis, vocabulary, texts);
  if (!missing.decisive) return false;
  // As the reader decides: a sentence that holds all the rest of the question is quoted instead.
  const candidates = candidatesOf(passages);
  const weights = termWeights(analysis.terms, candidates, vocabulary);
  const titles = passages.map((p) => termText(p.title));
  return !coversRest(restOfQuestion(analysis, missing.terms, candidates, weights, passages, titles));
}

/** The sentences of the passages that can be quoted, prepared for matching. */
function candidatesOf(passages: readonly RetrievedPassage[]): Candidate[] {
  return passages.flatMap((p, i) =>
    sentencesOf(p).map((text) => ({ ...termText(text), text, words: new Set(words(text)), passage: i })),
  );
}

/**
 * Answers `question` from `passages` (retrieved, best first). `vocabulary` is the whole corpus's:
 * with it, a word missing from the passages is looked for in all the story before "doesn't say".
 */
export function extractiveAnswer(
  question: string,
  passages: RetrievedPassage[],
  vocabulary?: Vocabulary,
): ExtractiveAnswer {
  const field = articleField(question);
  const headline = field ? passages.find((p) => p.paragraph === 0) : undefined;
  const detail = headline && field ? fieldLines(headline.text, field) : undefined;
  if (headline && detail) {
    // A question about the article itself: its headline passage has the detail as a line of its own.
    const marker = `[${passages.indexOf(headline) + 1}]`;
    const quote = `${detail.lines.map((line) => `“${quotable(line, headline.url)}” ${marker}`).join(", and ")}.`;
    const text = detail.closest
      ? `${CLOSEST_OPENING} The closest it comes: ${quote}`
      : `According to the article's details, ${quote}`;
    const { answer, citations } = checkCitations(text, passages);
    return { answer, citations, outcome: detail.closest ? "closest" : "answered" };
  }
  const analysis = analyseQuestion(question);
  const candidates = candidatesOf(passages);
  const titles = passages.map((p) => termText(p.title));
  // Context added by a follow-up rewrite guides the choice but cannot confirm an answer on its own
  // ("Why?", "What are they now?"): such a question gets the closest passage at most.
  const ownTerms = analysis.terms.filter((t) => !t.context).length;
  const focused = ownTerms > 0 || (analysis.type !== "other" && analysis.type !== "yesNo");
  if (analysis.terms.length === 0) return refusal(question, analysis, []);
  // An embedded post is also what it is ("the tweet") and who posted it.
  const posts = passages.flatMap((p) => (p.embeddedPost ? [termText(describePost(p.embeddedPost))] : []));
  const texts = [...candidates, ...titles, ...posts];
  const missing = missingFromStory(analysis, vocabulary, texts);
  if (candidates.length === 0) return refusal(question, analysis, missing.terms);

  const weights = termWeights(analysis.terms, candidates, vocabulary);
  // Worked out only when a word is missing: what is left of the question once it is set aside.
  let rest: Rest | undefined;
  const restOf = () =>
    (rest ??= restOfQuestion(analysis, missing.terms, candidates, weights, passages, titles));
  if (missing.decisive && !coversRest(restOf())) return refusal(question, analysis, missing.terms);
  const scored = candidates.map((c) => score(c, analysis, weights, candidates, passages, titles));
  scored.sort((a, b) => b.score - a.score);
  const top = scored[0];
  const relevant = (s: Scored) =>
    s.coverage >= MIN_RELEVANCE ||
    // A word the story never uses (a nickname, the reader's own word) tells no sentence from another,
    // so it cannot make the story look silent on the rest.
    (missing.terms.length > 0 && restOf().coverage >= MIN_RELEVANCE);
  if (!top || !relevant(top)) return refusal(question, analysis, missing.terms);
  // A typed question ("when", "how many", …) is answered by a sentence with that kind of fact, when one
  // is about the question nearly as much as the best sentence; else the best sentence is the closest.
  const counted = analysis.counted;
  const about = (s: Scored) =>
    s.coverage >= TYPED_ABOUT * top.coverage ||
    (counted !== undefined && matchStrength(counted, s.candidate) === 1);
  // A thing whose name is asked for ("which proxy groups"), mentioned by the sentence most about the
  // question: a sentence that names it there answers, as a story that names the groups names them
  // where it mentions them; one that doesn't mention them answers nothing about them.
  const names = (s: Scored) => namesAskedThing(analysis, s.candidate.text);
  const mentioned = namesAskedThing(analysis, top.candidate.text, true) !== undefined;
  // "Who is Witkoff?": the sentence that gives his title.
  const identity = identityAsked(withoutContext(question), analysis);
  const titled = identity && scored.find((s) => about(s) && givesTitle(s.candidate.text, identity));
  const typed =
    titled ||
    scored.find(
      (s) =>
        s.typeOk &&
        s.numbersHere &&
        (!mentioned || names(s) === true) &&
        s.direct >= MIN_TYPED_DIRECT &&
        // "How many horses": a number of something else ("Twenty-one people") is no answer.
        (!counted || matchStrength(counted, s.candidate) >= PRESENT_STRENGTH) &&
        s.coverage >= Math.max(MIN_RELEVANCE, TYPED_SHARE * top.coverage),
    );
  const best = typed ?? top;
  // A question asking for a kind of fact (a number, a date, a name, a place) that no sentence about
  // it holds: the story doesn't give it ("… it mentions the tank, but not how many"). A number of
  // what "how many" counts is about the question, whatever else it leaves out.
  const anyTyped = mentioned
    ? scored.some((s) => about(s) && names(s) === true)
    : scored.some((s) => s.typeSeen && about(s) && s.numbersHere);
  // "When was the tweet posted?": an embedded post's date is its own line, which no sentence quotes.
  if (analysis.type === "when") {
    const dated = datedPost(analysis, scored, passages, about);
    if (dated) return dated;
  }
  // "What was the name of the carrier?" when the sentence most about it says "the carrier": it points
  // back to a carrier the story may name in words that don't say what it is. The closest, not silence.
  const pointedBack = !mentioned && pointsBackToAskedThing(analysis, top.candidate.text);
  if (!typed && !anyTyped && isTyped(analysis) && !pointedBack)
    return refusal(question, analysis, missing.terms);
  // "What was the channel Khamenei was informed through?" when the story says "a certain channel":
  // it withholds which.
  const aboutIt = [top, ...scored.filter((s) => s !== top && about(s))].map((s) => s.candidate.text);
  const withheld = withheldThing(question, aboutIt, analysis.terms);
  if (withheld)
    return { answer: `The story doesn't say which ${withheld}.`, citations: [], outcome: "doesnt_say" };
  // "How did Iran react …?": no sentence about it in which Iran says or does anything.
  const agent = reactionAgent(withoutContext(question), analysis.terms);
  if (agent && !scored.some((s) => about(s) && tellsReaction(s.candidate.text, agent, analysis.terms)))
    return refusal(question, analysis, missing.terms);

  const holds = best.direct >= MIN_ANSWERED && best.typeOk && best.namesFound;
  const yes = holds && analysis.type === "yesNo" && confirms(question, best, analysis, passages, titles);
  // A yes/no question is answered by a sentence that confirms it or denies it, or by an embedded post
  // that says it (quoted as the post's, never as "Yes"); a sentence that only speaks of the same things
  // ("attempted to board" for "did they board?") is the closest passage.
  const fromPost = passages[best.candidate.passage]?.embeddedPost !== undefined;
  const reported = yes || fromPost || NEGATION.test(best.candidate.text);
  // "Why …?" is answered by a sentence that gives a reason, not one that only says what happened.
  const because = !asksWhy(question) || REASON.test(best.candidate.text);
  const answered = holds && focused && because && (analysis.type !== "yesNo" || reported);
  // "Did they manage to board?" when the story says only that they "attempted to board": it doesn't
  // say whether they did. Only for what happened ("did", "was"), when every sentence holding the
  // question puts its verb after the attempt ("are the talks in Oman?" is answered by where they are
  // set to be; "did Netanyahu meet Witkoff?" by a sentence that has them meet).
  const holding = scored.filter((s) => about(s) && s.direct >= MIN_YES_COVERAGE);
  if (
    analysis.type === "yesNo" &&
    !answered &&
    asksWhatHappened(withoutContext(question)) &&
    holding.length > 0 &&
    holding.every((s) => reportsAttemptAt(s.candidate.text, analysis.terms)) &&
    !asksAboutAttempt(question)
  )
    return refusal(question, analysis, missing.terms);
  const outcome: Outcome = answered ? "answered" : "closest";

  // The best sentence of all goes second when a sentence with the asked-for fact went first. When none
  // answers, the two closest are quoted more readily: the reader sees what the story comes nearest to.
  const ratio = answered ? SECOND_SENTENCE_RATIO : CLOSEST_SECOND_RATIO;
  const second =
    best !== top && top.candidate.text !== best.candidate.text
      ? top
      : scored.find(
          (s) =>
            s !== best &&
            s.score >= best.score * ratio &&
            (s.typeOk || !best.typeOk) &&
            s.candidate.text !== best.candidate.text,
        );
  // A post is quoted a line at a time (see postLine): a second sentence of the same line is in it.
  const sameLine = (a: Scored, b: Scored) =>
    a.candidate.passage === b.candidate.passage &&
    passages[a.candidate.passage]?.embeddedPost !== undefined &&
    postLine(passages[a.candidate.passage]?.text ?? "", a.candidate.text) ===
      postLine(passages[b.candidate.passage]?.text ?? "", b.candidate.text);
  const chosen = second && !sameLine(best, second) ? [best, second] : [best];

  const lines = chosen.map((s, i) => frame(s.candidate, passages, i === 0, outcome, yes));
  const { answer, citations } = checkCitations(lines.join(" "), passages);
  return { answer, citations, outcome };
}

/** How well the retrieved sentences hold the rest of a question, without the words the story lacks. */
interface Rest {
  /** Words and names left (a multi-word name counts once), context terms aside. */
  units: number;
  /** The best share of the rest a sentence holds itself, and with what is around it. */
  direct: number;
  coverage: number;
}

function restOfQuestion(
  analysis: QuestionAnalysis,
  missing: readonly QuestionTerm[],
  candidates: readonly Candidate[],
  weights: Map<QuestionTerm, number>,
  passages: readonly RetrievedPassage[],
  titles: readonly TermText[],
): Rest {
  const rest = { ...analysis, terms: analysis.terms.filter((t) => !missing.includes(t)) };
  const found: Rest = { units: unitsOf(rest.terms.filter((t) => !t.context)).length, direct: 0, coverage: 0 };
  if (rest.terms.length === 0) return found;
  for (const candidate of candidates) {
    const scored = score(candidate, rest, weights, candidates, passages, titles);
    found.direct = Math.max(found.direct, scored.direct);
    found.coverage = Math.max(found.coverage, scored.coverage);
  }
  return found;
}

/**
 * Whether a sentence holds all the rest of a question whose thing the story lacks: then the missing
 * word is more likely the reader's own word for something the story says otherwise (a paraphrase, a
 * nickname written in lower case) than the story's silence, and the sentence is quoted as the closest.
 */
function coversRest(rest: Rest): boolean {
  return rest.units >= MIN_REST_UNITS && rest.direct >= MIN_REST_DIRECT;
}

function asksWhy(question: string): boolean {
  return /^(?:\W*(?:and|but|so|ok|okay)\b[\s,]*)?why\b/i.test(question.trim());
}

/** The question asks for a kind of fact a sentence holds or not (see hasAnswerType). */
function isTyped(analysis: QuestionAnalysis): boolean {
  return analysis.type !== "other" && analysis.type !== "yesNo";
}

/** "The story doesn't say …", citing nothing. */
function refusal(
  question: string,
  analysis: QuestionAnalysis,
  missing: readonly QuestionTerm[],
): ExtractiveAnswer {
  return { answer: storyDoesntSay(question, analysis, missing), citations: [], outcome: "doesnt_say" };
}

/** Sentences of a passage that can be quoted as an answer (an embedded post's author line can't). */
function sentencesOf(passage: RetrievedPassage): string[] {
  return splitSentences(passage.text)
    .map((s) => s.text)
    .filter((s) => !/^[—–-]\s/.test(s) && /\p{L}/u.test(s));
}

/**
 * Inverse document frequency: a term found in few passages of the story weighs most. Over the whole
 * corpus when its vocabulary is known, else over the retrieved sentences.
 */
function termWeights(
  terms: readonly QuestionTerm[],
  candidates: readonly Candidate[],
  vocabulary: Vocabulary | undefined,
): Map<QuestionTerm, number> {
  const weights = new Map<QuestionTerm, number>();
  for (const term of terms) {
    let idf: number;
    if (vocabulary && vocabulary.passages > 0) {
      let df = 0;
      for (const [key, strength] of term.keys) {
        if (strength === 1) df = Math.max(df, vocabulary.documentFrequency(key));
      }
      idf = Math.log(1 + vocabulary.passages / (df + 1));
    } else {
      const df = candidates.filter((c) => matchStrength(term, c) === 1).length;
      idf = Math.log(1 + candidates.length / (df + 1));
    }
    weights.set(term, Math.max(0.1, idf) * term.factor);
  }
  return weights;
}

function score(
  candidate: Candidate,
  analysis: QuestionAnalysis,
  weights: Map<QuestionTerm, number>,
  candidates: readonly Candidate[],
  passages: readonly RetrievedPassage[],
  titles: readonly TermText[],
): Scored {
  const passage = passages[candidate.passage];
  const neighbours = candidates.filter((c) => {
    const other = passages[c.passage];
    return (
      passage !== undefined &&
      other !== undefined &&
      other.articleId === passage.articleId &&
      Math.abs(other.paragraph - passage.paragraph) === 1
    );
  });
  const siblings = candidates.filter((c) => c.passage === candidate.passage && c !== candidate);
  const title = titles[candidate.passage];
  const post = passage?.embeddedPost ? termText(describePost(passage.embeddedPost)) : undefined;
  // How closely a term is found: in the sentence, elsewhere in its paragraph, or around it.
  const found = (term: QuestionTerm) => {
    // "the tweet", "the post on X": the form of an embedded post is as good as said in it.
    const direct = Math.max(matchStrength(term, candidate), post ? matchStrength(term, post) : 0);
    const sibling = Math.max(0, ...siblings.map((c) => matchStrength(term, c)));
    const around = Math.max(
      title ? matchStrength(term, title) : 0,
      ...neighbours.map((c) => matchStrength(term, c)),
    );
    return {
      direct,
      titled: title ? matchStrength(term, title) : 0,
      held: Math.max(direct, sibling * SAME_PASSAGE_CREDIT),
      any: Math.max(direct, sibling * SAME_PASSAGE_CREDIT, around * CONTEXT_CREDIT),
    };
  };
  let total = 0;
  let covered = 0;
  let held = 0;
  let direct = 0;
  let exact = 0;
  let namesFound = true;
  let numbersHere = true;
  const units = unitsOf(analysis.terms);
  for (const unit of units) {
    // A multi-word name counts once, and is found in full or by its last word ("Lincoln", "Katz").
    const weight = Math.max(...unit.map((t) => weights.get(t) ?? 0));
    const last = unit.at(-1) as QuestionTerm;
    const each = unit.map(found);
    const lastFound = found(last);
    const pick = (f: (x: ReturnType<typeof found>) => number) =>
      Math.max(Math.min(...each.map(f)), f(lastFound));
    total += weight;
    covered += weight * pick((x) => x.any);
    held += weight * pick((x) => x.held);
    direct += weight * pick((x) => x.direct);
    if (pick((x) => x.direct) === 1 && candidate.words.has(last.lower)) exact++;
    // A name or number the question gives ("Apollo 14") must be there: another one is another thing.
    const named = unit.some((t) => t.name || /\d/.test(t.lower));
    if (named && !last.context && pick((x) => x.any) === 0) namesFound = false;
    // A number the question gives ("in 1997", "the R101") dates or names what it asks about: a
    // sentence that leaves it to another sentence may be about another year or thing.
    // (Not chat shorthand: "b4" is before.)
    const numbered = unit.some((t) => /^\d/.test(t.lower) || (t.name && /\d/.test(t.lower)));
    if (numbered && !last.context && pick((x) => Math.max(x.direct, x.titled)) === 0) numbersHere = false;
  }
  const share = (part: number) => (total > 0 ? part / total : 0);
  const typed = isTyped(analysis);
  const typeOk = hasAnswerType(analysis, candidate.text);
  const typeSeen = typeOk || hasAnswerType(analysis, candidate.text, true);
  // Between sentences that cover the question equally well: the one with the question's own words
  // unstemmed, then retrieval's order; the outlet's own reporting goes before an embedded post.
  const exactBonus = 0.05 * (exact / Math.max(1, units.length));
  const rankBonus = 0.02 * (1 - candidate.passage / Math.max(1, passages.length));
  const postPenalty = passage?.embeddedPost ? EMBEDDED_POST_PENALTY : 0;
  const typeBonus = typed && typeOk ? TYPE_BONUS : 0;
  return {
    candidate,
    coverage: share(covered),
    held: share(held),
    direct: share(direct),
    typeOk,
    typeSeen,
    namesFound,
    numbersHere,
    score: share(covered) + typeBonus + rankBonus + exactBonus - postPenalty,
  };
}

/** The question's terms grouped into what counts as one: a word, or all the words of one name. */
function unitsOf(terms: readonly QuestionTerm[]): QuestionTerm[][] {
  const units = new Map<number, QuestionTerm[]>();
  for (const term of terms) units.set(term.entity, [...(units.get(term.entity) ?? []), term]);
  return [...units.values()];
}

/**
 * A yes/no question is confirmed when the outlet's own sentence holds nearly all of it, names included
 * (in the sentence or its paragraph), and denies nothing: "not", "no", "never" leave the reader to judge.
 */
function confirms(
  question: string,
  best: Scored,
  analysis: QuestionAnalysis,
  passages: readonly RetrievedPassage[],
  titles: readonly TermText[],
): boolean {
  const passage = passages[best.candidate.passage];
  if (best.direct < MIN_YES_COVERAGE || !passage || passage.embeddedPost) return false;
  if (NEGATION.test(best.candidate.text)) return false;
  // "Attempted to board", "scheduled to take place": the sentence reports an aim, not that it happened,
  // unless the question asks about the aim too.
  if (hedges(best.candidate.text) && !hedges(question)) return false;
  // "Was the drone American?" of "an Iranian drone … U.S. Central Command": a word said otherwise
  // ("U.S." for American, "Israel" for Israeli, "reconstruction" for rebuilt) may belong to something
  // else; "Yes" needs the question's own words or their synonyms ("wounded" for hurt).
  if (
    analysis.terms.some(
      (t) => !t.name && !t.context && matchStrength(t, best.candidate) < RELATION_STRENGTH.synonym,
    )
  )
    return false;
  // "Is Huckabee the defense minister?" of "Ambassador Mike Huckabee, Defense Minister Israel Katz":
  // what a question says someone or something is stands beside it in the sentence, not in the next item.
  if (asksWhatItIs(withoutContext(question)) && !saidTogether(best.candidate.text, analysis.terms))
    return false;
  const title = titles[best.candidate.passage];
  const context = termText(passage.text);
  return analysis.terms
    .filter((t) => t.name && !t.context)
    .every(
      (t) =>
        matchStrength(t, best.candidate) === 1 ||
        matchStrength(t, context) === 1 ||
        (title !== undefined && matchStrength(t, title) === 1),
    );
}

/**
 * The date of the embedded post a "when" question asks about: a post about the question (`about`)
 * when the question names it as a post ("the tweet", "the post on X"), read from its author line.
 */
function datedPost(
  analysis: QuestionAnalysis,
  scored: readonly Scored[],
  passages: readonly RetrievedPassage[],
  about: (s: Scored) => boolean,
): ExtractiveAnswer | undefined {
  for (const s of scored) {
    const passage = passages[s.candidate.passage];
    const post = passage?.embeddedPost;
    // The date as the post's author line writes it ("— Name (@handle) February 3, 2026").
    const written = passage?.text
      .split("\n")
      .find((line) => /^[—–-]\s/.test(line))
      ?.match(POST_DATE)?.[0];
    if (!passage || !post || !written || !about(s)) continue;
    const form = termText(describePost(post));
    if (!analysis.terms.some((t) => !t.name && matchStrength(t, form) === 1)) continue;
    const text = `The embedded post by ${postAuthor(post)} is dated ${written} [${s.candidate.passage + 1}].`;
    const { answer, citations } = checkCitations(text, passages);
    if (citations.length > 0) return { answer, citations, outcome: "answered" };
  }
  return undefined;
}

/** Who posted an embedded post, where: "Gunther Eagleman (@GuntherEagleman) on X (Twitter)". */
function postAuthor(post: EmbeddedPost): string {
  const author = post.author.replace(/[™®©]/g, "").trim();
  const handle = post.handle ? ` (@${post.handle.replace(/^@/, "")})` : "";
  return `${author}${handle} on ${post.platform}`;
}

/** One answer sentence: the passage's sentence quoted, with who says it and its marker. */
function frame(
  candidate: Candidate,
  passages: readonly RetrievedPassage[],
  first: boolean,
  outcome: Outcome,
  yes: boolean,
): string {
  const passage = passages[candidate.passage];
  const marker = `[${candidate.passage + 1}]`;
  const post = passage?.embeddedPost;
  const body = quotable(candidate.text, passage?.url);
  const opening = first && outcome === "closest" ? `${CLOSEST_OPENING} The closest it comes: ` : "";
  if (post && passage) {
    const who = `${first ? (opening ? "an" : "An") : "Also, an"} embedded post by ${postAuthor(post)}`;
    // The post's line whole, each of its sentences quoted and cited (see postLine).
    const said = postSentences(passage.text, candidate.text).map(
      (s) => `“${quotable(s, passage.url)}” ${marker}`,
    );
    return `${opening}${who} says ${said.join(" and ")}.`;
  }
  if (!first) return `The story also says “${body}” ${marker}.`;
  if (opening) return `${opening}“${body}” ${marker}.`;
  return `${yes ? "Yes. According to the story" : "According to the story"}, “${body}” ${marker}.`;
}

/**
 * The sentence as it reads inside quotation marks: inner double quotes become single, links go but
 * the article's own (`articleUrl`, which its headline passage gives).
 */
/**
 * The line of an embedded post that holds a sentence: a post is one short utterance whose sentences
 * lean on each other ("US fighter jet just SMOKED an Iranian drone. F-35 takes out a Shahed-139 …"),
 * so it is quoted whole, a line at a time (its author line is a line of its own).
 */
function postLine(text: string, sentence: string): string {
  return text.split("\n").find((line) => line.includes(sentence)) ?? sentence;
}

/** The sentences of the post's line that holds `sentence`, in order. */
function postSentences(text: string, sentence: string): string[] {
  const line = splitSentences(postLine(text, sentence))
    .map((s) => s.text)
    .filter((s) => /\p{L}/u.test(s));
  return line.includes(sentence) ? line : [sentence];
}

function quotable(sentence: string, articleUrl?: string): string {
  let open = true;
  return sentence
    .replace(/\s*(?:https?:\/\/\S+|pic\.twitter\.com\/\S+)/g, (link) =>
      link.trim() === articleUrl ? link : "",
    )
    .replace(/[“”"]/g, (q) => {
      if (q === "“") return "‘";
      if (q === "”") return "’";
      const single = open ? "‘" : "’";
      open = !open;
      return single;
    })
    .replace(/\.$/, "")
    .trim();
}
