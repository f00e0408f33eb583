// The refusal of an offline answer, phrased with what was asked: "The story doesn't say who won the
// match", "… anything about centrifuges", "… it mentions uranium, but not how much".
import { STOP_WORDS } from "../text/words.ts";
import {
  normaliseForTerms,
  type QuestionAnalysis,
  type QuestionTerm,
  termKeys,
  withoutContext,
} from "./questionTerms.ts";

const AUX_BE = /^(?:is|are|was|were)$/i;
const AUX_OTHER = /^(?:do|does|did|has|have|had|will|would|can|could|should|may|might|must|shall)$/i;
const WH = /^(?:who|what|which|when|where|why|how)$/i;
const RELATIVE = /^(?:that|who|whom|which|whose)$/i;
const SUBORDINATE = /^(?:when|while|after|before|if|because|since|during|until|like)$/i;
const PARTICIPLE =
  /^(?:\w+ed|\w+en|(?:sh|kn|gr|thr|dr|bl|fl|withdr|overthr|s|m)own|\w+ght|born|held|made|built|set|hit|shot|sunk|struck|hurt|cut|put|paid|sent|spent|kept|left|lost|met|told|sold|said|done|found|led|won|run|begun|sworn|stuck)$/i;
const DETERMINER = /^(?:the|a|an|many|much|which|what|of|its|his|her|their|this|that|these|those)$/i;
// After "is/was", a preposition, participle or adjective of place starts the predicate ("who was behind
// the shooting", "who was killed"); anything else starts the subject, and the verb moves after it
// ("what the population of Oman is", "who bibi is").
const PREDICATE_START =
  /^(?:behind|in|at|on|from|with|for|to|of|among|inside|outside|near|against|after|before|during|under|over|responsible|there|here|\w+ing)$/i;
const TIME_WORDS = /^(?:week|today|tonight|tomorrow|yesterday|month|year|now|currently|recently)$/i;

/**
 * The sentence saying the story doesn't answer the question. `missing` are the question's terms that
 * none of the retrieved passages contains.
 */
export function storyDoesntSay(
  question: string,
  analysis: QuestionAnalysis,
  missing: readonly QuestionTerm[],
): string {
  const asked = withoutContext(question);
  const indirect = indirectQuestion(asked);
  if (indirect) return `The story doesn't say ${indirect}.`;
  const absent = missing.filter((t) => t.factor === 1 && !t.context && !TIME_WORDS.test(t.lower));
  const topic = topics(asked, absent);
  if (topic.length > 0) return `The story doesn't say anything about ${listOf(topic, "or")}.`;
  const gap = gapOf(asked, analysis);
  if (absent.length === 0 && analysis.terms.length > 0 && gap) {
    return `The story doesn't say: it mentions ${listOf(mentioned(asked, analysis.terms), "and")}, but not ${gap}.`;
  }
  // A yes/no question: the story neither confirms nor denies it (it may report only an attempt).
  if (analysis.type === "yesNo")
    return `The story doesn't say either way: nothing in it confirms or denies “${asked.trim()}”`;
  return `The story doesn't say; nothing in it answers “${asked.trim()}”`;
}

/**
 * The question turned into the clause that follows "doesn't say", for the forms that can be turned
 * without changing a verb: "Who won the match?" → "who won the match", "What is the population of
 * Oman?" → "what the population of Oman is". Undefined for the rest ("How many centrifuges does Iran
 * operate?" would need "operates").
 */
