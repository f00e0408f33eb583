// `storybot retrieve [--json] [--k N] [QUESTION]`
import { validateQuestion } from "../answer/validateQuestion.ts";
import type { Core } from "../app.ts";
import { userMessage } from "../errors.ts";
import { formatPassages, passageJson } from "./formatAnswer.ts";
import { readLines } from "./readLines.ts";

export interface RetrieveOptions {
  json: boolean;
  /** Passages per question, 1 to 100 (checked by the parser). */
  k: number;
}

export async function retrieveCommand(
  core: Core,
  options: RetrieveOptions,
  words: string[],
): Promise<number> {
  const { json, k } = options;
  const questions = words.length > 0 ? [words.join(" ")] : readLines();
  let failed = false;
  for await (const raw of questions) {
    try {
      const question = validateQuestion(raw);
      const passages = await core.retriever.search(question, k);
      process.stdout.write(
        json
          ? `${JSON.stringify({ question, passages: passages.map(passageJson) })}\n`
          : `${formatPassages(passages)}\n`,
      );
    } catch (error) {
      failed = true;
      process.stderr.write(`storybot: ${userMessage(error)}\n`);
    }
  }
  return failed ? 1 : 0;
}
