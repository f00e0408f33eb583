import { describe, expect, it } from "vitest";
import { extractiveAnswer } from "../src/answer/extractiveAnswer.ts";
import { analyseQuestion } from "../src/answer/questionTerms.ts";

describe("what a question asks for", () => {
  it("reads the noun after a name in 'which US state', 'which Israeli official'", () => {
    expect(analyseQuestion("Which US state was Huckabee governor of?")).toMatchObject({ typeNoun: "state" });
    expect(analyseQuestion("Which Israeli official went to Oman?")).toMatchObject({
      type: "who",
      typeNoun: "official",
    });
    expect(analyseQuestion("Which city hosted the talks?")).toMatchObject({
      type: "where",
      typeNoun: "city",
    });
  });

  it("turns the question into the clause after 'The story doesn't say'", () => {
    const refusal = (q: string) => extractiveAnswer(q, []).answer;
    expect(refusal("who is bibi")).toBe("The story doesn't say who bibi is.");
    expect(refusal("Who was behind the shooting?")).toBe(
      "The story doesn't say who was behind the shooting.",
    );
    expect(refusal("Which Hamas commander was behind the shooting?")).toBe(
      "The story doesn't say which Hamas commander was behind the shooting.",
    );
    expect(refusal("What is the population of Oman?")).toBe(
      "The story doesn't say what the population of Oman is.",
    );
    expect(refusal("Which city was the meeting held in?")).toBe(
      "The story doesn't say which city the meeting was held in.",
    );
    expect(refusal("Where were the talks originally scheduled to take place?")).toBe(
      "The story doesn't say where the talks were originally scheduled to take place.",
    );
  });
});
