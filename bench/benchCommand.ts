// `storybot bench [--json] [--quick]`: the command line around runBench. It needs no core: the
// benchmark builds its own corpora, databases and loopback Discord.
import { parseArgs } from "node:util";
import type { Logger } from "../src/log.ts";
import { runBench } from "./runBench.ts";

export async function benchCommand(args: string[], log: Logger): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      json: { type: "boolean", default: false },
      quick: { type: "boolean", default: false },
    },
  });
  await runBench({ json: values.json, quick: values.quick, log });
  return 0;
}
