import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UserError } from "../src/errors.ts";
import { type EvalFile, loadEvalFile, parseEvalFile } from "../src/eval/evalFile.ts";
import { formatEvalReport, runEval } from "../src/eval/runEval.ts";
import type { AnswerResult, RetrievedPassage, Turn } from "../src/types.ts";

const passage = (id: string, text: string): RetrievedPassage => ({
  id,
  articleId: "a",
  title: "Talks",
  paragraph: Number(id.split("#")[1]),
  text,
  score: 1,
});

const AMBASSADOR = passage("a#3", "It was attended by U.S. Ambassador to Israel Mike Huckabee.");
const DAY = passage("a#1", "The talks are set to commence in Oman on Friday.");
const OTHER = passage("a#9", "Tensions remain high.");

const file: EvalFile = {
  questions: [
    {
      id: "q1",
      kind: "answerable",
      q: "Who is the ambassador?",
      evidence: ["Mike Huckabee"],
      answer_any: [["Huckabee"]],
    },
    {
      id: "q2",
      kind: "answerable",
      q: "When do the talks begin?",
      evidence: ["on Friday"],
      answer_any: [["Friday"]],
    },
    {
      id: "q3",
      kind: "unanswerable",
      q: "How many centrifuges?",
      evidence: [],
      answer_any: [["doesn't say"]],
    },
    {
      id: "q4",
      kind: "unanswerable",
      q: "What is the weather?",
      evidence: [],
      answer_any: [["doesn't say"]],
    },
    {
      id: "q5",
      kind: "answerable",
      q: "Where are the talks?",
      evidence: ["Oman"],
      answer_any: [["Oman"]],
    },
    { id: "q6", kind: "unanswerable", q: "Who paid?", evidence: [] },
  ],
  followups: [
    {
      id: "f1",
      turns: ["Who is the ambassador?", "Did he attend?"],
      evidence: ["Huckabee"],
      answer_any: [["yes"]],
    },
  ],
};

// A fake pipeline with known behaviour: q1 right with recall@1, q2 wrong with its evidence at rank 2,
// q3 refused with a typographic apostrophe, q4 answered (a false answer) with a marker that names no
// citation, q5 falsely refused though its evidence was retrieved first, q6 given the closest passage.
const retrieved: Record<string, RetrievedPassage[]> = {
  "Who is the ambassador?": [AMBASSADOR, OTHER],
  "When do the talks begin?": [OTHER, DAY],
  "Where are the talks?": [DAY],
};

function result(
  question: string,
  answer: string,
  passages: RetrievedPassage[],
  cited: RetrievedPassage[] = [],
  outcome: AnswerResult["outcome"] = cited.length === 0 ? "doesnt_say" : "answered",
) {
  const value: AnswerResult = {
    question,
    standalone: question,
    answer,
    citations: cited.map((p, i) => ({
      n: i + 1,
      passageId: p.id,
      title: p.title,
      paragraph: p.paragraph,
      quote: p.text.slice(0, 20),
    })),
    mode: "extractive",
    outcome,
    passages,
  };
  return value;
}

const histories: Turn[][] = [];
async function ask(question: string, history: Turn[]): Promise<AnswerResult> {
  histories.push(history);
  switch (question) {
    case "Who is the ambassador?":
      return result(question, "It is Mike Huckabee [1].", [AMBASSADOR], [AMBASSADOR]);
    case "When do the talks begin?":
      return result(question, "Tensions remain high [1].", [OTHER, DAY], [OTHER]);
    case "How many centrifuges?":
      return result(question, "The story doesn’t say how many.", [OTHER]);
    case "What is the weather?":
      return result(question, "It is sunny [2].", [OTHER], [], "answered");
    case "Where are the talks?":
      return result(question, "The story doesn't say where the talks are.", [DAY]);
    case "Who paid?":
      return result(
        question,
        "The story doesn't answer that directly. The closest it comes: “Tensions remain high” [1].",
        [OTHER],
        [OTHER],
        "closest",
      );
    case "Did he attend?":
      return { ...result(question, "Yes, he did [1].", [AMBASSADOR], [AMBASSADOR]), mode: "llm" };
    default:
      throw new Error(`unexpected question ${question}`);
  }
}
const retrieve = async (q: string, k: number) => (retrieved[q] ?? []).slice(0, k);

