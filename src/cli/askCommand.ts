// `storybot ask [--json] [--session ID] [QUESTION]`
import { parseArgs } from "node:util";
import { answer } from "../answer/answer.ts";
import { converse } from "../answer/converse.ts";
import type { Core } from "../app.ts";
import { userMessage } from "../errors.ts";
import type { AnswerResult } from "../types.ts";
import { answerJson, formatAnswer } from "./formatAnswer.ts";
import { readLines } from "./readLines.ts";

export async function askCommand(core: Core, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: "boolean", default: false }, session: { type: "string" } },
  });
  const session = values.session;
  const ask = (question: string, show: (result: AnswerResult) => void): Promise<AnswerResult> =>
    session
      ? converse(core, {
          question,
          conversation: { key: `cli:${session}`, owner: { scope: "cli", userId: session } },
          show,
        })
      : answer(core, { question, history: [] }).then((result) => {
          show(result);
          return result;
        });

  const questions = positionals.length > 0 ? [positionals.join(" ")] : readLines();
  let failed = false;
  let first = true;
  for await (const question of questions) {
    try {
      await ask(question, (result) => {
        if (values.json) {
          process.stdout.write(`${JSON.stringify(answerJson(result))}\n`);
        } else {
          process.stdout.write(`${first ? "" : "\n"}${formatAnswer(result)}\n`);
        }
        first = false;
      });
    } catch (error) {
      // One bad question costs one line on stderr; the rest of a batch still gets answered.
      failed = true;
      core.log.debug({ err: error }, "question failed");
      process.stderr.write(`storybot: ${userMessage(error)}\n`);
    }
  }
  return failed ? 1 : 0;
}
