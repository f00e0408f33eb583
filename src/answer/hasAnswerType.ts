// Whether a sentence holds the kind of fact a question asks for: a name, or a word for a person or a
// group, next to the question's words for "who"; a date, weekday or word for a time for "when"; a
// place for "where"; a number for "how many", a duration for "how long". A sentence without it
// cannot answer, however many words it shares with the question. Words for people, groups, places
// and times are WordNet's (see lexicon/nounKind), so "the anarchists" answers "who".
import { isKindOf } from "../lexicon/kindOf.ts";
import { type NounKind, nounKinds } from "../lexicon/nounKind.ts";
import { placedElsewhere, placeNamed } from "../lexicon/placeOf.ts";
import { baseForms } from "../lexicon/relatedWords.ts";
import { STOP_WORDS } from "../text/words.ts";
import { sameName } from "./matchTerms.ts";
import { hasMeasure, NUMBER, NUMBER_WORD } from "./measureUnits.ts";
import {
  normaliseForTerms,
  type QuestionAnalysis,
  type QuestionTerm,
  type QuestionType,
  termKeys,
} from "./questionTerms.ts";

const SIZE_IN_WORDS = /^(?:big|large|size)$/;
const WEEKDAY = "monday|tuesday|wednesday|thursday|friday|saturday|sunday";
const MONTH = "January|February|March|April|May|June|July|August|September|October|November|December";
const WHEN = new RegExp(
  `\\b(?:(?:${WEEKDAY}|yesterday|today|tomorrow|tonight|morning|afternoon|evening|night|midnight|noon|dawn|ago|1\\d{3}|20\\d{2}|\\d{1,4}s|\\d{1,2}(?:st|nd|rd|th) century|(?:that|same|next|previous|following) (?:day|week|month|year))\\b|\\d{1,2}(?::\\d{2})?\\s?(?:a\\.m\\.|p\\.m\\.|am\\b|pm\\b))`,
  "i",
);
const CLOCK =
  /\b(?:morning|afternoon|evening|night|midnight|noon|midday|dawn|dusk)\b|\d{1,2}(?::\d{2})?\s?(?:a\.m\.|p\.m\.|am\b|pm\b)|\b\d{1,2}:\d{2}\b|\b\d{4} (?:GMT|UTC)\b/i;
const EVENT_TIME = /\b(?:after|before|during|following|since|until|while|once)\b/i;
const DAY = new RegExp(
  `\\b(?:${WEEKDAY}|yesterday|today|tomorrow|tonight|(?:that|same|next|previous|following) day)\\b|\\b\\d{1,2}(?:st|nd|rd|th)\\b|\\b\\d{1,2}/\\d{1,2}(?:/\\d{2,4})?\\b|\\b\\d{4}-\\d{2}-\\d{2}\\b|\\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\\.?\\s+\\d{1,2}\\b`,
  "i",
);
const YEAR_IN =
  /\b(?:1\d{3}|20\d{2})s?\b|\b(?:century|decade|(?:last|next|this|that|previous|following) year)\b/i;
