// What a question asks for, in terms a sentence can be matched against: its type (who, when, how
// many, ...) and its salient terms, with the small amount of news vocabulary that questions and
// articles phrase differently ("heads" / "chief", "begin" / "commence", "IDF" / "Israel Defense Forces").
import { STOP_WORDS, stem, words } from "../text/words.ts";

export type QuestionType = "who" | "when" | "where" | "howMany" | "howLong" | "yesNo" | "other";

export interface QuestionTerm {
  /** Matching key: the stem, or the name of its synonym group. */
  key: string;
  /** The word as the question wrote it. */
  surface: string;
  /** Lower-cased word, for matching names ("Israeli" ~ "Israel"). */
  lower: string;
  /** Written with a capital letter inside the question: a name or an acronym. */
  name: boolean;
  /** Written in capitals ("IDF", "CENTCOM"): may abbreviate a phrase of the passage. */
  acronym: boolean;
  /** Relative importance before corpus weighting; light verbs and added context count half. */
  factor: number;
  /** From a trailing "(…)": context a follow-up rewrite added, not what is asked. */
  context: boolean;
  /** Shared by the words of one multi-word name ("USS Abraham Lincoln"), which count as one term. */
  entity: number;
}

export interface QuestionAnalysis {
  type: QuestionType;
  terms: QuestionTerm[];
}

// Words that shape a question but say nothing about its topic (and prepositions the stop list
// lacks). Verbs of speaking are here because the passages' "said" and "told" are stop words: "when
// he spoke" must not need a "spoke".
const QUESTION_WORDS = new Set(
  (
    "many much kind sort type exactly actually story article mention mentioned details detail information info " +
    "regarding like according please anything something happen happened happens name named called whom whose " +
    "know known else speak speaks spoke spoken speaking without within among upon via per despite toward towards"
  ).split(" "),
);

// Verbs that questions use loosely for many things; a missing one weighs half.
const LIGHT_VERBS = new Set(
  (
    "attribute attributed describe described make made take took taken give gave given get got go went come came " +
    "put see saw seen use used involve involved include included concern concerned relate related " +
    "think thought want wanted need needed show showed shown play played part"
  ).split(" "),
);

// Words questions and news copy use for the same thing. Each group matches as one term. Narrower than
// the retrieval's news vocabulary on purpose: a loose synonym may bring a passage in, but only a word
// that means the same may show that a sentence answers ("talks" is not "meeting", "ship" not "tanker").
const SYNONYMS: readonly (readonly string[])[] = [
  ["talk", "talks", "negotiation", "negotiations", "negotiate", "negotiators"],
  ["begin", "start", "commence"],
  ["head", "heads", "chief", "leader", "leads", "lead", "director", "commander", "commands"],
  ["network", "channel", "broadcaster", "outlet", "news", "newspaper", "media"],
  ["state", "clarify", "reiterate", "note", "declare", "remark", "assert", "affirm", "reaffirm"],
  ["schedule", "scheduled", "plan", "planned", "suppose", "supposed", "due", "set"],
  ["originally", "initially", "previously", "earlier", "formerly"],
  ["attend", "attended", "attendance", "present", "presence", "join", "participate"],
  ["try", "tried", "attempt", "attempted", "seek", "sought"],
  ["shoot", "shot", "downed", "intercept", "intercepted"],
  ["kill", "killed", "dead", "death", "die", "died"],
  ["wound", "wounded", "injure", "injured", "hurt"],
  ["demand", "demands", "insist", "insistence", "require"],
  ["deal", "agreement"],
  ["warn", "warned", "threaten", "threatened"],
  ["attack", "attacked", "strike", "strikes", "assault"],
  ["meet", "met", "meeting"],
  ["hold", "held", "host", "venue", "place"],
  ["rebuild", "rebuilt", "reconstruction", "reconstruct"],
  ["drone", "uav", "unmanned"],
  ["ship", "vessel", "warship", "carrier"],
];

const GROUP_OF = new Map<string, string>();
for (const group of SYNONYMS) {
  const name = stem(group[0] ?? "");
  for (const word of group) GROUP_OF.set(stem(word), name);
}

/** The key a stemmed word matches under: its synonym group, or itself. */
export function termKey(stemmed: string): string {
  return GROUP_OF.get(stemmed) ?? stemmed;
}

/**
 * Spelling variants joined before terms are taken, for matching only (quotes stay verbatim):
 * dotted initialisms ("U.S." → "US") and letter-number names ("F-35" → "F35").
 */
