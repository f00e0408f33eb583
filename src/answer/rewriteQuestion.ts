// The offline follow-up rewrite: a question that leans on the conversation ("Did he attend?", "And
// where were they supposed to be before?") gets what it leans on: the person a pronoun stands for,
// and the terms of the previous question. The result is a retrieval query, so appended context
// terms need not be grammatical; a question that already stands alone is returned unchanged.
import { STOP_WORDS } from "../text/words.ts";
import type { Turn } from "../types.ts";
import { analyseQuestion, normaliseForTerms, termKeys } from "./questionTerms.ts";
import { PRESENT_STRENGTH } from "./storyEvidence.ts";

/** Earlier questions rewritten in turn, so a chain of follow-ups keeps its subject. */
const MAX_CHAIN = 3;
/** How far (in words) from the previous question's terms a name in the previous answer may stand. */
const NAME_REACH = 4;

const PERSON = /^(?:he|she|him|her|his|hers)$/i;
const OBJECT = /^(?:him|them)$/i;
const THING = /^(?:they|them|their|theirs|it|its)$/i;
const DEMONSTRATIVE = /^(?:that|this|those|these)$/i;
const LEAD_IN = /^(?:and|but|so|also|then|what about|how about)\b|\b(?:else|other)\b/i;
const TIME_SHIFT = /\b(?:before|previously|originally|initially|at first|earlier)\b/i;
const TRAILING_SHIFT = /\b(?:before|after|then|instead|again|too|now|later|earlier)\s*\?*$/i;
const QUESTION_WORD = /^(?:who|whom|whose|what|which|when|where|why|how)$/i;
const AUXILIARY =
  /^(?:is|are|was|were|be|been|do|does|did|has|have|had|will|would|can|could|should|may|might|must|shall)$/i;
// Added to a "before?" follow-up: articles say what was "originally" planned, not what was "before".
const TIME_SHIFT_TERMS = "originally previously";

export function rewriteQuestion(question: string, history: Turn[]): string {
  return rewrite(question, history, 0);
}

function rewrite(question: string, history: readonly Turn[], depth: number): string {
  const previousAt = history.findLastIndex((t) => t.role === "user");
  const previousTurn = history[previousAt];
  if (!previousTurn || !isFollowUp(question)) return question;

  const earlier = history.slice(0, previousAt);
  const previous =
    depth < MAX_CHAIN ? rewrite(previousTurn.content, earlier, depth + 1) : previousTurn.content;
  const previousAnswer = history.slice(previousAt + 1).find((t) => t.role === "assistant")?.content ?? "";

  const tokens = question.trim().split(/\s+/);
  const personAt = tokens.findIndex((w, i) => PERSON.test(bare(w)) && dangles(tokens, i));
  let rewritten = question.trim();
  if (personAt >= 0) {
    // News style names a person in full once, then by surname; the surname is what passages repeat.
    const surname = personFor(previous, previousAnswer)?.split(" ").at(-1);
    if (surname && !rewritten.includes(surname)) rewritten = substitute(tokens, personAt, surname);
  }

  const have = new Set(termKeys(rewritten));
  const context = analyseQuestion(previous)
    .terms.filter((t) => !have.has(t.key))
    .map((t) => t.surface);
  if (TIME_SHIFT.test(question)) context.push(TIME_SHIFT_TERMS);
  return context.length > 0 ? `${rewritten} (${context.join(" ")})` : rewritten;
}

/** True when the question leans on an earlier turn: a pronoun with nothing to refer to, "and …", "before?", or next to no words of its own. */
function isFollowUp(question: string): boolean {
  const trimmed = question.trim();
  if (LEAD_IN.test(trimmed) || TRAILING_SHIFT.test(trimmed)) return true;
  const tokens = trimmed.split(/\s+/);
  if (tokens.some((_, i) => dangles(tokens, i))) return true;
  const terms = analyseQuestion(trimmed).terms;
  return terms.length === 0 || (terms.length === 1 && !terms[0]?.name);
}

/**
 * Whether the word at `i` is a pronoun pointing outside the question. An object pronoun always does
 * ("What did Netanyahu tell him?"); a subject or possessive one does when no content word comes
 * before it ("Did he attend?", not "What did CENTCOM say it shot down?").
 */
function dangles(tokens: readonly string[], i: number): boolean {
  const word = bare(tokens[i] ?? "");
  const next = bare(tokens[i + 1] ?? "");
  if (/^there$/i.test(word)) return !AUXILIARY.test(next) && !AUXILIARY.test(bare(tokens[i - 1] ?? ""));
  if (DEMONSTRATIVE.test(word))
    return next === "" || AUXILIARY.test(next) || STOP_WORDS.has(next.toLowerCase());
  if (OBJECT.test(word)) return true;
  if (!PERSON.test(word) && !THING.test(word)) return false;
  return !tokens.slice(0, i).some((w) => isContentWord(bare(w)));
}