describe("runEval", () => {
  it("measures recall, answers right, false refusals, refusals, closest passages, follow-ups and citation problems", async () => {
    histories.length = 0;
    const report = await runEval(ask, retrieve, file);
    const third = 1 / 3;
    expect(report).toMatchObject({
      mode: "mixed",
      answerable: 3,
      unanswerable: 3,
      followups: 1,
      retrievalQuestions: 3,
      recallAt1: 2 / 3,
      recallAt5: 1,
      accuracy: third,
      falseRefusalRate: third,
      answerableClosestRate: 0,
      // Unanswerable questions are judged by their outcome, whatever their answer strings.
      doesntSayRate: third,
      unanswerableClosestRate: third,
      falseAnswerRate: third,
      followupAccuracy: 1,
      citationProblems: 1,
    });
    expect(report.failures.map((f) => `${f.id} ${f.why}`)).toEqual([
      'q2 answer lacks one of: "Friday"',
      "q4 citation: marker [2] has no source",
      "q4 not refused (answered)",
      'q5 answer lacks one of: "Oman"',
      "q6 not refused (closest)",
    ]);
    // The follow-up is asked with the conversation so far.
    expect(histories.at(-1)).toEqual([
      { role: "user", content: "Who is the ambassador?" },
      { role: "assistant", content: "It is Mike Huckabee [1]." },
    ]);
  });

  it("reports a quote that is not verbatim, a retrieval miss and a failing ask without stopping", async () => {
    const bad: EvalFile = {
      questions: [
        {
          id: "b1",
          kind: "answerable",
          q: "Who is the ambassador?",
          evidence: ["Katz"],
          answer_any: [["Huckabee"]],
        },
        { id: "b2", kind: "answerable", q: "Boom?", evidence: [], answer_any: [["x"]] },
      ],
      followups: [],
    };
    const report = await runEval(
      async (question, history) => {
        if (question === "Boom?") throw new Error("model down");
        const answer = await ask(question, history);
        return { ...answer, citations: answer.citations.map((c) => ({ ...c, quote: "made up" })) };
      },
      retrieve,
      bad,
    );
    expect(report.failures.map((f) => `${f.id} ${f.why}`)).toEqual([
      "b1 retrieval: no evidence in the top 5",
      "b1 citation: a quote is not verbatim from its passage",
      "b2 error: model down",
    ]);
    expect(report.recallAt5).toBe(0);
    expect(report.accuracy).toBe(0.5);
    expect(report.doesntSayRate).toBeNull();
    expect(report.followupAccuracy).toBeNull();
    expect(report.mode).toBe("extractive");
  });

  it("judges an unanswerable question without answer strings by whether it was refused", async () => {
    const report = await runEval(ask, retrieve, {
      questions: [
        { id: "u1", kind: "unanswerable", q: "How many centrifuges?", evidence: [] },
        { id: "u2", kind: "unanswerable", q: "What is the weather?", evidence: [] },
      ],
      followups: [],
    });
    expect(report.doesntSayRate).toBe(0.5);
    expect(report.failures.filter((f) => f.why.startsWith("not refused")).map((f) => f.id)).toEqual(["u2"]);
  });

  it("formats the report as a table with its failures", async () => {
    const text = formatEvalReport(await runEval(ask, retrieve, file));
    expect(text).toContain("storybot eval (mode: mixed)");
    expect(text).toMatch(/retrieval recall@1\s+66\.7 %\s+3/);
    expect(text).toMatch(/retrieval recall@5\s+100\.0 %\s+3/);
    expect(text).toMatch(/answers right\s+33\.3 %\s+3/);
    expect(text).toMatch(/false refusals\s+33\.3 %\s+3/);
    expect(text).toMatch(/unanswerable refused\s+33\.3 %\s+3/);
    expect(text).toMatch(/closest passage\s+33\.3 %\s+3/);
    expect(text).toMatch(/answered \(false\)\s+33\.3 %\s+3/);
    expect(text).toMatch(/follow-up accuracy\s+100\.0 %\s+1/);
    expect(text).toContain("failures (5):");
    expect(text).toContain('q2  When do the talks begin?\n      answer lacks one of: "Friday"');
  });
});

describe("loadEvalFile", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "storybot-eval-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("loads the development set", async () => {
    const dev = await loadEvalFile("data/eval-questions.json");
    expect(dev.questions.length).toBeGreaterThan(0);
    expect(dev.followups.map((f) => f.id)).toContain("df01");
  });

  it("says in one line what is wrong with a file", async () => {
    const write = async (name: string, text: string) => {
      const path = join(dir, name);
      await writeFile(path, text);
      return path;
    };
    const cases: [string, RegExp][] = [
      [join(dir, "missing.json"), /^Cannot read the eval file .*missing\.json \(ENOENT\)\.$/],
      [await write("broken.json", "{ nope"), /^The eval file .*broken\.json is not valid JSON: /],
      [
        await write(
          "kind.json",
          JSON.stringify({ questions: [{ id: "a", kind: "maybe", q: "?", answer_any: [["x"]] }] }),
        ),
        /^The eval file .*kind\.json is invalid: questions\.0\.kind: /,
      ],
      [
        await write("empty.json", JSON.stringify({ questions: [] })),
        /is invalid: the file has no questions\.$/,
      ],
      [
        await write(
          "dupes.json",
          JSON.stringify({
            questions: [
              { id: "a", kind: "answerable", q: "?", answer_any: [["x"]] },
              { id: "a", kind: "answerable", q: "?", answer_any: [["x"]] },
            ],
          }),
        ),
        /is invalid: question ids must be unique\.$/,
      ],
      [
        await write(
          "noanswers.json",
          JSON.stringify({ questions: [{ id: "a", kind: "answerable", q: "?" }] }),
        ),
        /is invalid: questions\.0\.answer_any: an answerable question needs answer_any\.$/,
      ],
    ];
    for (const [path, message] of cases) {
      const error = await loadEvalFile(path).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).not.toContain("\n");
    }
  });

  it("fills in optional parts", () => {
    const parsed = parseEvalFile(
      JSON.stringify({ followups: [{ id: "f", turns: ["a", "b"], answer_any: [["y"]] }] }),
      "x",
    );
    expect(parsed).toEqual({
      questions: [],
      followups: [{ id: "f", turns: ["a", "b"], evidence: [], answer_any: [["y"]] }],
    });
  });
});
