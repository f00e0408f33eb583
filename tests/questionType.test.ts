import { describe, expect, it } from "vitest";
import { extractiveAnswer } from "../src/answer/extractiveAnswer.ts";
import { analyseQuestion } from "../src/answer/questionTerms.ts";

const passage = (text: string) => ({
  id: "story#3",
  articleId: "story",
  paragraph: 3,
  title: "Netanyahu meets Witkoff",
  url: "https://example.com/story",
  publishedAt: "2026-02-03T00:00:00Z",
  text,
  score: 1,
});

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
    // "Specific", "exact" only insist on the noun after them.
    expect(analyseQuestion("Which specific country would take the uranium?")).toMatchObject({
      type: "where",
      typeNoun: "country",
    });
    expect(analyseQuestion("What exact proxy groups does Iran fund?")).toMatchObject({ type: "who" });
  });

  it("asks where for a natural place or a WordNet phrase for one, and what a place asked for is in", () => {
    const water = analyseQuestion("In what body of water was the carrier operating?");
    expect(water).toMatchObject({ type: "where", typeNoun: "body_of_water" });
    expect(water.terms.map((t) => t.lower)).toEqual(["carrier", "operating"]);
    expect(analyseQuestion("Which river flows through the city?")).toMatchObject({ type: "where" });
    // A hyphenated describing word says which: "which anti-Israel proxy groups" asks for proxies.
    expect(analyseQuestion("Which anti-Israel proxy groups does Iran fund?")).toMatchObject({
      type: "who",
      typeNoun: "proxy",
    });
    // "What's the date on the post" asks when; "what kind of targets" asks for no kind of answer.
    expect(analyseQuestion("What's the date on the post?")).toMatchObject({ type: "when", typeNoun: "date" });
    expect(analyseQuestion("what kind of targets would israel hit")).toMatchObject({ type: "other" });
    // A noun before a noun of place says which kind: "gulf states" asks for states.
    expect(analyseQuestion("which gulf states were part of the talks")).toMatchObject({
      type: "where",
      typeNoun: "states",
    });
    expect(analyseQuestion("Which city in Oman hosts the talks?")).toMatchObject({ within: "oman" });
    expect(analyseQuestion("In which Omani city are the talks?")).toMatchObject({ within: "omani" });
    // "What time of day" keeps its clock-time reading; "what must" is no kind of answer.
    expect(analyseQuestion("At what time of day did it burst?")).toMatchObject({ typeNoun: "time" });
    expect(analyseQuestion("What must happen before Gaza is rebuilt?")).toMatchObject({ type: "other" });
    // "How many" counts the noun run after it, up to a general noun: no "lost" in "people lost their lives".
    expect(analyseQuestion("How many USS Nantucket cadets were aboard?").counted?.lower).toBe("cadets");
    expect(analyseQuestion("How many people lost their lives?").counted).toBeUndefined();
    // "To host" is a verb: no host (a person) the story would have to mention.
    const host = analyseQuestion("Which city was first picked to host the negotiations?");
    expect(host.terms.find((t) => t.lower === "host")?.thing).toBe(false);
    expect(
      analyseQuestion("Who was the host of the talks?").terms.find((t) => t.lower === "host")?.thing,
    ).toBe(true);
  });

  it("takes a thing's own word written as a name for its name, in any number ('Panama City' for 'which two cities')", () => {
    const railroad = passage("The Panama Railroad, completed in 1855, ran between Colón and Panama City.");
    const cities = extractiveAnswer("Between which two cities did the Panama Railroad run?", [railroad]);
    expect(cities.outcome).not.toBe("doesnt_say");
    expect(cities.answer).toContain("Colón and Panama City");
  });

  it("takes a thing's own word written as a name for its name ('the Arabian Sea')", () => {
    const sea = passage("The drone approached the USS Abraham Lincoln in the Arabian Sea on Tuesday.");
    const result = extractiveAnswer("What sea was the USS Abraham Lincoln in?", [sea]);
    expect(result.outcome).toBe("answered");
    expect(result.answer).toContain("Arabian Sea");
  });

  it("turns the question into the clause after 'The story doesn't say'", () => {
    const clauses: [question: string, clause: string][] = [
      ["who is bibi", "who bibi is"],
      ["Who was behind the shooting?", "who was behind the shooting"],
      ["Which Hamas commander was behind the shooting?", "which Hamas commander was behind the shooting"],
      ["What is the population of Oman?", "what the population of Oman is"],
      ["Which city was the meeting held in?", "which city the meeting was held in"],
      [
        "What time on Friday are the talks scheduled to begin?",
        "what time on Friday the talks are scheduled to begin",
      ],
      ["what city in oman are the talks being held in", "what city in oman the talks are being held in"],
      ["which city in oman are the talks in", "which city in oman the talks are in"],
      [
        "Where were the talks originally scheduled to take place?",
        "where the talks were originally scheduled to take place",
      ],
      ["Who was the soldier that was wounded?", "who the soldier that was wounded was"],
      ["How big was the crackdown?", "how big the crackdown was"],
    ];
    for (const [question, clause] of clauses) {
      expect(extractiveAnswer(question, []).answer).toBe(`The story doesn't say ${clause}.`);
    }
  });
});