function isContentWord(word: string): boolean {
  // "what's", "who's": a question word with its verb.
  const lower = word.toLowerCase().replace(/['’]s$/, "");
  return lower !== "" && !STOP_WORDS.has(lower) && !QUESTION_WORD.test(lower) && !AUXILIARY.test(lower);
}

function bare(word: string): string {
  return word.replace(/^[^\p{L}\p{N}]+|[^\p{L}\p{N}]+$/gu, "");
}

/** The question with the pronoun at `at` replaced by the person's name (possessive kept). */
function substitute(tokens: readonly string[], at: number, person: string): string {
  const token = tokens[at] ?? "";
  const word = bare(token).toLowerCase();
  const next = bare(tokens[at + 1] ?? "");
  const possessive = word === "his" || word === "hers" || (word === "her" && isContentWord(next));
  const replacement = possessive ? `${person}'s` : person;
  return tokens.map((t, i) => (i === at ? t.replace(/[\p{L}]+/u, replacement) : t)).join(" ");
}

/**
 * The person a pronoun most likely means. After a "who" question, it is the name its answer gives next
 * to the question's words ("Defense Minister Israel Katz"); otherwise the name the previous question used.
 */
function personFor(previous: string, previousAnswer: string): string | undefined {
  const analysis = analyseQuestion(previous);
  const named = analysis.terms.filter((t) => t.name);
  // Each term is found by its own words or ones that say the same ("chief" for "head").
  const keys = new Map<string, number>();
  analysis.terms.forEach((term, i) => {
    for (const [key, strength] of term.keys)
      if (strength >= PRESENT_STRENGTH && !keys.has(key)) keys.set(key, i);
  });
  const fromAnswer = () => nameNear(previousAnswer, keys);
  if (analysis.type === "who") return fromAnswer() ?? named[0]?.surface;
  return named[0] ? nameRunContaining(previous, named[0].surface) : fromAnswer();
}

interface Span {
  start: number;
  end: number;
  words: string[];
}

/** The run of capitalised words of `text` that holds `word` ("Benjamin Netanyahu"). */
function nameRunContaining(text: string, word: string): string {
  return (
    capitalisedRuns(tokensOf(text))
      .find((run) => run.words.includes(word))
      ?.words.join(" ") ?? word
  );
}

/**
 * The capitalised run of `answer` with the most of the question's terms in or around it: after "Who
 * is the head of Mossad?", "David Barnea" in "…, Mossad chief David Barnea, IDF Chief of Staff …".
 */
function nameNear(answer: string, questionKeys: ReadonlyMap<string, number>): string | undefined {
  const tokens = tokensOf(answer);
  const isQuestionTerm = (w: string) => termKeys(w).some((k) => questionKeys.has(k));
  let best: { words: string[]; keys: number; distance: number } | undefined;
  for (const span of capitalisedRuns(tokens)) {
    if (!span.words.some((w) => !isQuestionTerm(w) && !STOP_WORDS.has(w.toLowerCase()))) continue;
    // Nearest occurrence of each question term within reach of the run (0 inside it).
    const nearest = new Map<number, number>();
    const from = Math.max(0, span.start - NAME_REACH);
    const to = Math.min(tokens.length, span.end + NAME_REACH);
    for (let i = from; i < to; i++) {
      const distance = i < span.start ? span.start - i : i >= span.end ? i - span.end + 1 : 0;
      for (const key of termKeys(tokens[i] ?? "")) {
        const term = questionKeys.get(key);
        if (term !== undefined && distance < (nearest.get(term) ?? Number.POSITIVE_INFINITY)) {
          nearest.set(term, distance);
        }
      }
    }
    if (nearest.size === 0) continue;
    const distance = [...nearest.values()].reduce((a, b) => a + b, 0);
    if (!best || nearest.size > best.keys || (nearest.size === best.keys && distance < best.distance)) {
      best = { words: span.words, keys: nearest.size, distance };
    }
  }
  return best?.words.join(" ");
}

/** Words and the punctuation between them: a comma ends a run of names ("Huckabee, Defense Minister"). */
function tokensOf(text: string): string[] {
  return normaliseForTerms(text).match(/[\p{L}\p{N}][\p{L}\p{N}'’.-]*|[,;:()“”"‘’!?—–]/gu) ?? [];
}

/** Maximal runs of capitalised words, without a leading stop word ("The") or the answer's framing. */
function capitalisedRuns(tokens: readonly string[]): Span[] {
  const runs: Span[] = [];
  let start = -1;
  for (let i = 0; i <= tokens.length; i++) {
    const capital = i < tokens.length && /^\p{Lu}/u.test(tokens[i] ?? "");
    if (capital && start < 0) start = i;
    if (!capital && start >= 0) {
      let from = start;
      while (from < i && /^(?:the|a|an|according|yes|no)$/i.test(tokens[from] ?? "")) from++;
      if (from < i) runs.push({ start: from, end: i, words: tokens.slice(from, i).map(stripPossessive) });
      start = -1;
    }
  }
  return runs;
}

function stripPossessive(word: string): string {
  return word.replace(/['’]s$/, "").replace(/[.]$/, "");
}