export function normaliseForTerms(text: string): string {
  return text
    .replace(/\b((?:[A-Z]\.){2,})/g, (m) => m.replaceAll(".", ""))
    .replace(/\b([A-Za-z]{1,8})-(\d{1,4})\b/g, "$1$2");
}

/** Keys of the content words of a text, as `termKey` gives them. */
export function termKeys(text: string): string[] {
  return words(normaliseForTerms(text))
    .filter((w) => !STOP_WORDS.has(w))
    .map((w) => termKey(stem(w)));
}

const AUXILIARY = /^(?:is|are|was|were|did|does|do|has|have|had|can|could|will|would|should|may|might)\b/i;
const LEAD_IN = /^(?:and|but|so|also|then|ok|okay|well)\b[\s,]*/i;
// Nouns that name the kind of answer wanted ("which day", "what city"), not its topic.
const TYPE_NOUNS: Record<string, QuestionType | undefined> = {
  day: "when",
  date: "when",
  time: "when",
  year: "when",
  month: "when",
  week: "when",
  city: "where",
  country: "where",
  place: "where",
  location: "where",
  venue: "where",
  person: "who",
  official: "who",
};

// The first question word decides the type: "Where was Trump when he spoke?" asks where.
function questionType(question: string): { type: QuestionType; typeNoun?: string } {
  const q = question.toLowerCase().replace(LEAD_IN, "");
  const wh = q.match(/\b(who|whom|whose|when|where|why|what|which|how)\b(?:\s+(\w+))?/);
  if (!wh) return { type: AUXILIARY.test(q) ? "yesNo" : "other" };
  const [, word, next = ""] = wh;
  switch (word) {
    case "who":
    case "whom":
    case "whose":
      return { type: "who" };
    case "when":
      return { type: "when" };
    case "where":
      return { type: "where" };
    case "how":
      if (next === "many" || next === "much") return { type: "howMany" };
      return next === "long" ? { type: "howLong", typeNoun: "long" } : { type: "other" };
    case "what":
    case "which": {
      const type = TYPE_NOUNS[next];
      return type ? { type, typeNoun: next } : { type: "other" };
    }
    default:
      return { type: "other" };
  }
}

const WORD_WITH_CASE = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

// A trailing "(…)" holds context terms (the follow-up rewrite adds the previous question's there).
const TRAILING_CONTEXT = /\s*\([^()]*\)\s*$/;

/** The question without the context terms a follow-up rewrite appended. */
export function withoutContext(question: string): string {
  return question.replace(TRAILING_CONTEXT, "");
}

/** The type of a question and its salient terms, each once, in question order. */
export function analyseQuestion(question: string): QuestionAnalysis {
  const { type, typeNoun } = questionType(question);
  const terms: QuestionTerm[] = [];
  const seen = new Set<string>();
  const text = normaliseForTerms(question);
  const contextFrom = TRAILING_CONTEXT.exec(text)?.index ?? text.length;
  let position = 0;
  // The name term just before, when only a space came between: the next name word joins its entity.
  let openName: { entity: number; position: number; end: number } | undefined;
  for (const match of text.matchAll(WORD_WITH_CASE)) {
    position++;
    const surface = match[0].replace(/['’]s$/, "");
    const lower = surface.toLowerCase();
    const capital = /^\p{Lu}/u.test(surface);
    const name = capital && position > 1;
    if (STOP_WORDS.has(lower) || QUESTION_WORDS.has(lower) || lower === typeNoun) continue;
    const key = termKey(stem(lower));
    if (seen.has(key)) continue;
    seen.add(key);
    const context = match.index >= contextFrom;
    const joins =
      name && openName?.position === position - 1 && /^ +$/.test(text.slice(openName.end, match.index));
    const entity = joins && openName ? openName.entity : terms.length;
    // A possessive ends a name: in "Israel's defense minister" nothing joins "Israel".
    openName =
      name && surface === match[0] ? { entity, position, end: match.index + match[0].length } : undefined;
    terms.push({
      key,
      surface,
      lower,
      name,
      acronym: surface.length >= 2 && /^[\p{Lu}\p{N}]+$/u.test(surface) && /\p{Lu}{2}/u.test(surface),
      factor: (LIGHT_VERBS.has(lower) ? 0.5 : 1) * (context ? 0.5 : 1),
      context,
      entity,
    });
  }
  return { type, terms };
}
