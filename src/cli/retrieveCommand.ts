// `storybot retrieve [--json] [--k N] [QUESTION]`
import { parseArgs } from "node:util";
import { validateQuestion } from "../answer/validateQuestion.ts";
import type { Core } from "../app.ts";
import { UserError, userMessage } from "../errors.ts";
import { formatPassages, passageJson } from "./formatAnswer.ts";
import { readLines } from "./readLines.ts";

export async function retrieveCommand(core: Core, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: "boolean", default: false }, k: { type: "string", default: "5" } },
  });
  const k = Number(values.k);
  if (!Number.isInteger(k) || k < 1 || k > 100)
    throw new UserError("--k must be a whole number from 1 to 100.");

  const questions = positionals.length > 0 ? [positionals.join(" ")] : readLines();
  let failed = false;
  for await (const raw of questions) {
    try {
      const question = validateQuestion(raw);
      const passages = await core.retriever.search(question, k);
      process.stdout.write(
        values.json
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
