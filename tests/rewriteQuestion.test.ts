import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { extractiveAnswer } from "../src/answer/extractiveAnswer.ts";
import { rewriteQuestion } from "../src/answer/rewriteQuestion.ts";
import { loadArticles } from "../src/corpus/loadArticles.ts";
import { parseEvalFile } from "../src/eval/evalFile.ts";
import { silentLogger } from "../src/log.ts";
import { createRetriever } from "../src/retrieval/createRetriever.ts";
import type { Retriever, Turn } from "../src/types.ts";

const ATTENDEES_ANSWER =
  "According to the story, “The meeting, which lasted over three hours, was described as ‘positive and productive,’ according to i24 News, which added it was also attended by U.S. Ambassador to Israel Mike Huckabee, Defense Minister Israel Katz, Mossad chief David Barnea, IDF Chief of Staff Lt.-Gen. Eyal Zamir” [1].";

const turns = (...pairs: [string, string][]): Turn[] =>
  pairs.flatMap(([q, a]) => [
    { role: "user", content: q },
    { role: "assistant", content: a },
  ]);

describe("rewriteQuestion", () => {
  it("returns a question unchanged without history or when it stands alone", () => {
    expect(rewriteQuestion("Did he attend the meeting?", [])).toBe("Did he attend the meeting?");
    const history = turns(["Who is Israel's defense minister?", ATTENDEES_ANSWER]);
    for (const q of [
      "Who commands the Israeli Air Force?",
      "What did CENTCOM say it shot down?",
      "Who is Netanyahu?",
      "Is there a deal between the US and Iran?",
    ]) {
      expect(rewriteQuestion(q, history)).toBe(q);
    }
  });

  it("puts the person a 'who' answer named next to the question's words in place of 'he'", () => {
    const history = turns(["Who is Israel's defense minister?", ATTENDEES_ANSWER]);
    expect(rewriteQuestion("Did he attend the meeting with Witkoff?", history)).toBe(
      "Did Katz attend the meeting with Witkoff? (Israel defense minister)",
    );
    const mossad = turns(["Who is the head of Mossad?", ATTENDEES_ANSWER]);
    expect(rewriteQuestion("Was he at the meeting?", mossad)).toBe(
      "Was Barnea at the meeting? (head Mossad)",
    );
  });

  it("reads 'his' after a question word with its verb (\"what's his title\") as the person", () => {
    const history = turns(["Who is Israel's defense minister?", ATTENDEES_ANSWER]);
    expect(rewriteQuestion("what's his title", history)).toBe(
      "what's Katz's title (Israel defense minister)",
    );
  });

  it("reads the name from a model's short answer as well", () => {
    const history = turns([
      "Who is Israel's defense minister?",
      "Israel's defense minister is Israel Katz [1].",
    ]);
    expect(rewriteQuestion("What did he say?", history)).toBe("What did Katz say? (Israel defense minister)");
  });

  it("takes the person from the previous question when it was not a 'who' question", () => {
    const history = turns(["What did Trump say about a deal?", "According to the story, …"]);
    expect(rewriteQuestion("Where did he say it?", history)).toBe("Where did Trump say it? (deal)");
    expect(rewriteQuestion("What did Netanyahu tell him?", history)).toBe(
      "What did Netanyahu tell Trump? (deal)",
    );
  });

  it("adds the previous question's terms to 'and …', 'they', 'before?' and bare follow-ups", () => {
    const history = turns(["Where will the talks be held?", "According to the story, …"]);
    expect(rewriteQuestion("And where were they supposed to be before?", history)).toBe(
      "And where were they supposed to be before? (talks held originally previously)",
    );
    expect(rewriteQuestion("Why?", history)).toBe("Why? (talks held)");
    expect(rewriteQuestion("What about Istanbul?", history)).toBe("What about Istanbul? (talks held)");
  });

  it("follows a chain of follow-ups back to its subject", () => {
    const history = turns(
      ["Who is Israel's defense minister?", ATTENDEES_ANSWER],
      ["Did he attend the meeting?", "Yes. According to the story, …"],
    );
    expect(rewriteQuestion("And what did he say?", history)).toContain("Katz");
  });
});

describe("follow-ups on the real story (rewrite → retrieve → extractive answer)", () => {
  let retriever: Retriever;
  beforeAll(async () => {
    const log = silentLogger();
    retriever = await createRetriever({ articles: await loadArticles("data/articles", log), log });
  });

  async function converse(questions: string[], k = 5) {
    const history: Turn[] = [];
    let last = { standalone: "", answer: "", passageTexts: [] as string[] };
    for (const question of questions) {
      const standalone = rewriteQuestion(question, history);
      const passages = await retriever.search(standalone, k);
      const { answer } = extractiveAnswer(standalone, passages);
      history.push({ role: "user", content: question }, { role: "assistant", content: answer });
      last = { standalone, answer, passageTexts: passages.map((p) => p.text) };
    }
    return last;
  }

  it("finds where the talks were supposed to be before", async () => {
    const last = await converse([
      "Where will the talks be held?",
      "And where were they supposed to be before?",
    ]);
    expect(last.passageTexts.some((t) => t.includes("originally scheduled to take place in Istanbul"))).toBe(
      true,
    );
    expect(last.answer).toContain("Istanbul");
  });

  it("answers every follow-up of the development set and of the extra questions", async () => {
    const followups = ["data/eval-questions.json", "tests/fixtures/extra-questions.json"].flatMap(
      (path) => parseEvalFile(readFileSync(path, "utf8"), path).followups,
    );
    expect(followups.map((f) => f.id)).toContain("df01");
    for (const f of followups) {
      const last = await converse(f.turns);
      expect(
        last.passageTexts.some((t) => f.evidence.some((e) => t.includes(e))),
        `${f.id}: ${last.standalone}`,
      ).toBe(true);
      const right = f.answer_any.every((alternatives) =>
        alternatives.some((a) => last.answer.toLowerCase().includes(a.toLowerCase())),
      );
      expect(right, `${f.id}: ${last.answer}`).toBe(true);
    }
  });

  it("answers df01 with a yes, built on the sentence that lists the attendees", async () => {
    const last = await converse([
      "Who is Israel's defense minister?",
      "Did he attend the meeting with Witkoff?",
    ]);
    expect(last.answer).toMatch(/^Yes\. According to the story, “.*Defense Minister Israel Katz/);
  });
});
