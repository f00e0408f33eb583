// `storybot bench` runs code that lives in bench/, beside the product rather than in it: the benchmark
// drives the bot through the test fakes (tests/fakes/), whose WebSocket server is a dev dependency.
// Like every command, it is imported only when it runs; unlike the others, by a computed path:
// - src/ keeps no import of bench/, not even a lazy one that TypeScript and import-graph checks would
//   follow (the graph points one way, bench → src: no cycle, no bench code in what the bot loads);
// - a production install (`npm ci --omit=dev`) runs every other command without it, and there
//   `storybot bench` fails with one line saying what it needs.
// The choice is made here, in the command line every entry goes through (bin/storybot.ts, npm run
// bench, the tests), rather than in the bin script alone.
import path from "node:path";
import { pathToFileURL } from "node:url";
import { UserError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { PROJECT_ROOT } from "../projectRoot.ts";

/** The command bench/benchCommand.ts exports; it is declared with this type, so both sides agree. */
export type BenchCommand = (args: string[], log: Logger) => Promise<number>;

const BENCH_MODULE = pathToFileURL(path.join(PROJECT_ROOT, "bench", "benchCommand.ts")).href;

export async function loadBench(): Promise<BenchCommand> {
  try {
    const bench = (await import(BENCH_MODULE)) as { benchCommand: BenchCommand };
    return bench.benchCommand;
  } catch (error) {
    if (!(error instanceof Error && "code" in error && error.code === "ERR_MODULE_NOT_FOUND")) throw error;
    throw new UserError(
      `the benchmark needs the bench/ folder and the development dependencies (npm ci, without --omit=dev): ${error.message}`,
    );
  }
}