// Month names are capitalised ("May", not the "may" of "may be").
const MONTHS = new RegExp(`\\b(?:${MONTH})\\b`);
// A year alone ("in 1915") dates something; it does not count or measure it.
const YEAR = /^(?:1\d{3}|20\d{2})$/;
const DURATION = new RegExp(
  `(?:\\d+|\\b(?:${NUMBER_WORD}|several|a few|many))[\\s-]*(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\\b|\\bfor (?:hours|days|weeks|months|years)\\b`,
  "i",
);
const WHERE =
  /\b(?:in|at|to|from|near|off|inside|outside|towards?|across|into|(?:bound|headed|heading) for)\s+(?:the\s+)?(\p{Lu}[\p{L}'’]*)/gu;
const NOT_A_NAME = new RegExp(`^(?:${WEEKDAY}|${MONTH})$`, "i");
/** A word related this strongly to a word of the question says nothing new (see lexicon/relatedWords). */
const RELATED = 0.75;
/** How near (in words) a "who" answer's name must stand to a word of the question. */
const NAME_WINDOW = 4;
const APPOSITION_WINDOW = 2;

/**
 * `loose`: whether the sentence may hold the fact, as "doesn't say" must rule out: a place the
 * question names itself ("in Oman" for "where in Oman") may still be the answer's setting. A name
 * asked for is not loosened: a story that names the tanker names it where it mentions it, so a
 * tanker mentioned and nowhere named is the story's silence. Nor is a clock time: a story that gives
 * one gives it as such ("at 1:30 a.m.", "Tuesday night"), not as a day. Nor a count: "one soldier
 * was wounded after gunmen fired" gives no number of gunmen.
 */
export function hasAnswerType(
  {
    type,
    terms,
    measure,
    typeNoun,
    counted,
    within,
  }: Pick<QuestionAnalysis, "type" | "terms" | "measure" | "typeNoun" | "counted" | "within">,
  sentence: string,
  loose = false,
): boolean {
  // "How big a response": a size may be told in words ("of extraordinary magnitude"), so a sentence
  // without a number may still hold it when ruling out.
  if (measure) return hasMeasure(sentence, typeNoun) || (loose && SIZE_IN_WORDS.test(typeNoun ?? ""));
  switch (type) {
    case "who":
      // "What were the names of …", "which miner", "what company": a name answers, not "two
      // children", "one miner" or "engineers".
      if (typeNoun !== undefined) {
        const verdict = namesAskedThing({ type, typeNoun, terms }, sentence);
        if (verdict !== undefined) return verdict;
        return hasNewWord(sentence, terms, properName);
      }
      return hasNewWord(
        sentence,
        terms,
        (token, lower, i, tokens) =>
          isName(token, i, tokens) ? "name" : isKind(lower, WHO_KINDS) ? "word" : undefined,
        // Ruling out: a name anywhere in the sentence may be who ("In statements released after the
        // meeting, the Prime Minister's Office said …").
        loose ? Infinity : NAME_WINDOW,
      );
    case "when":
      // "What time", "what hour": a clock time or a time of day, not the day.
      if (typeNoun === "time" || typeNoun === "hour") return hasNewClock(sentence, terms);
      // "What year", "which month": a weekday is no answer, even to rule it out.
      if (typeNoun === "year" || typeNoun === "decade" || typeNoun === "century")
        return YEAR_IN.test(sentence);
      if (typeNoun === "month") return MONTHS.test(sentence);
      // "Which day", "what date": a weekday or a date, not "a 3-hour meeting".
      if (typeNoun === "day" || typeNoun === "date") return DAY.test(sentence) || MONTHS.test(sentence);
      return (
        WHEN.test(sentence) ||
        MONTHS.test(sentence) ||
        hasNewWord(
          sentence,
          terms,
          (_, lower) => (isKind(lower, WHEN_KINDS) ? "name" : undefined),
          Infinity,
        ) ||
        // A plain "when" may be answered by another event: "after the meeting", "during the war".
        (typeNoun === undefined && EVENT_TIME.test(sentence))
      );
    case "where": {
      const verdict = namesAskedThing({ type, typeNoun, terms }, sentence);
      if (verdict !== undefined) return verdict;
      // A word for a place counts after a preposition of place ("to the hospital", "in the harbour").
      // "Which city in Oman" asks for a place other than Oman even to rule it out; a plain "where in
      // Oman" may be answered by "in Oman".
      return (
        (loose && typeNoun === undefined
          ? hasPlaceName(sentence) || hasNewWord(sentence, terms, anyName, Infinity)
          : hasPlaceName(sentence, terms, within)) ||
        hasNewWord(sentence, terms, (_, lower, i, tokens) =>
          isKind(lower, WHERE_KINDS) && placedAfterPreposition(tokens, i) ? "word" : undefined,
        )
      );
    }
    case "howMany":
      return hasNewNumber(sentence, terms, counted);
    case "howLong":
      // A duration, or a length in its units ("how long is the bridge"): not "87 people".
      return DURATION.test(sentence) || hasMeasure(sentence, "long");
    default:
      return true;
  }
}

/**
 * Whether the sentence names the thing a question asks the name of ("the name of the tanker", "which
 * miner", "which country"): a name in the thing's own phrase ("to another country" names none).
 * Undefined when the sentence does not mention the thing, or the question asks no thing's name.
 */
export function namesAskedThing(
  {
    type,
    typeNoun,
    terms,
  }: { type: QuestionType; typeNoun?: string | undefined; terms: readonly QuestionTerm[] },
  sentence: string,
  exact = false,
): boolean | undefined {
  const named = askedThing({ type, typeNoun, terms });
  // A people's adjective names a country ("a Bolivian"), not a person.
  return named && namesThing(sentence, named, terms, type === "where" ? anyName : properName, exact);
}

/**
 * Whether the sentence speaks of the thing whose name is asked for as one already spoken of ("the
 * carrier", "that tanker"): the story may have named it elsewhere, in words that do not say what it is
 * ("the USS Abraham Lincoln"), so its not naming it here is no sign of silence.
 */
export function pointsBackToAskedThing(analysis: AskingThing, sentence: string): boolean {
  const thing = askedThing(analysis);
  if (!thing) return false;
  const thingBase = nounBase(thing.lower);
  const lowers = tokensOf(sentence).map((t) => t.toLowerCase().replace(/['’]s$/, ""));
  return lowers.some((lower, i) => nounBase(lower) === thingBase && pointsBack(lowers, i));
}

/** What tells the thing a question asks the name of. */
type AskingThing = { type: QuestionType; typeNoun?: string | undefined; terms: readonly QuestionTerm[] };

/** The thing whose name a "who"/"where" question asks for, if any. */
function askedThing({ type, typeNoun, terms }: AskingThing): ThingWord | undefined {
  if (typeNoun === undefined || (type !== "who" && type !== "where")) return undefined;
  // "Which city", "which country" leave the noun out of the question's terms.
  return namedThing(typeNoun, terms) ?? (type === "where" ? kindWord(typeNoun) : undefined);
}

/** Words (a hyphenated word is one: "anti-Israel proxy groups" are not named Israel) and punctuation. */
function tokensOf(sentence: string): string[] {
  return [...normaliseForTerms(sentence).matchAll(/[\p{L}\p{N}'’]+(?:-[\p{L}\p{N}'’]+)*|[,;:—–()]/gu)].map(
    (m) => m[0],
  );
}

/**
 * The thing whose name is asked for: "soldier" in "What was the name of the soldier …?", "miner" in
 * "Which miner …?". Undefined for "which official", whose noun only says a person is wanted.
 */
function namedThing(typeNoun: string, terms: readonly QuestionTerm[]): ThingWord | undefined {
  if (typeNoun === "name") {
    // "The name of the aircraft carrier": the last of the first run of things, its head noun.
    let head = terms.findIndex(isThingWord);
    while (isThingWord(terms[head + 1]) && terms[head + 1]?.position === (terms[head]?.position ?? 0) + 1)
      head++;
    return head >= 0 ? terms[head] : undefined;
  }
  return terms.find((t) => t.lower === typeNoun);
}

function isThingWord(t: QuestionTerm | undefined): boolean {
  return t !== undefined && t.thing && !t.name && !t.acronym;
}

/** What `questionWord` reads of a term: a word and the keys that say it. */
type ThingWord = Pick<QuestionTerm, "lower" | "keys">;

/** "Which city", "what country": the kind of place asked for, which the question leaves out of its terms. */
function kindWord(typeNoun: string): ThingWord {
  return { lower: typeNoun, keys: new Map(termKeys(typeNoun).map((key) => [key, 1])) };
}

// Words that put a name outside the thing's own phrase: "a tanker in the Strait of Hormuz" does not
// name the tanker; "the tanker, named X", "miner Florencio Avalos" and "the Dali container ship" do.
const APART =
  /^(?:of|in|at|on|from|by|with|to|for|into|near|after|before|and|or|but|that|which|who|was|were|is|are|be|been|has|had|have|said|says)$/i;
const NAMING_SPAN = 3;
const PUNCTUATION = /^[,;:—–()]$/;

/**
 * Whether the sentence names the thing itself, when it mentions the thing: a name in its own phrase,
 * within a few words and nothing but a comma, an article or a describing word between. Undefined when
 * the sentence does not mention the thing (it may name it as the subject of another clause).
 */
function namesThing(
  sentence: string,
  thing: ThingWord,
  terms: readonly QuestionTerm[],
  ofKind: (token: string, lower: string, i: number, tokens: readonly string[]) => "name" | "word" | undefined,
  exact = false,
): boolean | undefined {
  const tokens = tokensOf(sentence);
  const lowers = tokens.map((t) => t.toLowerCase().replace(/['’]s$/, ""));
  // With `exact`, the thing's own noun, not a word sharing its stem ("diplomatic" for diplomat).
  const thingBase = nounBase(thing.lower);
  const isThing = exact ? (lower: string) => nounBase(lower) === thingBase : questionWord([thing]);
  const isQuestionWord = questionWord(terms);
  // With `exact`, "the carrier" is not counted as a mention: it points back to a carrier the story
  // may have named elsewhere ("the USS Abraham Lincoln"), unlike "a tanker" or "another country".
  const at = lowers.flatMap((lower, i) => (isThing(lower) && !(exact && pointsBack(lowers, i)) ? [i] : []));
  if (at.length === 0) return undefined;
  // isName reads words alone (is a capital only the sentence's first letter?).
  const words = tokens.filter((t) => !PUNCTUATION.test(t));
  const wordIndex = (i: number) => tokens.slice(0, i).filter((t) => !PUNCTUATION.test(t)).length;
  return at.some(
    (i) =>
      // "The Arabian Sea", "the Yellow Line": the thing's own word written as a name is named.
      // (The word itself, not one sharing its stem: "Central Command" names no commander.)
      (i > 0 &&
        /^\p{Lu}\p{Ll}/u.test(tokens[i] ?? "") &&
        nounBase(lowers[i] ?? "") === thingBase &&
        !PUNCTUATION.test(tokens[i - 1] ?? "")) ||
      tokens.some((token, j) => {
        if (j === i || Math.abs(j - i) > NAMING_SPAN + 1) return false;
        if (PUNCTUATION.test(token) || isQuestionWord(lowers[j] ?? "")) return false;
        if (!ofKind(token, lowers[j] ?? "", wordIndex(j), words)) return false;
        // Before the thing, a short acronym says whose it is ("US tanker", "IDF soldier"), not its name.
        if (j < i && /^\p{Lu}{2,3}$/u.test(token)) return false;
        const between = tokens.slice(Math.min(i, j) + 1, Math.max(i, j));
        const commas = between.filter((t) => t === ",").length;
        return commas <= 1 && !between.some((t) => APART.test(t) || /^[;:—–()]$/.test(t));
      }),
  );
}

const POINTING_BACK = /^(?:the|this|that|these|those)$/;
const DESCRIBING_BEFORE = 2;

/** Whether the word at `i` is led by "the", "this" or "that", with at most a describing word or two between. */
function pointsBack(lowers: readonly string[], i: number): boolean {
  for (let j = i - 1; j >= Math.max(0, i - 1 - DESCRIBING_BEFORE); j--) {
    const lower = lowers[j] ?? "";
    if (POINTING_BACK.test(lower)) return true;
    if (PUNCTUATION.test(lower) || APART.test(lower)) return false;
  }
  return false;
}

/** The word without a plural ending: "seas" and "sea", "states" and "state". */
function singular(lower: string): string {
  return lower.replace(/(?:es|s)$/, "");
}

/** A noun's dictionary form ("men" → "man"), or the word without a plural ending. */
function nounBase(lower: string): string {
  return baseForms(lower, "n")[0] ?? singular(lower);
}

/**
 * A number (not a year) that the question doesn't already give: "in 1915" answers no "how many … in
 * 1915". When the question says what it counts, the number must count it, in words for it: in "One
 * soldier was wounded after gunmen fired", "one" is no answer to "how many gunmen", nor "21 people
 * were killed" to "how many horses were killed".
 */
function hasNewNumber(sentence: string, terms: readonly QuestionTerm[], counted?: QuestionTerm): boolean {
  const countedAt = counted ? countedPositions(sentence, counted) : [];
  for (const found of sentence.matchAll(NUMBER)) {
    const bare = found[0].replace(/[.,]+$/, "");
    if (YEAR.test(bare)) continue;
    const key = termKeys(bare.toLowerCase())[0];
    if (terms.some((t) => t.lower === bare.toLowerCase() || (key !== undefined && t.key === key))) continue;
    const at = found.index ?? 0;
    // "… cars and light trucks, having handled about 847,000 of them": the number counts what came before.
    const ofThem = /^\s+of (?:them|these|those)\b/i.test(sentence.slice(at + found[0].length));
    if (!counted || ofThem || countedAt.some((c) => counts(sentence, at, c))) return true;
  }
  return false;
}

const COUNT_SPAN = 4;

/** Where the sentence names the counted thing (character offsets of its words). */
function countedPositions(sentence: string, counted: QuestionTerm): number[] {
  const isCounted = questionWord([counted]);
  // A synonym or a kind of it counts too: "six Iranian gunboats" for "how many boats" or "how many
  // patrol craft", "3-hour" for "how many hrs".
  const saysCounted = (lower: string) =>
    isCounted(lower) ||
    termKeys(lower).some((key) => (counted.keys.get(key) ?? 0) >= RELATED) ||
    (/^\p{L}{3,}$/u.test(lower) && isKindOf(lower, counted.lower));
  return [...sentence.matchAll(/[\p{L}\p{N}'’]+/gu)]
    .filter((m) => saysCounted(m[0].toLowerCase().replace(/['’]s$/, "")))
    .map((m) => m.index ?? 0);
}

/**
 * Whether the number at `from` counts the word at `to`: it comes first, a few words before, with no
 * comma, verb of being or preposition between ("six Iranian gunboats", "33 trapped men", "dozens of
 * people").
 */
function counts(sentence: string, from: number, to: number): boolean {
  if (from > to) return false;
  const between = sentence.slice(from, to).match(/\d[\d,.]*\d|[\p{L}\p{N}'’]+|[,;:—–()]/gu) ?? [];
  if (between.length - 1 > COUNT_SPAN) return false;
  return !between
    .slice(1)
    .some((t) =>
      /^(?:[,;:—–()]|was|were|is|are|after|before|from|in|at|on|by|with|to|for|and|but)$/i.test(t),
    );
}

/** A clock time or time of day that the question doesn't already give ("Tuesday night"). */
function hasNewClock(sentence: string, terms: readonly QuestionTerm[]): boolean {
  const isQuestionWord = questionWord(terms);
  // "What time on Friday": "Tuesday evening" is another day's time.
  const askedDay = terms.find((t) => WEEKDAY_WORD.test(t.lower))?.lower;
  for (const found of sentence.matchAll(new RegExp(CLOCK.source, "gi"))) {
    if (isQuestionWord(found[0].toLowerCase())) continue;
    const dayBefore = /(\p{L}+)\s*$/u.exec(sentence.slice(0, found.index))?.[1]?.toLowerCase();
    if (askedDay && dayBefore && WEEKDAY_WORD.test(dayBefore) && dayBefore !== askedDay) continue;
    return true;
  }
  return false;
}

const WEEKDAY_WORD = new RegExp(`^(?:${WEEKDAY})$`, "i");

const WHO_KINDS: readonly NounKind[] = ["person", "group"];
const WHERE_KINDS: readonly NounKind[] = ["location"];
const WHEN_KINDS: readonly NounKind[] = ["time"];

/**
 * A capitalised word or acronym ("Katz", "IDF") or a brand with capitals inside ("i24NEWS"); a capital
 * that only starts the sentence is not a name.
 */
function isName(token: string, i: number, tokens: readonly string[]): boolean {
  if (/^\p{Ll}[\p{Ll}\d]*\p{Lu}/u.test(token)) return true;
  if (!/^\p{Lu}(?:\p{Ll}|\p{Lu}{1,4}$)/u.test(token) || NOT_A_NAME.test(token)) return false;
  // "CENTCOM confirms: The unmanned Iranian drone …": a capital after a colon starts a sentence too.
  if (STOP_WORDS.has(token.toLowerCase())) return false;
  return i > 0 || /^\p{Lu}/u.test(tokens[1] ?? "");
}

const PLACE_PREPOSITION = /^(?:in|at|to|from|near|inside|outside|toward|towards|into|onto|across)$/i;
const ARTICLE_OR_ADJECTIVE_SPAN = 2;

function placedAfterPreposition(tokens: readonly string[], i: number): boolean {
  for (let j = i - 1; j >= Math.max(0, i - 1 - ARTICLE_OR_ADJECTIVE_SPAN); j--) {
    if (PLACE_PREPOSITION.test(tokens[j] ?? "")) return true;
  }
  return false;
}

/** Whether a lower-cased word is one of the question's own, in any form ("blown" for "blew"). */
function questionWord(terms: readonly ThingWord[]): (lower: string) => boolean {
  return (lower) => {
    const keys = termKeys(lower);
    return terms.some(
      (t) => t.lower === lower || sameName(t.lower, lower) || keys.some((k) => t.keys.get(k) === 1),
    );
  };
}

const anyName = (token: string, _: string, i: number, tokens: readonly string[]) =>
  isName(token, i, tokens) ? ("name" as const) : undefined;

/** A name that is not a people's adjective: "Iranian gunboats", "Israeli soldiers" name no one. */
const properName = (token: string, lower: string, i: number, tokens: readonly string[]) =>
  isName(token, i, tokens) && !isAdjective(lower) ? ("name" as const) : undefined;

/**
 * A place named after a preposition of place; with the question's terms, one the question doesn't
 * name itself: "in Oman" answers no "where in Oman".
 */
function hasPlaceName(sentence: string, notIn?: readonly QuestionTerm[], within?: string): boolean {
  const isQuestionWord = notIn ? questionWord(notIn) : () => false;
  // "Which city in Oman": not a place WordNet puts elsewhere ("in Istanbul").
  const region = within !== undefined ? placeNamed(within) : undefined;
  for (const [, place] of normaliseForTerms(sentence).matchAll(WHERE)) {
    const lower = (place ?? "").toLowerCase().replace(/['’]s$/, "");
    if (NOT_A_NAME.test(lower) || isQuestionWord(lower)) continue;
    if (region === undefined || !placedElsewhere(lower, region)) return true;
  }
  return false;
}

/** A word WordNet knows as an adjective ("Iranian", "Israeli"). */
function isAdjective(lower: string): boolean {
  return baseForms(lower, "a").length > 0;
}

function isKind(lower: string, kinds: readonly NounKind[]): boolean {
  const found = nounKinds(lower);
  return kinds.some((kind) => found.has(kind));
}

/**
 * A word of the asked-for kind that the question doesn't already hold, standing within `window`
 * words of a word of the question and in the same clause: "Defense Minister Israel Katz", not a name
 * at the far end of a long sentence; in "a representative of Iran, the envoy visited Israel", neither
 * the envoy nor Israel is who represents Iran. `ofKind` tells a name from a common word ("the
 * anarchists"). With an infinite `window`, anywhere in the sentence will do.
 */
function hasNewWord(
  sentence: string,
  terms: readonly QuestionTerm[],
  ofKind: (token: string, lower: string, i: number, tokens: readonly string[]) => "name" | "word" | undefined,
  window = NAME_WINDOW,
): boolean {
  const tokens: string[] = [];
  const clauses: number[] = [];
  let clause = 0;
  for (const [token] of normaliseForTerms(sentence).matchAll(/[\p{L}\p{N}'’]+|[,;:—–]/gu)) {
    if (/^[,;:—–]$/.test(token)) clause++;
    else {
      tokens.push(token);
      clauses.push(clause);
    }
  }
  const lowers = tokens.map((t) => t.toLowerCase().replace(/['’]s$/, ""));
  const isQuestionWord = questionWord(terms);
  // "A representative" answers no "who represents": a word the question already says in its way.
  const saysQuestionWord = (lower: string) => {
    const key = termKeys(lower)[0];
    return key !== undefined && terms.some((t) => (t.keys.get(key) ?? 0) >= RELATED);
  };
  const anchors = lowers.flatMap((lower, i) => (isQuestionWord(lower) ? [i] : []));
  // "U.S. Special Envoy Steve Witkoff" names Witkoff, whom the question names: a run of capitalised
  // words is one name, whose last word says whom ("Harvard University" is new to a question that
  // asks which university).
  const isQuestionName = questionWord(terms.filter((t) => t.name));
  const capitalised = (i: number) => /^\p{Lu}/u.test(tokens[i] ?? "");
  const nameEnd = (i: number) => {
    let end = i;
    while (capitalised(end + 1) && clauses[end + 1] === clauses[i]) end++;
    return end;
  };
  return tokens.some((token, i) => {
    const lower = lowers[i] ?? "";
    const kind = ofKind(token, lower, i, tokens);
    if (!kind || isQuestionWord(lower) || saysQuestionWord(lower)) return false;
    if (kind === "name" && isQuestionName(lowers[nameEnd(i)] ?? "")) return false;
    if (window === Infinity) return true;
    return anchors.some((a) => {
      const near = Math.abs(a - i) <= window;
      // A name set off by a comma right after the question's word is its apposition ("Mossad chief,
      // David Barnea"); further off, past a comma, it belongs to another clause.
      const apposition = kind === "name" && Math.abs(a - i) <= APPOSITION_WINDOW;
      return (near && clauses[a] === clauses[i]) || apposition;
    });
  });
}
