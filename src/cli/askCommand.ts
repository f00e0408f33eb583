// `storybot ask [--json] [--session ID] [QUESTION]`
import { answer } from "../answer/answer.ts";
import { converse } from "../answer/converse.ts";
import type { Core } from "../app.ts";
import { UsageError, userMessage } from "../errors.ts";
import type { AnswerResult } from "../types.ts";
import { answerJson, formatAnswer } from "./formatAnswer.ts";
import { promptLines } from "./promptLines.ts";
import { readLines } from "./readLines.ts";

export interface AskOptions {
  json: boolean;
  session?: string;
}

export async function askCommand(core: Core, options: AskOptions, words: string[]): Promise<number> {
  const session = options.session;
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

  // On a terminal a blank `ask` prompts, rather than waiting silently for stdin.
  const questions =
    words.length > 0 ? [words.join(" ")] : process.stdin.isTTY ? promptLines("Question: ") : readLines();
  // 1 if a question failed, 2 if the only failures were questions given wrong (an empty one).
  let failed = false;
  let onlyUsage = true;
  let first = true;
  for await (const question of questions) {
    try {
      await ask(question, (result) => {
        if (options.json) {
          process.stdout.write(`${JSON.stringify(answerJson(result))}\n`);
        } else {
          process.stdout.write(`${first ? "" : "\n"}${formatAnswer(result)}\n`);
        }
        first = false;
      });
    } catch (error) {
      // One bad question costs one line on stderr; the rest of a batch still gets answered.
      failed = true;
      if (!(error instanceof UsageError)) onlyUsage = false;
      core.log.debug({ err: error }, "question failed");
      process.stderr.write(`storybot: ${userMessage(error)}\n`);
    }
    // Lines read from a pipe or a file arrive from a buffer with no I/O between answers, so without
    // this the event loop never gets round to the session's save, and a batch killed midway would
    // lose every answer it printed. One turn of the loop per answer keeps the save within its bound.
    await yieldToEventLoop();
  }
  if (!failed) return 0;
  return onlyUsage ? 2 : 1;
}

function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