function indirectQuestion(question: string): string | undefined {
  const tokens = question
    .trim()
    .replace(/[?.!]+$/, "")
    .replace(/^(?:and|but|so|also|then|ok|okay|well)\b[\s,]*/i, "")
    .split(/\s+/);
  const [head, ...rest] = tokens;
  if (!head || !WH.test(head) || tokens.some((w) => /^(?:do|does|did)$/i.test(w))) return undefined;
  // The wh-phrase: "how many people", "which hotel", "how old", "what time on Friday" (at most four
  // words after the wh-word).
  let end = 1;
  while (end < Math.min(tokens.length, 5) && !isAuxiliary(tokens[end] ?? "")) end++;
  const aux = tokens[end];
  // A subject question reads the same as a clause ("who won the match in Tel Aviv"; "Why?" → "why").
  if (aux === undefined || !isAuxiliary(aux)) return [head.toLowerCase(), ...rest].join(" ");
  if (!AUX_BE.test(aux)) return undefined;
  const after = tokens.slice(end + 1);
  if (after.length === 0) return undefined;
  // "Who was behind the shooting", "who was killed": the wh-phrase is the subject, and the clause
  // reads as asked.
  const next = after[0] ?? "";
  if (PREDICATE_START.test(next) || PARTICIPLE.test(next)) return [head.toLowerCase(), ...rest].join(" ");
  // The verb goes after the subject: before "when"/"like", before a participle ("was held in"), else last.
  // A relative clause is the subject's own ("who the soldier that was wounded was").
  const relative = after.findIndex((w, i) => i > 0 && RELATIVE.test(w));
  const inSubject = (i: number) => i > 0 && (relative < 0 || i < relative);
  let at = after.findIndex((w, i) => inSubject(i) && SUBORDINATE.test(w));
  if (at < 0)
    at = after.findIndex(
      (w, i) =>
        inSubject(i) && (PARTICIPLE.test(w) || /^(?:being|getting|going)$/i.test(w)) && !/^\p{Lu}/u.test(w),
    );
  if (at < 0 && relative > 0) at = after.length;
  // … else before a preposition that ends it ("the talks are in"), else last.
  if (at < 0)
    at = /^(?:in|at|on|to|from|with|for|of|by|about)$/i.test(after.at(-1) ?? "")
      ? after.length - 1
      : after.length;
  // … and before the adverbs that lead up to it ("were originally scheduled").
  while (at > 1 && /\wly$/i.test(after[at - 1] ?? "")) at--;
  const wh = [head.toLowerCase(), ...tokens.slice(1, end)].join(" ");
  return [wh, ...after.slice(0, at), aux.toLowerCase(), ...after.slice(at)].join(" ");
}

function isAuxiliary(word: string): boolean {
  return AUX_BE.test(word) || AUX_OTHER.test(word);
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
  const missingKeys = new Set(missing.map((t) => t.key));
  for (const term of missing) {
    const i = bare.findIndex((w) => w === term.surface);
    if (i < 0 || used.has(i)) continue;
    const before = tokens[i - 1] ?? "";
    if (!term.name && !DETERMINER.test(before) && !/['’]s$/.test(before)) continue;
    const continues = (w: string) =>
      term.name ? /^\p{Lu}/u.test(w) : !STOP_WORDS.has(w.toLowerCase()) && !isAuxiliary(w);
    let end = i + 1;
    while (end < tokens.length && end < i + 4 && continues(tokens[end] ?? "")) end++;
    // The phrase names its last word's thing: "the aircraft carrier" is not missing if a carrier is there.
    const head = termKeys(bare[end - 1] ?? "")[0];
    if (head !== undefined && !missingKeys.has(head)) continue;
    for (let j = i; j < end; j++) used.add(j);
    out.push((/^the$/i.test(before) ? "the " : "") + tokens.slice(i, end).join(" "));
  }
  return out.slice(0, 3);
}

/** The question's words that hold its first terms, as written ("highly-enriched", not "highly"). */
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

/** What kind of fact is missing, for a typed question. */
function gapOf(question: string, analysis: QuestionAnalysis): string | undefined {
  switch (analysis.type) {
    case "who":
    case "when":
    case "where":
      return analysis.type;
    case "howMany":
      return /\bhow much\b/i.test(question) ? "how much" : "how many";
    case "howLong":
      return "how long";
    default:
      return undefined;
  }
}

function listOf(items: readonly string[], conjunction: string): string {
  if (items.length <= 1) return items[0] ?? "";
  return `${items.slice(0, -1).join(", ")} ${conjunction} ${items.at(-1)}`;
}
