// Whether a sentence holds the kind of fact a question asks for: a name next to the question's words
// for "who", a date or weekday for "when", a place for "where", a number for "how many", a duration
// for "how long". A sentence without it cannot answer, however many words it shares with the question.
import { sameName } from "./matchTerms.ts";
import { normaliseForTerms, type QuestionTerm, type QuestionType, termKeys } from "./questionTerms.ts";

const WEEKDAY = "monday|tuesday|wednesday|thursday|friday|saturday|sunday";
const MONTH = "January|February|March|April|May|June|July|August|September|October|November|December";
const WHEN = new RegExp(
  `\\b(?:(?:${WEEKDAY}|yesterday|today|tomorrow|tonight|morning|afternoon|evening|night|midnight|noon|dawn|ago|1\\d{3}|20\\d{2}|\\d{1,4}s|\\d{1,2}(?:st|nd|rd|th) century|(?:that|same|next|previous|following) (?:day|week|month|year))\\b|\\d{1,2}(?::\\d{2})?\\s?(?:a\\.m\\.|p\\.m\\.|am\\b|pm\\b))`,
  "i",
);
// Month names are capitalised ("May", not the "may" of "may be").
const MONTHS = new RegExp(`\\b(?:${MONTH})\\b`);
const NUMBER_WORD =
  "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|dozens?|half";
// Words that answer "how many" without a number ("several", "none").
const QUANTIFIER = "several|a few|dozens|scores|none|nobody|no one";
// A digit inside a name ("i24", "F-35", "Shahed-139") is not a quantity.
const NUMBER = new RegExp(`(?<![\\p{L}\\d-])\\d[\\d,.]*|\\b(?:${NUMBER_WORD}|${QUANTIFIER})\\b`, "giu");
// A year alone ("in 1915") dates something; it does not count or measure it.
const YEAR = /^(?:1\d{3}|20\d{2})$/;
const DURATION = new RegExp(
  `(?:\\d+|\\b(?:${NUMBER_WORD}|several|a few|many))[\\s-]*(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\\b|\\bfor (?:hours|days|weeks|months|years)\\b`,
  "i",
);
const WHERE = /\b(?:in|at|to|from|near|off|inside|outside|towards?|across|into)\s+(?:the\s+)?\p{Lu}/u;
const NOT_A_NAME = new RegExp(`^(?:${WEEKDAY}|${MONTH})$`, "i");
/** How near (in words) a "who" answer's name must stand to a word of the question. */
const NAME_WINDOW = 3;

// What a measure is given in: "how high" is answered by "25 feet", not by "six workers".
const UNIT =
  /^(?:feet|foot|ft|inch(?:es)?|yards?|miles?|mph|knots?|metres?|meters?|m|cm|mm|km|kilomet(?:re|er)s?|centimet(?:re|er)s?|millimet(?:re|er)s?|tons?|tonnes?|pounds?|lbs?|kg|kilograms?|grams?|ounces?|gallons?|litres?|liters?|barrels?|degrees?|°[cf]?|percent|per|cent|dollars?|euros?|years?|storeys?|stories|floors?|acres?|hectares?)$/i;
const CURRENCY_OR_PERCENT = /[$£€¥]\s?\d|\d\s?(?:%|°)/;

export function hasAnswerType(
  type: QuestionType,
  sentence: string,
  terms: readonly QuestionTerm[],
  measure = false,
): boolean {
  if (measure) return hasMeasure(sentence);
  switch (type) {
    case "who":
      return hasNewName(sentence, terms);
    case "when":
      return WHEN.test(sentence) || MONTHS.test(sentence);
    case "where":
      return WHERE.test(sentence);
    case "howMany":
      return hasNewNumber(sentence, terms);
    case "howLong":
      return DURATION.test(sentence) || hasNewNumber(sentence, terms);
    default:
      return true;
  }
}

/** A number with a unit ("25 feet", "$628,000", "35 miles per hour"). */
function hasMeasure(sentence: string): boolean {
  if (CURRENCY_OR_PERCENT.test(sentence)) return true;
  for (const found of sentence.matchAll(NUMBER)) {
    const after = sentence
      .slice((found.index ?? 0) + found[0].length)
      .match(/^[\s-]*(?:million\s+|billion\s+)?([\p{L}°]+)/u);
    if (after?.[1] && UNIT.test(after[1])) return true;
  }
  return false;
}

/** A number (not a year) that the question doesn't already give: "in 1915" answers no "how many … in 1915". */
function hasNewNumber(sentence: string, terms: readonly QuestionTerm[]): boolean {
  for (const [found] of sentence.matchAll(NUMBER)) {
    const bare = found.replace(/[.,]+$/, "");
    if (YEAR.test(bare)) continue;
    const key = termKeys(bare.toLowerCase())[0];
    if (!terms.some((t) => t.lower === bare.toLowerCase() || (key !== undefined && t.key === key)))
      return true;
  }
  return false;
}

/**
 * A capitalised word (or acronym) that the question doesn't already name, standing next to a word of
 * the question: "Defense Minister Israel Katz", not a name at the far end of a long sentence.
 */
function hasNewName(sentence: string, terms: readonly QuestionTerm[]): boolean {
  const tokens = normaliseForTerms(sentence).match(/[\p{L}\p{N}'’]+/gu) ?? [];
  const lowers = tokens.map((t) => t.toLowerCase().replace(/['’]s$/, ""));
  const isQuestionWord = (lower: string) =>
    terms.some((t) => t.lower === lower || sameName(t.lower, lower) || termKeys(lower)[0] === t.key);
  const anchors = lowers.flatMap((lower, i) => (isQuestionWord(lower) ? [i] : []));
  return tokens.some((token, i) => {
    const lower = lowers[i] ?? "";
    if (!/^\p{Lu}(?:\p{Ll}|\p{Lu}{1,4}$)/u.test(token) || NOT_A_NAME.test(token)) return false;
    // A capital that only starts the sentence is not a name unless another capital follows.
    if (i === 0 && !/^\p{Lu}/u.test(tokens[1] ?? "")) return false;
    if (isQuestionWord(lower)) return false;
    return anchors.some((a) => Math.abs(a - i) <= NAME_WINDOW);
  });
}
