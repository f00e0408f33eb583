// `storybot eval`: runs a question file through retrieval and the full answer pipeline and measures
// what DESIGN.md promises: recall@1/@5, answers right, false refusals ("doesn't say" to a question the
// story answers), the refusal rate for questions it cannot answer (judged by the outcome), how often
// the closest passage is given instead, follow-ups, and that every shown marker resolves and every
// quote is verbatim.
import { quotesAreVerbatim } from "../citations/checkCitations.ts";
import { citedNumbers } from "../citations/markers.ts";
import type { AnswerMode, AnswerResult, RetrievedPassage, Turn } from "../types.ts";
import type { EvalFile } from "./evalFile.ts";

export type AskFn = (question: string, history: Turn[]) => Promise<AnswerResult>;
export type RetrieveFn = (q: string, k: number) => Promise<RetrievedPassage[]>;

export interface EvalFailure {
  id: string;
  question: string;
  answer: string;
  why: string;
}

export interface EvalReport {
  /** The answer mode every answer came in, or "mixed" (e.g. LLM answers with extractive fallbacks). */
  mode: AnswerMode | "mixed";
  answerable: number;
  unanswerable: number;
  followups: number;
  /** Answerable questions that name evidence: the denominator of the recall figures. */
  retrievalQuestions: number;
  /** Shares in 0..1; null when there was nothing to measure. */
  recallAt1: number | null;
  recallAt5: number | null;
  /** Answerable questions whose answer holds the expected strings (any outcome). */
  accuracy: number | null;
  /** Answerable questions answered "doesn't say": the worst defect. */
  falseRefusalRate: number | null;
  /** Answerable questions given the closest passage. */
  answerableClosestRate: number | null;
  /** Unanswerable questions answered "doesn't say". */
  doesntSayRate: number | null;
  /** Unanswerable questions given the closest passage, with the story's not answering said: not a false answer. */
  unanswerableClosestRate: number | null;
  /** Unanswerable questions answered as if the story did: false answers. */
  falseAnswerRate: number | null;
  followupAccuracy: number | null;
  /** Answers with a marker that names no citation or a quote that is not verbatim (must be 0). */
  citationProblems: number;
  failures: EvalFailure[];
}

const RECALL_K = 5;

export async function runEval(ask: AskFn, retrieve: RetrieveFn, file: EvalFile): Promise<EvalReport> {
  const failures: EvalFailure[] = [];
  const modes = new Set<AnswerMode>();
  let citationProblems = 0;
  const tally = {
    hit1: 0,
    hit5: 0,
    retrieval: 0,
    right: 0,
    falseRefusals: 0,
    answerableClosest: 0,
    doesntSay: 0,
    unanswerableClosest: 0,
    falseAnswers: 0,
    followupsRight: 0,
  };

  // One answer, judged: its errors and citation problems become failures, never an abort.
  const judge = async (id: string, question: string, history: Turn[], answerAny: string[][] | undefined) => {
    let result: AnswerResult;
    try {
      result = await ask(question, history);
    } catch (error) {
      failures.push({ id, question, answer: "", why: `error: ${(error as Error).message}` });
      return undefined;
    }
    modes.add(result.mode);
    const problem = citationProblem(result);
    if (problem) {
      citationProblems++;
      failures.push({ id, question, answer: result.answer, why: problem });
    }
    if (answerAny === undefined) {
      // An unanswerable question: right when the outcome is "doesn't say".
      const refused = result.outcome === "doesnt_say";
      if (!refused)
        failures.push({ id, question, answer: result.answer, why: `not refused (${result.outcome})` });
      return { result, right: refused };
    }
    const missing = answerAny.find((alternatives) => !alternatives.some((a) => contains(result.answer, a)));
    if (missing)
      failures.push({ id, question, answer: result.answer, why: `answer lacks one of: ${quoted(missing)}` });
    return { result, right: missing === undefined };
  };

  for (const q of file.questions) {
    if (q.kind === "answerable" && q.evidence.length > 0) {
      tally.retrieval++;
      const passages = await retrieve(q.q, RECALL_K);
      const rank = passages.findIndex((p) => q.evidence.some((e) => contains(p.text, e)));
      if (rank === 0) tally.hit1++;
      if (rank >= 0) tally.hit5++;
      else
        failures.push({
          id: q.id,
          question: q.q,
          answer: "",
          why: `retrieval: no evidence in the top ${RECALL_K}`,
        });
    }
    // Unanswerable questions are judged by their outcome, whatever answer strings the file gives.
    const judged = await judge(q.id, q.q, [], q.kind === "answerable" ? q.answer_any : undefined);
    const outcome = judged?.result.outcome;
    if (q.kind === "answerable") {
      if (judged?.right) tally.right++;
      if (outcome === "doesnt_say") tally.falseRefusals++;
      if (outcome === "closest") tally.answerableClosest++;
    } else {
      if (outcome === "doesnt_say") tally.doesntSay++;
      if (outcome === "closest") tally.unanswerableClosest++;
      if (outcome === "answered") tally.falseAnswers++;
    }
  }

  for (const f of file.followups) {
    const history: Turn[] = [];
    const earlier = f.turns.slice(0, -1);
    const last = f.turns.at(-1) ?? "";
    let broken = false;
    for (const turn of earlier) {
      try {
        const result = await ask(turn, [...history]);
        modes.add(result.mode);
        history.push({ role: "user", content: turn }, { role: "assistant", content: result.answer });
      } catch (error) {
        failures.push({ id: f.id, question: turn, answer: "", why: `error: ${(error as Error).message}` });
        broken = true;
        break;
      }
    }
    if (broken) continue;
    const judged = await judge(f.id, last, history, f.answer_any);
    if (judged?.right) tally.followupsRight++;
    if (judged && !judged.right && f.evidence.length > 0) {
      const found = judged.result.passages.some((p) => f.evidence.some((e) => contains(p.text, e)));
      if (!found) {
        failures.push({
          id: f.id,
          question: last,
          answer: judged.result.answer,
          why: `retrieval: no evidence among the passages for “${judged.result.standalone}”`,
        });
      }
    }
  }

  const answerable = file.questions.filter((q) => q.kind === "answerable").length;
  const unanswerable = file.questions.length - answerable;
  return {
    mode: modes.size === 1 ? ([...modes][0] ?? "mixed") : "mixed",
    answerable,
    unanswerable,
    followups: file.followups.length,
    retrievalQuestions: tally.retrieval,
    recallAt1: share(tally.hit1, tally.retrieval),
    recallAt5: share(tally.hit5, tally.retrieval),
    accuracy: share(tally.right, answerable),
    falseRefusalRate: share(tally.falseRefusals, answerable),
    answerableClosestRate: share(tally.answerableClosest, answerable),
    doesntSayRate: share(tally.doesntSay, unanswerable),
    unanswerableClosestRate: share(tally.unanswerableClosest, unanswerable),
    falseAnswerRate: share(tally.falseAnswers, unanswerable),
    followupAccuracy: share(tally.followupsRight, file.followups.length),
    citationProblems,
    failures,
  };
}

