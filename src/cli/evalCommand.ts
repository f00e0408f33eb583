// `storybot eval [--json] [FILE]`: scores a question file with the pipeline in its current mode.
import { existsSync } from "node:fs";
import path from "node:path";
import { answer, retrieve } from "../answer/answer.ts";
import type { Core } from "../app.ts";
import { loadEvalFile } from "../eval/evalFile.ts";
import { formatEvalReport, runEval } from "../eval/runEval.ts";
import { PROJECT_ROOT } from "../projectRoot.ts";

export async function evalCommand(core: Core, options: { json: boolean }, file?: string): Promise<number> {
  const questions = await loadEvalFile(file ?? defaultQuestionFile(core.config.DATA_DIR));
  const report = await runEval(
    (question, history) => answer(core, { question, history }),
    (question, k) => retrieve(core, question, k),
    questions,
  );
  process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : `${formatEvalReport(report)}\n`);
  return 0;
}

/** DATA_DIR's own question file when it has one (it may hold its own story), else the shipped one. */
function defaultQuestionFile(dataDir: string): string {
  const own = path.join(dataDir, "eval-questions.json");
  return existsSync(own) ? own : path.join(PROJECT_ROOT, "data", "eval-questions.json");
}
