// How answers look on the command line: readable text, or the JSON line of the CLI contract.
import { citationLine } from "../text/citationLine.ts";
import type { AnswerResult, Citation, RetrievedPassage } from "../types.ts";

/** A citation as the CLI contract spells it: {n, passageId, title, quote, url?}. */
export function citationJson(c: Citation) {
  return { n: c.n, passageId: c.passageId, title: c.title, quote: c.quote, ...(c.url ? { url: c.url } : {}) };
}

export function answerJson(result: AnswerResult) {
  return {
    question: result.question,
    answer: result.answer,
    citations: result.citations.map(citationJson),
    mode: result.mode,
    outcome: result.outcome,
    ...(result.notice ? { notice: result.notice } : {}),
  };
}

export function formatAnswer(result: AnswerResult): string {
  const lines = [result.answer];
  if (result.citations.length > 0) lines.push("", ...result.citations.map(citationLine));
  if (result.notice) lines.push("", `(${result.notice})`);
  return lines.join("\n");
}

export function passageJson(p: RetrievedPassage) {
  return {
    id: p.id,
    articleId: p.articleId,
    title: p.title,
    paragraph: p.paragraph,
    text: p.text,
    score: p.score,
  };
}

export function formatPassages(passages: RetrievedPassage[]): string {
  return passages.map((p) => `${p.id} (${p.score.toFixed(3)}) ${p.text}`).join("\n");
}