/** What is wrong with an answer's citations, or undefined when every marker resolves and every quote is verbatim. */
function citationProblem(result: AnswerResult): string | undefined {
  const numbers = new Set(result.citations.map((c) => c.n));
  const unresolved = citedNumbers(result.answer).filter((n) => !numbers.has(n));
  if (unresolved.length > 0) return `citation: marker [${unresolved[0]}] has no source`;
  if (!quotesAreVerbatim(result.citations, result.passages))
    return "citation: a quote is not verbatim from its passage";
  return undefined;
}

/** Case-insensitive, and blind to the typographic apostrophe ("doesn’t" contains "doesn't"). */
function contains(text: string, part: string): boolean {
  const fold = (s: string) => s.toLowerCase().replaceAll("’", "'");
  return fold(text).includes(fold(part));
}

function quoted(strings: readonly string[]): string {
  return strings.map((s) => `"${s}"`).join(", ");
}

function share(count: number, of: number): number | null {
  return of > 0 ? count / of : null;
}

const percent = (value: number | null) => (value === null ? "n/a" : `${(value * 100).toFixed(1)} %`);

/** The report as a small text table, with the failures listed under it. */
export function formatEvalReport(report: EvalReport): string {
  const rows: [string, string, number][] = [
    ["retrieval recall@1", percent(report.recallAt1), report.retrievalQuestions],
    [`retrieval recall@${RECALL_K}`, percent(report.recallAt5), report.retrievalQuestions],
    ["answers right", percent(report.accuracy), report.answerable],
    ["false refusals", percent(report.falseRefusalRate), report.answerable],
    ["closest passage", percent(report.answerableClosestRate), report.answerable],
    ["unanswerable refused", percent(report.doesntSayRate), report.unanswerable],
    ["  closest passage", percent(report.unanswerableClosestRate), report.unanswerable],
    ["  answered (false)", percent(report.falseAnswerRate), report.unanswerable],
    ["follow-up accuracy", percent(report.followupAccuracy), report.followups],
    [
      "citation problems",
      String(report.citationProblems),
      report.answerable + report.unanswerable + report.followups,
    ],
  ];
  const lines = [
    `storybot eval (mode: ${report.mode})`,
    `${"metric".padEnd(24)}${"value".padStart(9)}${"of".padStart(6)}`,
    ...rows.map(([name, value, of]) => `${name.padEnd(24)}${value.padStart(9)}${String(of).padStart(6)}`),
  ];
  if (report.failures.length > 0) {
    lines.push("", `failures (${report.failures.length}):`);
    for (const f of report.failures) {
      lines.push(`  ${f.id}  ${f.question}`, `      ${f.why}`);
      if (f.answer) lines.push(`      answer: ${oneLine(f.answer, 160)}`);
    }
  }
  return lines.join("\n");
}

function oneLine(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}
