// What a question asks for, in terms a sentence can be matched against: its type (who, when, how
// many, ...) and its salient terms, each with the keys a story's word may have when it says the same:
// the word's own forms, and for words that are not names, WordNet's relatives (tried ~ attempted,
// boats ~ gunboats, hurt ~ wounded; see lexicon/relatedWords) and the news vocabulary's synonyms.
import { namesNaturalObject, nounKinds } from "../lexicon/nounKind.ts";
import { baseForms, relatedWords } from "../lexicon/relatedWords.ts";
import { wordKeys } from "../lexicon/wordKeys.ts";
import { senses } from "../lexicon/wordnet.ts";
import { SYNONYMS as NEWS_SYNONYMS } from "../retrieval/newsVocabulary.ts";
import { STOP_WORDS, words } from "../text/words.ts";

export type QuestionType = "who" | "when" | "where" | "howMany" | "howLong" | "yesNo" | "other";

export interface QuestionTerm {
  /** The word's own key (its stem; see wordKeys). */
  key: string;
  /** Keys a story's word may have when it says what this word says → how surely (0..1). */
  keys: ReadonlyMap<string, number>;
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
  /** A name, a number, or a word used as a noun (see lexicon/relatedWords): it names a thing. */
  thing: boolean;
  /** Where the word stands in the question (1 for its first word): words side by side make a phrase. */
  position: number;
}

export interface QuestionAnalysis {
  type: QuestionType;
  /** What "how many …" counts ("horses" in "How many horses were killed?"): the number must be of it. */
  counted?: QuestionTerm;
  /** A measure is asked for ("how high", "what temperature"): a number with a unit answers it. */
  measure: boolean;
  /** The word that named the kind of answer ("year" in "what year", "high" in "how high"), if any. */
  typeNoun?: string;
  /** The place a place asked for is in: "Oman" in "which city in Oman", "Omani" in "which Omani city". */
  within?: string;
  terms: QuestionTerm[];
}

