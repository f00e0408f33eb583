// `storybot bench [--json] [--quick]`: the command line around runBench. It needs no core: the
// benchmark builds its own corpora, databases and loopback Discord.
import { parseArgs } from "node:util";
import type { BenchCommand } from "../src/cli/loadBench.ts";
import { runBench } from "./runBench.ts";

// Typed as the command line expects it, since the command line loads this module by path.
export const benchCommand: BenchCommand = async (args, log) => {
  const { values } = parseArgs({
    args,
    options: {
      json: { type: "boolean", default: false },
      quick: { type: "boolean", default: false },
      postgres: { type: "string" },
    },
  });
  const postgresUrl = values.postgres || process.env.BENCH_DATABASE_URL?.trim() || undefined;
  await runBench({ json: values.json, quick: values.quick, log, postgresUrl });
  return 0;
};
