// The offline answerer: quotes the retrieved sentence(s) that answer the question, cited through the
// same check as LLM answers. It only answers when a sentence covers what the question asks about
// (its salient terms, rare ones weighing most) and has the kind of fact asked for (a name for "who",
// a date for "when", a number for "how many"); otherwise it says the story doesn't say.
import { splitSentences } from "../text/sentences.ts";
import { STOP_WORDS } from "../text/words.ts";
import type { Citation, RetrievedPassage } from "../types.ts";
import { checkCitations } from "./checkCitations.ts";
import {
  analyseQuestion,
  normaliseForTerms,
  type QuestionAnalysis,
  type QuestionTerm,
  type QuestionType,
  termKeys,
  withoutContext,
} from "./questionTerms.ts";

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

interface Text {
  keys: Set<string>;
  /** Lower-cased words written with a capital (names, places, acronyms). */
  names: string[];
  /** Runs of capitalised words, for acronyms ("Central Command" → CENTCOM). */
  runs: string[][];
}

interface Candidate extends Text {
  text: string;
  passage: number;
}

interface Scored {
  candidate: Candidate;
  coverage: number;
  direct: number;
  typeOk: boolean;
  score: number;
}

export function extractiveAnswer(question: string, passages: RetrievedPassage[]): ExtractiveAnswer {
  const analysis = analyseQuestion(question);
  const candidates = passages.flatMap((p, i) =>
    sentencesOf(p).map((text) => ({ ...textOf(text), text, passage: i })),
  );
  const titles = passages.map((p) => textOf(p.title));
  // Context added by a follow-up rewrite can guide the choice but cannot be the whole question ("Why?").
  const ownTerms = analysis.terms.filter((t) => !t.context).length;
  const focused = ownTerms > 0 || (analysis.type !== "other" && analysis.type !== "yesNo");
  if (analysis.terms.length === 0 || candidates.length === 0 || !focused) {
    return doesntSay(question, analysis, [], titles);
  }

  const weights = termWeights(analysis.terms, candidates);
  const scored = candidates.map((c) => score(c, analysis, weights, candidates, passages, titles));
  scored.sort((a, b) => b.score - a.score);
  const best = scored.find((s) => s.typeOk);
  if (!best || best.coverage < MIN_COVERAGE || best.direct < MIN_DIRECT_COVERAGE) {
    return doesntSay(question, analysis, candidates, titles);
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

/** Sentences of a passage that can be quoted as an answer (an embedded post's author line can't). */
function sentencesOf(passage: RetrievedPassage): string[] {
  return splitSentences(passage.text)
    .map((s) => s.text)
    .filter((s) => !/^[—–-]\s/.test(s) && /\p{L}/u.test(s));
}

function textOf(text: string): Text {
  const normal = normaliseForTerms(text);
  const capitalised = normal.match(/[\p{Lu}][\p{L}\p{N}]*(?:['’][\p{L}]+)?/gu) ?? [];
  const runs: string[][] = [];
  for (const run of normal.match(/[\p{Lu}][\p{L}\p{N}'’]*(?:\s+[\p{Lu}][\p{L}\p{N}'’]*)+/gu) ?? []) {
    runs.push(run.split(/\s+/));
  }
  return {
    keys: new Set(termKeys(text)),
    names: capitalised.map((w) => w.toLowerCase().replace(/['’]s$/, "")),
    runs,
  };
}

function matches(term: QuestionTerm, text: Text): boolean {
  if (text.keys.has(term.key)) return true;
  if (term.name && text.names.some((n) => sameName(n, term.lower))) return true;
  return term.acronym && text.runs.some((run) => run.some((_, i) => formsAcronym(term.surface, run, i)));
}

/** "Israeli" and "Israel", "Iranians" and "Iran": names that differ only in a short ending. */
function sameName(a: string, b: string): boolean {
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

/** Inverse document frequency over the retrieved sentences: a term found in few of them weighs most. */
function termWeights(
  terms: readonly QuestionTerm[],
  candidates: readonly Candidate[],
): Map<QuestionTerm, number> {
  const n = candidates.length;
  const weights = new Map<QuestionTerm, number>();
  for (const term of terms) {
    const df = candidates.filter((c) => matches(term, c)).length;
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
  titles: readonly Text[],
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
  let total = 0;
  let covered = 0;
  let direct = 0;
  for (const term of analysis.terms) {
    const weight = weights.get(term) ?? 0;
    total += weight;
    if (matches(term, candidate)) {
      covered += weight;
      direct += weight;
    } else if (candidates.some((c) => c.passage === candidate.passage && matches(term, c))) {
      covered += weight * SAME_PASSAGE_CREDIT;
    } else if ((title && matches(term, title)) || neighbours.some((c) => matches(term, c))) {
      covered += weight * CONTEXT_CREDIT;
    }
  }
  const coverage = total > 0 ? covered / total : 0;
  const typeOk = hasAnswerType(analysis.type, candidate.text, analysis.terms);
  // Retrieval rank breaks ties between sentences that cover the question equally well, and the
  // outlet's own reporting goes before an embedded post saying the same.
  const rankBonus = 0.02 * (1 - candidate.passage / Math.max(1, passages.length));
  const postPenalty = passage?.embeddedPost ? EMBEDDED_POST_PENALTY : 0;
  return {
    candidate,
    coverage,
    direct: total > 0 ? direct / total : 0,
    typeOk,
    score: coverage + rankBonus - postPenalty,
  };
}

const WEEKDAY = "monday|tuesday|wednesday|thursday|friday|saturday|sunday";
const MONTH = "january|february|march|april|may|june|july|august|september|october|november|december";
const WHEN = new RegExp(
  `\\b(?:${WEEKDAY}|${MONTH}|yesterday|today|tomorrow|tonight|morning|afternoon|evening|night|ago|(?:1[89]|20)\\d{2}|\\d{1,2}(?::\\d{2})?\\s?(?:a\\.m\\.|p\\.m\\.|am|pm))\\b`,
  "i",
);
const NUMBER_WORD =
  "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|dozens?|half";
const NUMBER = new RegExp(`\\d|\\b(?:${NUMBER_WORD})\\b`, "i");
const DURATION = new RegExp(
  `(?:\\d+|\\b(?:${NUMBER_WORD}|several|a few|many))[\\s-]*(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\\b|\\bfor (?:hours|days|weeks|months|years)\\b`,
  "i",
);
const WHERE = /\b(?:in|at|to|from|near|off|inside|outside|towards?|across|into)\s+(?:the\s+)?\p{Lu}/u;
const NOT_A_NAME = new RegExp(`^(?:${WEEKDAY}|${MONTH})$`, "i");

/** True when the sentence holds the kind of fact the question asks for. */
function hasAnswerType(type: QuestionType, text: string, terms: readonly QuestionTerm[]): boolean {
  switch (type) {
    case "who":
      return hasNewName(text, terms);
    case "when":
      return WHEN.test(text);
    case "where":
      return WHERE.test(text);
    case "howMany":
      return NUMBER.test(text);
    case "howLong":
      return DURATION.test(text);
    default:
      return true;
  }
}

/** How near (in words) a "who" answer's name must stand to a word of the question. */
const NAME_WINDOW = 3;

/**
 * A capitalised word (or acronym) that the question doesn't already name, standing next to a word of
 * the question: "Defense Minister Israel Katz", not a name elsewhere in a long sentence.
 */
function hasNewName(text: string, terms: readonly QuestionTerm[]): boolean {
  const tokens = normaliseForTerms(text).match(/[\p{L}\p{N}'’]+/gu) ?? [];
  const lowers = tokens.map((t) => t.toLowerCase().replace(/['’]s$/, ""));
  const isQuestionWord = (lower: string) =>
    terms.some((t) => t.lower === lower || sameName(t.lower, lower) || termKeys(lower)[0] === t.key);
  const anchors = lowers.flatMap((lower, i) => (isQuestionWord(lower) ? [i] : []));
  return tokens.some((token, i) => {
    const lower = lowers[i] ?? "";
    if (!/^\p{Lu}(?:\p{Ll}|\p{Lu}{1,4}$)/u.test(token) || NOT_A_NAME.test(token)) return false;
    if (i === 0 && !/^\p{Lu}/u.test(tokens[1] ?? "")) return false;
    if (isQuestionWord(lower)) return false;
    return anchors.some((a) => Math.abs(a - i) <= NAME_WINDOW);
  });
}

/** A yes/no question is confirmed when the sentence holds nearly all of it, names included. */
function confirms(
  best: Scored,
  analysis: QuestionAnalysis,
  passages: readonly RetrievedPassage[],
  titles: readonly Text[],
): boolean {
  if (best.direct < 0.7) return false;
  const title = titles[best.candidate.passage];
  const passageText = passages[best.candidate.passage]?.text ?? "";
  const context = textOf(passageText);
  return analysis.terms
    .filter((t) => t.name && !t.context)
    .every(
      (t) => matches(t, best.candidate) || matches(t, context) || (title !== undefined && matches(t, title)),
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
    const says = `${first ? "An" : "Also, an"} embedded post by ${author}${handle} on ${post.platform} says “${body}” ${marker}.`;
    return first && yes ? `Yes. ${says}` : says;
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

const DETERMINER = /^(?:the|a|an|many|much|which|what|of|its|his|her|their|this|that|these|those)$/i;
const TIME_WORDS = /^(?:week|today|tonight|tomorrow|yesterday|month|year|now|currently|recently)$/i;

/** "The story doesn't say …", naming what the question asked about, with no citations. */
function doesntSay(
  question: string,
  analysis: QuestionAnalysis,
  candidates: readonly Candidate[],
  titles: readonly Text[],
): ExtractiveAnswer {
  const asked = withoutContext(question);
  const indirect = indirectQuestion(asked);
  const found = (t: QuestionTerm) =>
    candidates.some((c) => matches(t, c)) || titles.some((x) => matches(t, x));
  const missing = analysis.terms.filter((t) => !found(t) && t.factor === 1 && !TIME_WORDS.test(t.lower));
  const topic = topics(
    asked,
    missing.filter((t) => !t.context),
  );
  const answer = indirect
    ? `The story doesn't say ${indirect}.`
    : topic.length > 0
      ? `The story doesn't say anything about ${listOf(topic)}.`
      : missing.length === 0 &&
          analysis.terms.length > 0 &&
          analysis.type !== "other" &&
          analysis.type !== "yesNo"
        ? `The story doesn't say: it mentions ${listOf(mentioned(asked, analysis.terms), "and")}, but not ${gap(asked, analysis.type)}.`
        : `The story doesn't say; nothing in it answers “${asked.trim()}”`;
  return { answer, citations: [], unanswered: true };
}

const AUX_BE = /^(?:is|are|was|were)$/i;
const AUX_OTHER = /^(?:do|does|did|has|have|had|will|would|can|could|should|may|might|must|shall)$/i;
const WH = /^(?:who|what|which|when|where|why|how)$/i;
const SUBORDINATE = /^(?:when|while|after|before|if|because|since|during|until|like)$/i;
const PARTICIPLE =
  /^(?:\w+ed|\w+en|born|held|made|built|set|hit|shot|known|done|said|sold|found|led|won|lost)$/i;

/**
 * The question turned into the clause that follows "doesn't say", for the forms that can be turned
 * without knowing verb forms: "Who won the match?" → "who won the match", "What is the population of
 * Oman?" → "what the population of Oman is". Undefined for the rest ("How many centrifuges does Iran operate?").
 */
function indirectQuestion(question: string): string | undefined {
  const tokens = question
    .trim()
    .replace(/[?.!]+$/, "")
    .replace(/^(?:and|but|so|also|then|ok|okay|well)\b[\s,]*/i, "")
    .split(/\s+/);
  const [head, ...rest] = tokens;
  // "does Iran operate" would need the verb's form changed ("Iran operates"): not attempted.
  if (!head || !WH.test(head) || tokens.some((w) => /^(?:do|does|did)$/i.test(w))) return undefined;
  // The wh-phrase: "how many people", "which hotel", "how old" (at most two words after the wh-word).
  let end = 1;
  while (
    end < Math.min(tokens.length, 3) &&
    !AUX_BE.test(tokens[end] ?? "") &&
    !AUX_OTHER.test(tokens[end] ?? "")
  ) {
    end++;
  }
  const aux = tokens[end];
  const wh = [head.toLowerCase(), ...tokens.slice(1, end)].join(" ");
  if (aux === undefined || (!AUX_BE.test(aux) && !AUX_OTHER.test(aux))) {
    // A subject question reads the same as a clause: "who won the football match in Tel Aviv".
    // A bare "Why?" becomes "why".
    return [head.toLowerCase(), ...rest].join(" ");
  }
  if (!AUX_BE.test(aux)) return undefined;
  const after = tokens.slice(end + 1);
  if (after.length === 0) return undefined;
  // The verb goes after the subject: before "when"/"like", before a closing participle, else last.
  let at = after.findIndex((w, i) => i > 0 && SUBORDINATE.test(w));
  if (at < 0) at = after.length > 1 && PARTICIPLE.test(after.at(-1) ?? "") ? after.length - 1 : after.length;
  return [wh, ...after.slice(0, at), aux.toLowerCase(), ...after.slice(at)].join(" ");
}

/**
 * The missing words that look like the question's topic, as the question phrases them: a name with the
 * names after it ("Tel Aviv"), or a noun phrase after a determiner ("the next Israeli election").
 */
function topics(question: string, missing: readonly QuestionTerm[]): string[] {
  const tokens = normaliseForTerms(question).match(/[\p{L}\p{N}'’-]+/gu) ?? [];
  const bare = tokens.map((w) => w.replace(/['’]s$/, ""));
  const out: string[] = [];
  const used = new Set<number>();
  for (const term of missing) {
    const i = bare.findIndex((w) => w === term.surface);
    if (i < 0 || used.has(i)) continue;
    const before = tokens[i - 1] ?? "";
    const article = /^the$/i.test(before) ? "the " : "";
    if (!term.name && !DETERMINER.test(before) && !/['’]s$/.test(before)) continue;
    let end = i + 1;
    const next = (w: string) =>
      term.name
        ? /^\p{Lu}/u.test(w)
        : !STOP_WORDS.has(w.toLowerCase()) && !AUX_BE.test(w) && !AUX_OTHER.test(w);
    while (end < tokens.length && end < i + 4 && next(tokens[end] ?? "")) end++;
    for (let j = i; j < end; j++) used.add(j);
    out.push(article + tokens.slice(i, end).join(" "));
  }
  return out.slice(0, 3);
}

function listOf(items: readonly string[], conjunction = "or"): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} ${conjunction} ${items.at(-1)}`;
}

/** The question's words that hold its first terms, as written ("highly-enriched uranium", not "highly"). */
function mentioned(question: string, terms: readonly QuestionTerm[]): string[] {
  const tokens = question.split(/\s+/).map((w) => w.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, ""));
  const out: string[] = [];
  for (const term of terms.slice(0, 3)) {
    const token = tokens.find((w) =>
      w.split(/[-‐]/).some((part) => part.replace(/['’]s$/, "") === term.surface),
    );
    const shown = token?.replace(/['’]s$/, "") ?? term.surface;
    if (!out.includes(shown)) out.push(shown);
  }
  return out;
}

function gap(question: string, type: QuestionType): string {
  switch (type) {
    case "who":
      return "who";
    case "when":
      return "when";
    case "where":
      return "where";
    case "howMany":
      return /\bhow much\b/i.test(question) ? "how much" : "how many";
    case "howLong":
      return "how long";
    default:
      return "what the question asks";
  }
}