// Words that shape a question but say nothing about its topic (and prepositions the stop list
// lacks). Verbs of speaking are here because the passages' "said" and "told" are stop words: "when
// he spoke" must not need a "spoke".
const QUESTION_WORDS = new Set(
  (
    "many much kind sort type exactly actually story article mention mentioned details detail information info " +
    "regarding like according please anything something happen happened happens happening name named called whom whose " +
    "know known else speak speaks spoke spoken speaking without within among upon via per despite toward towards " +
    "everything everyone everybody anyone anybody someone somebody nothing nobody whatever whoever " +
    "around approximately roughly nearly almost about " +
    // How people write in a chat: shorthand and fillers ("can u", "whats", "the bags thing", "lol").
    "u ur r n y ya yeah yep nope nah ok okay pls plz thx tho tbh btw imo idk rn lol lmao rofl omg " +
    "whats hows wheres whos whens whys thing things stuff gonna wanna gotta kinda sorta really just even"
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

// The news vocabulary's one-word synonyms ("chief" for "head", "negotiations" for "talks"): news
// phrasing WordNet does not always join. Its groups are loose (made to find passages), so they count
// less than WordNet's synonyms.
const NEWS_SYNONYM_STRENGTH = 0.75;
const NEWS_RELATIVES = new Map<string, string[]>();
for (const group of NEWS_SYNONYMS) {
  const single = group.filter((member) => !member.includes(" "));
  for (const member of single) {
    const key = wordKeys(member)[0] ?? member;
    NEWS_RELATIVES.set(key, [...(NEWS_RELATIVES.get(key) ?? []), ...single.filter((m) => m !== member)]);
  }
}

/**
 * Keys of a (lower-case) word of a question with how surely each says the same; names keep their own,
 * but an acronym also has the news vocabulary's ("UAV" for drone, "POTUS" for president).
 */
export function keysOf(word: string, name: boolean, acronym = false): Map<string, number> {
  const keys = new Map<string, number>();
  if (!name) for (const [key, strength] of relatedWords(word).keys) keys.set(key, strength);
  if (!name || acronym) {
    for (const other of NEWS_RELATIVES.get(wordKeys(word)[0] ?? word) ?? []) {
      for (const key of wordKeys(other)) if (!keys.has(key)) keys.set(key, NEWS_SYNONYM_STRENGTH);
    }
  }
  for (const key of wordKeys(word)) keys.set(key, 1);
  return keys;
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

/** Keys of the content words of a text (see wordKeys). */
export function termKeys(text: string): string[] {
  return words(normaliseForTerms(text))
    .filter((w) => !STOP_WORDS.has(w))
    .flatMap((w) => wordKeys(w));
}

const AUXILIARY =
  /^(?:is|are|was|were|did|does|do|has|have|had|can|could|will|would|should|may|might|must)\b/i;
const LEAD_IN = /^(?:and|but|so|also|then|ok|okay|well)\b[\s,]*/i;
// A question asked indirectly: "Can you tell me the name of …", "I'd like to know what …".
const INDIRECT =
  /^(?:(?:can|could|would) you (?:please )?(?:tell|show) me|(?:please )?tell me|do you know|i(?:['’]d| would) like to know|i want to know|i wonder|i(?:['’]m| am) wondering)\b[\s,]*/i;
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
  hour: "when",
  century: "when",
  decade: "when",
  // Quantities: a number answers them.
  number: "howMany",
  amount: "howMany",
  percentage: "howMany",
  percent: "howMany",
  proportion: "howMany",
  share: "howMany",
  cost: "howMany",
  price: "howMany",
  size: "howMany",
  length: "howMany",
  height: "howMany",
  width: "howMany",
  depth: "howMany",
  speed: "howMany",
  distance: "howMany",
  temperature: "howMany",
  age: "howMany",
  weight: "howMany",
};

const MEASURE_NOUNS = new Set(
  "cost price size length height width depth speed distance temperature age weight percentage percent".split(
    " ",
  ),
);
// "How high", "how fast", "how old": a measure, which a number with a unit answers.
const MEASURES = new Set(
  "high tall fast wide far old big large deep heavy thick hot cold warm expensive".split(" "),
);

// "How much did it cost", "how much were they paid": an amount of money answers.
const MONEY =
  /\b(?:cost|costs|costing|paid|pay|pays|paying|spend|spent|spends|worth|price|priced|charge|charged|fine|fined|compensation|money|funding|budget|salary|earn|earned|earns)\b/;

// The first question word decides the type: "Where was Trump when he spoke?" asks where.
function questionType(question: string): {
  type: QuestionType;
  typeNoun?: string;
  topical?: boolean;
  within?: string;
} {
  const q = question
    .toLowerCase()
    .replace(LEAD_IN, "")
    .replace(INDIRECT, "")
    // "Which specific country", "what exact city": the word only insists; the noun is what is asked.
    .replace(/\b(which|what)\s+(?:specific|exact|particular|precise|actual)\s+/, "$1 ");
  // "What was the name of the ship?", "(tell me) the name of …": a name answers it, as for "who".
  if (/^(?:(?:what|which)(?:['’]?s|\s+(?:is|was|are|were))?\s+)?(?:the|their|his|her|its)\s+names?\b/.test(q))
    return { type: "who", typeNoun: "name" };
  // "What's the date on the post", "what is the time": a noun of a kind of answer after "is the".
  const asked = /\b(?:what|which)(?:['’]s|\s+(?:is|was|are|were))\s+the\s+(\w+)/.exec(q)?.[1];
  const askedType = asked !== undefined ? TYPE_NOUNS[asked] : undefined;
  if (asked && (askedType === "when" || askedType === "where")) return { type: askedType, typeNoun: asked };
  const wh = q.match(
    /\b(who|whom|whose|when|where|why|what|which|how)\b(?:\s+([\w-]+))?(?:\s+([\w-]+))?(?:\s+([\w-]+))?/,
  );
  if (!wh) return { type: AUXILIARY.test(q) ? "yesNo" : "other" };
  const [, word, first = "", second = "", third = ""] = wh;
  // "What body of water", "which piece of land": WordNet's word for the kind of answer is the phrase.
  const phrase = second === "of" && third !== "" ? `${first}_of_${third}` : undefined;
  if (
    (word === "what" || word === "which") &&
    phrase &&
    !TYPE_NOUNS[first] &&
    senses(phrase, "n").length > 0
  ) {
    const kind = kindOfAnswer(phrase);
    if (kind) return { type: kind, typeNoun: phrase };
  }
  // "Which US state", "which Israeli official": the name only says whose; the noun after it is asked.
  // "Which anti-Israel proxy groups": a describing word before the noun says which; the noun is asked.
  const describing =
    (word === "which" || word === "what") && second !== "" && first.includes("-") && !TYPE_NOUNS[first];
  const named =
    (word === "which" || word === "what") && second !== "" && (namesWhose(question, first) || describing);
  // "Which gulf states": a noun before a noun of place says which kind; the place is asked for.
  const compound =
    !named &&
    (word === "which" || word === "what") &&
    second !== "" &&
    !TYPE_NOUNS[first] &&
    !AUXILIARY.test(first) &&
    relatedWords(first).noun &&
    (TYPE_NOUNS[second] ?? kindOfAnswer(second)) === "where";
  const next = named || compound ? second : first;
  switch (word) {
    case "who":
    case "whom":
    case "whose":
      return { type: "who" };
    case "when":
      return { type: "when" };
    case "where": {
      // "Where in Israel": a place WordNet puts in another country is no answer.
      const within = /^where\s+in\s+(?:the\s+)?(\w+)/.exec(q.slice(q.indexOf("where")))?.[1];
      return within !== undefined ? { type: "where", within } : { type: "where" };
    }
    case "how":
      if (next === "much" && MONEY.test(q)) return { type: "howMany", typeNoun: "cost" };
      if (next === "much" && /\bweigh/.test(q)) return { type: "howMany", typeNoun: "weight" };
      if (next === "many" || next === "much") return { type: "howMany" };
      if (MEASURES.has(next)) return { type: "howMany", typeNoun: next };
      return next === "long" ? { type: "howLong", typeNoun: "long" } : { type: "other" };
    case "what":
    case "which": {
      const type = TYPE_NOUNS[next];
      if (type === "where") {
        // "Which Omani city", "what city in Israel": the place it is in.
        const within = named ? first : q.match(new RegExp(`\\b${next}\\s+in\\s+(?:the\\s+)?(\\w+)`))?.[1];
        return { type, typeNoun: next, ...(within !== undefined && { within }) };
      }
      if (type) return { type, typeNoun: next };
      // "Which miner": the noun says what kind of answer, and is also what the question is about.
      // ("Which one of …" says nothing of the kind, nor "what must" a verb, nor "what kind of targets".)
      const kind =
        /^(?:ones?|kinds?|types?|sorts?)$/.test(next) || AUXILIARY.test(next)
          ? undefined
          : kindOfAnswer(next);
      return kind ? { type: kind, typeNoun: next, topical: true } : { type: "other" };
    }
    default:
      return { type: "other" };
  }
}

/** Whether `word` is written as a name in the question ("US", "Israeli", "Omani"). */
function namesWhose(question: string, word: string): boolean {
  const written = question.match(new RegExp(`\\b${word}\\b`, "i"))?.[0] ?? "";
  return /^\p{Lu}/u.test(written);
}

/**
 * "Which miner", "what company", "which river": the noun names a person or group (answered like
 * "who"), a place ("where") or a time ("when"), by WordNet's kinds of nouns.
 */
function kindOfAnswer(noun: string): QuestionType | undefined {
  const kinds = nounKinds(noun);
  if (kinds.has("person") || kinds.has("group")) return "who";
  if (kinds.has("location")) return "where";
  if (kinds.has("time")) return "when";
  // "Which river", "what body of water": a natural thing a place is named for is asked where.
  if (namesNaturalObject(noun)) return "where";
  return undefined;
}

// "What's his title?", "what job …": the story describes ("Special Envoy") without naming the thing
// asked for, so the story lacking these words is no sign it lacks the answer.
const DESCRIBED = /^(?:title|job|role|position|rank|occupation|profession)s?$/;

const MENTION = /<(?:@[!&]?|#)\d+>|[@＠](?:everyone|here)\b/g;

const WORD_WITH_CASE = /[\p{L}\p{N}]+(?:['’][\p{L}]+)?/gu;

// A trailing "(…)" holds context terms (the follow-up rewrite adds the previous question's there).
const TRAILING_CONTEXT = /\s*\([^()]*\)\s*$/;

/** The question without the context terms a follow-up rewrite appended. */
export function withoutContext(question: string): string {
  return question.replace(TRAILING_CONTEXT, "");
}

/**
 * The thing "how many" counts: the last word of the run of things after it, names skipped ("How many
 * road workers", "How many USS Nantucket cadets"). Not a general word ("people"), which many others name.
 */
function countedTerm(text: string, terms: readonly QuestionTerm[]): QuestionTerm | undefined {
  const at = /\bhow\s+many\s+/i.exec(text);
  if (!at) return undefined;
  let counted: QuestionTerm | undefined;
  for (const word of words(text.slice(at.index + at[0].length)).slice(0, 4)) {
    const term = terms.find((t) => t.lower === word || t.key === wordKeys(word)[0]);
    if (!term || !term.thing) break;
    if (!term.name) counted = term;
    // "How many people lost their lives": a general noun ends the run ("lost" is no thing counted).
    if (!term.name && relatedWords(term.lower).general) break;
  }
  return counted && !relatedWords(counted.lower).general ? counted : undefined;
}

/**
 * "To host", "will host", "can board": a word after "to" or a modal verb that WordNet knows as a verb
 * is a verb here, not a thing.
 */
function infinitive(text: string, at: number, lower: string): boolean {
  return (
    /\b(?:to|will|would|can|could|shall|should|may|might|must)\s+$/i.test(
      text.slice(Math.max(0, at - 7), at),
    ) && senses(baseForms(lower, "v")[0] ?? lower, "v").length > 0
  );
}

/** The type of a question and its salient terms, each once, in question order. */
export function analyseQuestion(asked: string): QuestionAnalysis {
  // Mentions ("<@123…>", "@everyone") address people on Discord; they are not what is asked about.
  const question = asked.replace(MENTION, " ");
  const { type, typeNoun, topical, within } = questionType(question);
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
    if (STOP_WORDS.has(lower) || QUESTION_WORDS.has(lower) || (lower === typeNoun && !topical)) continue;
    if (typeNoun?.includes("_") && typeNoun.split("_").includes(lower)) continue;
    // "What time of day": the day is part of what is asked, not a word of the answer's sentence.
    if (
      typeNoun === "time" &&
      lower === "day" &&
      /\btime\s+of\s+(?:the\s+)?$/i.test(text.slice(0, match.index))
    )
      continue;
    const key = wordKeys(lower)[0] ?? lower;
    if (seen.has(key)) continue;
    seen.add(key);
    const context = match.index >= contextFrom;
    // A people's word that ends the question says what the name before it is ("is Witkoff American?").
    const predicate =
      /^\s*[?.!]*\s*$/.test(text.slice(match.index + match[0].length, contextFrom)) &&
      baseForms(lower, "a").length > 0;
    const joins =
      name &&
      !predicate &&
      openName?.position === position - 1 &&
      /^ +$/.test(text.slice(openName.end, match.index));
    const entity = joins && openName ? openName.entity : terms.length;
    // A possessive ends a name: in "Israel's defense minister" nothing joins "Israel".
    openName =
      name && surface === match[0] ? { entity, position, end: match.index + match[0].length } : undefined;
    const acronym = surface.length >= 2 && /^[\p{Lu}\p{N}]+$/u.test(surface) && /\p{Lu}{2}/u.test(surface);
    const relatives = name || acronym ? undefined : relatedWords(lower);
    terms.push({
      key,
      keys: keysOf(lower, name || acronym, acronym),
      surface,
      lower,
      name,
      acronym,
      factor: (LIGHT_VERBS.has(lower) ? 0.5 : 1) * (context ? 0.5 : 1),
      context,
      entity,
      position,
      thing:
        name ||
        acronym ||
        /\d/.test(lower) ||
        ((relatives?.noun ?? false) && !DESCRIBED.test(lower) && !infinitive(text, match.index, lower)),
    });
  }
  const measure = typeNoun !== undefined && (MEASURES.has(typeNoun) || MEASURE_NOUNS.has(typeNoun));
  const counted = type === "howMany" && !measure ? countedTerm(text, terms) : undefined;
  return {
    type,
    measure,
    ...(typeNoun !== undefined && { typeNoun }),
    ...(within !== undefined && { within }),
    ...(counted && { counted }),
    terms,
  };
}
