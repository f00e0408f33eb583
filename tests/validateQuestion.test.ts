import { describe, expect, it } from "vitest";
import { MAX_QUESTION_CHARS, validateQuestion } from "../src/answer/validateQuestion.ts";
import { UserError } from "../src/errors.ts";

function errorOf(raw: string): Error {
  try {
    validateQuestion(raw);
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected validateQuestion to throw");
}

describe("validateQuestion", () => {
  it("normalises: NFKC, invisible characters gone, whitespace collapsed", () => {
    expect(validateQuestion("  Who is\tthe\n\nUS  ambassador?  ")).toBe("Who is the US ambassador?");
    expect(validateQuestion("Who\u200b is\u200d the am\u00adbassador?\ufeff")).toBe("Who is the ambassador?");
    expect(validateQuestion("Ｗｈｏ ｉｓ ｉｔ？")).toBe("Who is it?");
    expect(validateQuestion("When\u0007 did\u2028it start?")).toBe("When did it start?");
  });

  it("refuses empty, blank and invisible-only questions with one clear line", () => {
    for (const raw of ["", "   ", "\n\t", "\u200b\u200c\u200d\ufeff", "\u3164\u2800", " \u00a0\u2003 "]) {
      const error = errorOf(raw);
      expect(error).toBeInstanceOf(UserError);
      expect(error.message).toBe("Please ask a question: the question is empty.");
    }
  });

  it(`accepts ${MAX_QUESTION_CHARS} characters and refuses more, counting what is left after normalising`, () => {
    expect(MAX_QUESTION_CHARS).toBe(1000);
    expect(validateQuestion("a".repeat(MAX_QUESTION_CHARS))).toHaveLength(MAX_QUESTION_CHARS);
    // Emoji count as one character each; padding and invisible characters don't count.
    expect(validateQuestion(`${"🚨".repeat(MAX_QUESTION_CHARS)}   \u200b`)).toHaveLength(
      2 * MAX_QUESTION_CHARS,
    );
    const error = errorOf("a".repeat(MAX_QUESTION_CHARS + 1));
    expect(error).toBeInstanceOf(UserError);
    expect(error.message).toBe(
      "The question is too long (1,001 characters); please keep it to 1,000 or fewer.",
    );
    expect(error.message).not.toContain("\n");
  });
});
