// Whether a sentence holds the kind of fact a question asks for: a name next to the question's words
// for "who", a date or weekday for "when", a place for "where", a number for "how many", a duration
// for "how long". A sentence without it cannot answer, however many words it shares with the question.
import { sameName } from "./matchTerms.ts";
import { normaliseForTerms, type QuestionTerm, type QuestionType, termKeys } from "./questionTerms.ts";

const WEEKDAY = "monday|tuesday|wednesday|thursday|friday|saturday|sunday";
const MONTH = "january|february|march|april|may|june|july|august|september|october|november|december";
const WHEN = new RegExp(
  `\\b(?:${WEEKDAY}|${MONTH}|yesterday|today|tomorrow|tonight|morning|afternoon|evening|night|ago|(?:1[89]|20)\\d{2}|\\d{1,2}(?::\\d{2})?\\s?(?:a\\.m\\.|p\\.m\\.|am|pm)|(?:that|same|next|previous|following) (?:day|week|month|year))\\b`,
  "i",
);
const NUMBER_WORD =
  "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundreds?|thousands?|millions?|billions?|dozens?|half";
// A digit inside a name ("i24", "F-35", "Shahed-139") is not a quantity.
const NUMBER = new RegExp(`(?<![\\p{L}\\d-])\\d|\\b(?:${NUMBER_WORD})\\b`, "iu");
const DURATION = new RegExp(
  `(?:\\d+|\\b(?:${NUMBER_WORD}|several|a few|many))[\\s-]*(?:seconds?|minutes?|hours?|days?|weeks?|months?|years?)\\b|\\bfor (?:hours|days|weeks|months|years)\\b`,
  "i",
);
const WHERE = /\b(?:in|at|to|from|near|off|inside|outside|towards?|across|into)\s+(?:the\s+)?\p{Lu}/u;
const NOT_A_NAME = new RegExp(`^(?:${WEEKDAY}|${MONTH})$`, "i");
/** How near (in words) a "who" answer's name must stand to a word of the question. */
const NAME_WINDOW = 3;

export function hasAnswerType(type: QuestionType, sentence: string, terms: readonly QuestionTerm[]): boolean {
  switch (type) {
    case "who":
      return hasNewName(sentence, terms);
    case "when":
      return WHEN.test(sentence);
    case "where":
      return WHERE.test(sentence);
    case "howMany":
      return NUMBER.test(sentence);
    case "howLong":
      return DURATION.test(sentence);
    default:
      return true;
  }
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
