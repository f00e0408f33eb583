// Questions are checked before anything else runs, so bad input costs no retrieval and no LLM call,
// and the user gets one line that says what to fix.
import { UsageError, UserError } from "../errors.ts";

/** Longest question accepted, in characters (code points) after normalisation. */
export const MAX_QUESTION_CHARS = 1000;

// Format characters (zero-width space/joiners, BOM, bidi controls, soft hyphen) and control
// characters other than whitespace are invisible, as are the Hangul fillers and the blank braille
// pattern often used to post "empty" messages: none may make an empty question look full.
// Tabs and line breaks are controls too, but they separate words: they become spaces instead.
const INVISIBLE = /(?![\t\n\v\f\r])[\p{Cf}\p{Cc}\u115F\u1160\u3164\uFFA0\u2800]/gu;
const WHITESPACE = /[\s\p{Zs}\p{Zl}\p{Zp}]+/gu;

/** Normalises a question (NFKC, invisible characters removed, whitespace collapsed) or throws UserError. */
export function validateQuestion(raw: string): string {
  const question = raw.normalize("NFKC").replace(INVISIBLE, "").replace(WHITESPACE, " ").trim();
  if (question === "") throw new UsageError("Please ask a question: the question is empty.");
  const length = [...question].length;
  if (length > MAX_QUESTION_CHARS) {
    throw new UserError(
      `The question is too long (${length.toLocaleString("en")} characters); please keep it to ${MAX_QUESTION_CHARS.toLocaleString("en")} or fewer.`,
    );
  }
  return question;
}
