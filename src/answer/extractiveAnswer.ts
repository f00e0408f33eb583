// The offline answerer: quotes the retrieved sentence(s) that answer the question, cited through the
// same check as LLM answers. It only answers when a sentence covers what the question asks about
// (its salient terms, rare ones weighing most) and has the kind of fact asked for (a name for "who",
// a date for "when", a number for "how many"); otherwise it says the story doesn't say.

import { checkCitations } from "../citations/checkCitations.ts";
import { describePost } from "../corpus/describePost.ts";
import { splitSentences } from "../text/sentences.ts";
import { words } from "../text/words.ts";
import type { Citation, RetrievedPassage } from "../types.ts";
import { hasAnswerType } from "./hasAnswerType.ts";
import { matchesTerm, type TermText, termText } from "./matchTerms.ts";
import { analyseQuestion, type QuestionAnalysis, type QuestionTerm } from "./questionTerms.ts";
import { storyDoesntSay } from "./storyDoesntSay.ts";

export interface ExtractiveAnswer {
  answer: string;
  citations: Citation[];
  unanswered: boolean;
}

/** Share of the question's weighted terms a sentence (with its context) must cover to answer it. */
export const MIN_COVERAGE = 0.6;
/** Share the sentence itself must cover: context alone never answers. */
const MIN_DIRECT_COVERAGE = 0.35;
/** A second sentence is added when it scores this close to the best one. */
const SECOND_SENTENCE_RATIO = 0.9;
// Credit for a term found next to the sentence rather than in it: elsewhere in its paragraph, or in
// the article's title or a neighbouring retrieved paragraph (the story's context, not the answer).
const SAME_PASSAGE_CREDIT = 0.6;
const CONTEXT_CREDIT = 0.4;
const EMBEDDED_POST_PENALTY = 0.05;
/** Share of a yes/no question the sentence itself must hold for the answer to start with "Yes". */
const MIN_YES_COVERAGE = 0.7;
const NEGATION = /\b(?:not|no|never|none|neither|nor|cannot|without|denied|denies|deny)\b|n['’]t\b/i;

interface Candidate extends TermText {
  text: string;
  /** Lower-cased words as written. */
  words: Set<string>;
  passage: number;
}

interface Scored {
  candidate: Candidate;
  coverage: number;
  direct: number;
  typeOk: boolean;
  /** Every name the question itself uses is in the sentence or around it: it is about them. */
  namesFound: boolean;
  score: number;
}

export function extractiveAnswer(question: string, passages: RetrievedPassage[]): ExtractiveAnswer {
  const analysis = analyseQuestion(question);
  const candidates = passages.flatMap((p, i) =>
    sentencesOf(p).map((text) => ({ ...termText(text), text, words: new Set(words(text)), passage: i })),
  );
  const titles = passages.map((p) => termText(p.title));
  // Context added by a follow-up rewrite can guide the choice but cannot be the whole question ("Why?").
  const ownTerms = analysis.terms.filter((t) => !t.context).length;
  const focused = ownTerms > 0 || (analysis.type !== "other" && analysis.type !== "yesNo");
  if (analysis.terms.length === 0 || candidates.length === 0 || !focused) {
    return refusal(question, analysis, [], titles);
  }

  const weights = termWeights(analysis.terms, candidates);
  const scored = candidates.map((c) => score(c, analysis, weights, candidates, passages, titles));
  scored.sort((a, b) => b.score - a.score);
  const best = scored.find((s) => s.typeOk);
  if (!best || best.coverage < MIN_COVERAGE || best.direct < MIN_DIRECT_COVERAGE || !best.namesFound) {
    return refusal(question, analysis, candidates, titles);
  }
  const second = scored.find(
    (s) =>
      s !== best &&
      s.typeOk &&
      s.coverage >= MIN_COVERAGE &&
      s.score >= best.score * SECOND_SENTENCE_RATIO &&
      s.candidate.text !== best.candidate.text,
  );
  const chosen = second ? [best, second] : [best];

  const yes = analysis.type === "yesNo" && confirms(best, analysis, passages, titles);
  const lines = chosen.map((s, i) => frame(s.candidate, passages, i === 0, yes));
  const { answer, citations } = checkCitations(lines.join(" "), passages);
  return { answer, citations, unanswered: false };
}

/** "The story doesn't say …", citing nothing. */
function refusal(
  question: string,
  analysis: QuestionAnalysis,
  candidates: readonly Candidate[],
  titles: readonly TermText[],
): ExtractiveAnswer {
  const found = (t: QuestionTerm) =>
    candidates.some((c) => matchesTerm(t, c)) || titles.some((x) => matchesTerm(t, x));
  const missing = analysis.terms.filter((t) => !found(t));
  return { answer: storyDoesntSay(question, analysis, missing), citations: [], unanswered: true };
}

/** Sentences of a passage that can be quoted as an answer (an embedded post's author line can't). */
function sentencesOf(passage: RetrievedPassage): string[] {
  return splitSentences(passage.text)
    .map((s) => s.text)
    .filter((s) => !/^[—–-]\s/.test(s) && /\p{L}/u.test(s));
}

/** Inverse document frequency over the retrieved sentences: a term found in few of them weighs most. */
function termWeights(
  terms: readonly QuestionTerm[],
  candidates: readonly Candidate[],
): Map<QuestionTerm, number> {
  const n = candidates.length;
  const weights = new Map<QuestionTerm, number>();
  for (const term of terms) {
    const df = candidates.filter((c) => matchesTerm(term, c)).length;
    weights.set(term, Math.max(0.1, Math.log(1 + n / (df + 1))) * term.factor);
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
  const title = titles[candidate.passage];
  const post = passage?.embeddedPost ? termText(describePost(passage.embeddedPost)) : undefined;
  // How closely a term is found: in the sentence, elsewhere in its paragraph, or around it.
  const credit = (term: QuestionTerm) => {
    if (matchesTerm(term, candidate)) return 1;
    // "the tweet", "the post on X": the form of an embedded post is as good as said in it.
    if (post && matchesTerm(term, post)) return 1;
    if (candidates.some((c) => c.passage === candidate.passage && matchesTerm(term, c)))
      return SAME_PASSAGE_CREDIT;
    if ((title && matchesTerm(term, title)) || neighbours.some((c) => matchesTerm(term, c)))
      return CONTEXT_CREDIT;
    return 0;
  };
  let total = 0;
  let covered = 0;
  let direct = 0;
  let exact = 0;
  let namesFound = true;
  for (const unit of unitsOf(analysis.terms)) {
    // A multi-word name counts once, and is found in full or by its last word ("Lincoln", "Katz").
    const weight = Math.max(...unit.map((t) => weights.get(t) ?? 0));
    const last = unit.at(-1) as QuestionTerm;
    const found = Math.max(Math.min(...unit.map(credit)), credit(last));
    total += weight;
    covered += weight * found;
    if (found === 1) {
      direct += weight;
      if (candidate.words.has(last.lower)) exact++;
    }
    if (last.name && !last.context && found === 0) namesFound = false;
  }
  const coverage = total > 0 ? covered / total : 0;
  const typeOk = hasAnswerType(analysis.type, candidate.text, analysis.terms);
  // Between sentences that cover the question equally well: the one with the question's own words
  // unstemmed ("positive", not "position", though both stem to "posit"), then retrieval's order; the
  // outlet's own reporting goes before an embedded post saying the same.
  const exactBonus = 0.05 * (exact / Math.max(1, unitsOf(analysis.terms).length));
  const rankBonus = 0.02 * (1 - candidate.passage / Math.max(1, passages.length));
  const postPenalty = passage?.embeddedPost ? EMBEDDED_POST_PENALTY : 0;
  return {
    candidate,
    coverage,
    direct: total > 0 ? direct / total : 0,
    typeOk,
    namesFound,
    score: coverage + rankBonus + exactBonus - postPenalty,
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
  best: Scored,
  analysis: QuestionAnalysis,
  passages: readonly RetrievedPassage[],
  titles: readonly TermText[],
): boolean {
  const passage = passages[best.candidate.passage];
  if (best.direct < MIN_YES_COVERAGE || !passage || passage.embeddedPost) return false;
  if (NEGATION.test(best.candidate.text)) return false;
  const title = titles[best.candidate.passage];
  const context = termText(passage.text);
  return analysis.terms
    .filter((t) => t.name && !t.context)
    .every(
      (t) =>
        matchesTerm(t, best.candidate) ||
        matchesTerm(t, context) ||
        (title !== undefined && matchesTerm(t, title)),
    );
}

/** One answer sentence: the passage's sentence quoted, with who says it and its marker. */
function frame(
  candidate: Candidate,
  passages: readonly RetrievedPassage[],
  first: boolean,
  yes: boolean,
): string {
  const passage = passages[candidate.passage];
  const marker = `[${candidate.passage + 1}]`;
  const body = quotable(candidate.text);
  const post = passage?.embeddedPost;
  if (post) {
    const author = post.author.replace(/[™®©]/g, "").trim();
    const handle = post.handle ? ` (@${post.handle.replace(/^@/, "")})` : "";
    return `${first ? "An" : "Also, an"} embedded post by ${author}${handle} on ${post.platform} says “${body}” ${marker}.`;
  }
  if (!first) return `The story also says “${body}” ${marker}.`;
  return `${yes ? "Yes. According to the story" : "According to the story"}, “${body}” ${marker}.`;
}

/** The sentence as it reads inside quotation marks: inner double quotes become single, links go. */
function quotable(sentence: string): string {
  let open = true;
  return sentence
    .replace(/\s*(?:https?:\/\/\S+|pic\.twitter\.com\/\S+)/g, "")
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
