// The `storybot` command line: the same pipeline as the bot, without Discord.

import { type Core, createCore } from "../app.ts";
import { benchCommand } from "../bench/benchCommand.ts";
import { type Config, ConfigError, loadConfig } from "../config.ts";
import { UserError } from "../errors.ts";
import { createLogger, type Logger } from "../log.ts";
import { askCommand } from "./askCommand.ts";
import { chatCommand } from "./chatCommand.ts";
import { deployCommand } from "./deployCommand.ts";
import { evalCommand } from "./evalCommand.ts";
import { ingestCommand } from "./ingestCommand.ts";
import { retrieveCommand } from "./retrieveCommand.ts";
import { sourcesCommand } from "./sourcesCommand.ts";
import { startCommand } from "./startCommand.ts";
import { summaryCommand, timelineCommand } from "./summaryCommand.ts";

const USAGE = `Usage: storybot <command> [options]

  ask [--json] [--session ID] [QUESTION]   answer a question (no QUESTION: one per line from stdin)
  retrieve [--json] [--k N] [QUESTION]     show the passages retrieved for a question
  summary [--json] [--since ISO-DATE]      the story so far and what is new since a date
  timeline [--json]                        the dated events of the story, cited
  chat                                     talk with the bot in the terminal
  sources [--json]                         list the articles
  ingest PATH|URL ...                      add articles from files (text, Markdown, HTML) or links
  start                                    run the Discord bot (the local chat without DISCORD_TOKEN)
  deploy-commands                          register the slash commands with Discord now
  eval [--json] [FILE]                     score a question file (default DATA_DIR/eval-questions.json)
  bench [--json] [--quick]                 measure speed, memory and retrieval quality`;

/** Runs without a core: it builds its own. */
const BENCH = "bench";

type CoreCommand = (core: Core, args: string[]) => Promise<number>;

const CORE_COMMANDS: Record<string, CoreCommand> = {
  ask: askCommand,
  retrieve: retrieveCommand,
  sources: sourcesCommand,
  chat: (core) => chatCommand(core),
  start: startCommand,
  summary: summaryCommand,
  timeline: timelineCommand,
  ingest: ingestCommand,
  eval: evalCommand,
  "deploy-commands": deployCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name || name === "help" || name === "--help" || name === "-h") {
    process.stdout.write(`${USAGE}\n`);
    return name ? 0 : 2;
  }
  const command = CORE_COMMANDS[name];
  if (!command && name !== BENCH) {
    process.stderr.write(`storybot: unknown command "${name}".\n${USAGE}\n`);
    return 2;
  }

  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    for (const line of error.problems) process.stderr.write(`storybot: bad configuration: ${line}\n`);
    return 2;
  }
  const log = createLogger(config.LOG_LEVEL);
  let core: Core | undefined;
  try {
    // The benchmark builds its own corpora, stores and bots.
    if (!command) return await benchCommand(args, log);
    // Only the bot itself takes the database at start-up; other commands take it when they use it.
    const serving = name === "start" && config.DISCORD_TOKEN !== undefined;
    core = await createCore(config, log, { lazyStore: !serving });
    return await command(core, args);
  } catch (error) {
    return reportFailure(error, log);
  } finally {
    await core?.close();
  }
}

function reportFailure(error: unknown, log: Logger): number {
  if (error instanceof UserError) {
    process.stderr.write(`storybot: ${error.message}\n`);
  } else if (
    error instanceof TypeError &&
    "code" in error &&
    error.code === "ERR_PARSE_ARGS_UNKNOWN_OPTION"
  ) {
    process.stderr.write(`storybot: ${error.message}\n`);
    return 2;
  } else {
    log.error({ err: error }, "command failed");
    process.stderr.write(`storybot: ${error instanceof Error ? error.message : String(error)}\n`);
  }
  return 1;
}

process.exitCode = await main(process.argv.slice(2));
