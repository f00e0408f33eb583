// The `storybot` command line: the same pipeline as the bot, without Discord. Parsing (program.ts)
// decides what to run; this file loads the configuration, builds the core and turns every outcome
// into an exit code: 0 success, 1 failure, 2 usage or configuration error, with one line on stderr.
import { CommanderError } from "commander";
import type { Core } from "../app.ts";
import { type Config, ConfigError, parseConfig, readEnvironment, unknownVariables } from "../config.ts";
import { createLogger } from "../log.ts";
import { buildProgram, type CliWiring, type Invocation } from "./program.ts";
import { reportFailure } from "./reportFailure.ts";

const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

export async function main(argv: string[], wiring: CliWiring): Promise<number> {
  let invocation: Invocation | undefined;
  const program = buildProgram((chosen) => {
    invocation = chosen;
  });
  let usageError = "";
  // Errors are printed below as one line with a pointer to the right help.
  const output = {
    outputError: (text: string) => {
      usageError = text;
    },
  };
  for (const command of [program, ...program.commands]) command.exitOverride().configureOutput(output);

  if (argv.length === 0) {
    program.outputHelp({ error: true });
    return EXIT.usage;
  }
  try {
    await program.parseAsync(argv, { from: "user" });
  } catch (error) {
    if (!(error instanceof CommanderError)) throw error;
    // --help and --version end parsing with exit code 0; everything else is a usage error.
    if (error.exitCode === 0) return EXIT.ok;
    const known = program.commands.some((c) => c.name() === argv[0]);
    const help = known ? `storybot ${argv[0]} --help` : "storybot --help";
    const message = (usageError || error.message)
      .replace(/^error: /, "")
      .replace(/\s*\n\s*/g, " ")
      .trim();
    process.stderr.write(`storybot: ${message} (see ${help})\n`);
    return EXIT.usage;
  }
  if (!invocation) return EXIT.ok;
  return run(invocation, wiring);
}

async function run(invocation: Invocation, wiring: CliWiring): Promise<number> {
  let config: Config;
  let env: Record<string, string | undefined>;
  try {
    env = readEnvironment();
    config = parseConfig(env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const line of error.problems) process.stderr.write(`storybot: bad configuration: ${line}\n`);
    return EXIT.usage;
  }
  const serving = invocation.serving === true;
  // One-off commands print their result on stdout; info lines beside it would only double it.
  const log = createLogger(config.LOG_LEVEL ?? (serving ? "info" : "warn"), undefined, config.LOG_FORMAT);
  for (const line of unknownVariables(env)) log.warn(line);

  let core: Core | undefined;
  let code: number;
  try {
    if (invocation.needs === "config") return await invocation.run(config, log, wiring);
    // Only the bot itself takes the database at start-up; other commands take it when they use it.
    const { createCore } = await import("../app.ts");
    core = await createCore(config, log, { lazyStore: !(serving && config.DISCORD_TOKEN) });
    code = await invocation.run(core, wiring);
  } catch (error) {
    code = reportFailure(error, log);
  }
  try {
    await core?.close();
  } catch (error) {
    // The final save failed (a full disk): one line saying what was lost and why, and a failure code.
    code = reportFailure(error, log);
  }
  return code;
}

// This module is the command line's library; bin/storybot.ts runs it with the slash commands. Run
// directly (an old script), it says so rather than start a bot without commands.
if (import.meta.main) {
  process.stderr.write("storybot: run bin/storybot.ts (or npx storybot); src/cli/main.ts is not the entry\n");
  process.exitCode = 2;
}
