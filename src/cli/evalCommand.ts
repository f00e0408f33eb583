// `storybot eval [--json] [FILE]`: scores a question file with the pipeline in its current mode.
import path from "node:path";
import { parseArgs } from "node:util";
import { answer } from "../answer/answer.ts";
import type { Core } from "../app.ts";
import { loadEvalFile } from "../eval/evalFile.ts";
import { formatEvalReport, runEval } from "../eval/runEval.ts";

export async function evalCommand(core: Core, args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { json: { type: "boolean", default: false } },
  });
  const file = await loadEvalFile(positionals[0] ?? path.join(core.config.DATA_DIR, "eval-questions.json"));
  const report = await runEval(
    (question, history) => answer(core, { question, history }),
    (question, k) => core.retriever.search(question, k),
    file,
  );
  process.stdout.write(values.json ? `${JSON.stringify(report)}\n` : `${formatEvalReport(report)}\n`);
  return 0;
}
