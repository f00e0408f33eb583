// The `storybot` command line as commander parses it: every command, its options and its help.
// Parsing only decides what to run (an Invocation); main.ts runs it, so `--help`, `help <cmd>`,
// `--version` and usage errors never load the story, open the database or log in to Discord. Each
// command's module is imported when it runs: help and usage errors answer in a tenth of a second.
import { readFileSync } from "node:fs";
import path from "node:path";
import { Command, Option } from "commander";
import type { Core } from "../app.ts";
import type { Config } from "../config.ts";
import type { Command as SlashCommand } from "../discord/command.ts";
import type { Logger } from "../log.ts";
import { PROJECT_ROOT } from "../projectRoot.ts";
import { discordId, isoDate, passageCount, sessionId } from "./optionValues.ts";

/** What the entry point (bin/storybot.ts) hands in: src/ never imports commands/. */
export interface CliWiring {
  /** The slash commands (commands/index.ts), loaded only by the commands that talk to Discord. */
  loadSlashCommands(): Promise<readonly SlashCommand[]>;
}

/** What a command line asks for: run against the core (story, model, store), or config alone. */
export type Invocation =
  | {
      needs: "core";
      /** The Discord bot: logs at info by default and takes the database at once. */
      serving?: boolean;
      run: (core: Core, wiring: CliWiring) => Promise<number>;
    }
  | {
      needs: "config";
      /** A long-running service (the shard manager): logs at info by default. */
      serving?: boolean;
      run: (config: Config, log: Logger, wiring: CliWiring) => Promise<number>;
    };

export const VERSION: string = JSON.parse(
  readFileSync(path.join(PROJECT_ROOT, "package.json"), "utf8"),
).version;

const json = () => new Option("--json", "print JSON, one object a line");

const DESCRIPTION =
  "storybot answers questions about a news story with cited, checkable answers, on Discord and here on the command line.";

const FOOTER = `
Exit codes: 0 success, 1 failure, 2 usage or configuration error.
Configuration comes from the environment and the project's .env; see README.md.`;

/** The program; `invoke` receives what the command line asks for, once parsed. */
export function buildProgram(invoke: (invocation: Invocation) => void): Command {
  const program = new Command("storybot")
    .description(DESCRIPTION)
    .version(VERSION, "-v, --version", "print the version")
    .helpOption("-h, --help", "show help")
    .helpCommand("help [command]", "show help for a command")
    .showSuggestionAfterError(true)
    .addHelpText("after", FOOTER);

  program
    .command("ask")
    .summary("answer a question, cited")
    .description(
      "Answer a question from the story, every claim cited. With no QUESTION, answer each line of stdin in order (on a terminal, it prompts).",
    )
    .argument("[question...]", "the question (quotes optional)")
    .addOption(json())
    .option("--session <id>", "keep history under this id, so a later question can follow up", sessionId)
    .addHelpText(
      "after",
      `
JSON, one object an answer: {"question", "answer", "citations": [{"n", "passageId", "title", "quote", "url"?}],
"mode": "llm"|"extractive", "outcome": "answered"|"closest"|"doesnt_say", "notice"?}

Examples:
  storybot ask "How long did the PM and the envoy talk?"
  storybot ask --json --session demo < questions.txt`,
    )
    .action((words: string[], opts: { json?: boolean; session?: string }) =>
      invoke({
        needs: "core",
        run: async (core) =>
          (await import("./askCommand.ts")).askCommand(core, { ...opts, json: opts.json === true }, words),
      }),
    );

  program
    .command("retrieve")
    .summary("show the passages retrieved for a question")
    .description(
      "Show the passages retrieved for a question, best first. With no QUESTION, each line of stdin.",
    )
    .argument("[question...]", "the question")
    .addOption(json())
    .option("--k <n>", "how many passages (1-100)", passageCount, 5)
    .addHelpText(
      "after",
      `
JSON: {"question", "passages": [{"id", "articleId", "title", "paragraph", "text", "score"}]}`,
    )
    .action((words: string[], opts: { json?: boolean; k: number }) =>
      invoke({
        needs: "core",
        run: async (core) =>
          (await import("./retrieveCommand.ts")).retrieveCommand(
            core,
            { json: opts.json === true, k: opts.k },
            words,
          ),
      }),
    );

  program
    .command("summary")
    .summary("the story so far and what is new")
    .description("The story so far, cited, and the articles new since a date.")
    .addOption(json())
    .option("--since <date>", "what is new since this ISO date (default: every article is new)", isoDate)
    .addHelpText("after", `\nJSON: {"summary", "citations", "newArticles": [articleId], "mode", "notice"?}`)
    .action((opts: { json?: boolean; since?: Date }) =>
      invoke({
        needs: "core",
        run: async (core) =>
          (await import("./summaryCommand.ts")).summaryCommand(core, { ...opts, json: opts.json === true }),
      }),
    );

  program
    .command("timeline")
    .summary("the dated events of the story, cited")
    .description("The story's dated events in order, each cited.")
    .addOption(json())
    .addHelpText("after", `\nJSON: {"events": [{"date", "text", "citations"}]}`)
    .action((opts: { json?: boolean }) =>
      invoke({
        needs: "core",
        run: async (core) =>
          (await import("./summaryCommand.ts")).timelineCommand(core, { json: opts.json === true }),
      }),
    );

  program
    .command("sources")
    .summary("list the articles")
    .description("List the articles the bot answers from: the story's own and those added since.")
    .addOption(json())
    .action((opts: { json?: boolean }) =>
      invoke({
        needs: "core",
        run: async (core) =>
          (await import("./sourcesCommand.ts")).sourcesCommand(core, { json: opts.json === true }),
      }),
    );

  program
    .command("ingest")
    .summary("add articles from files or links")
    .description(
      "Add articles from files (text, Markdown, HTML) or web pages. They are stored under DATA_DIR/ingested/ and a running bot learns them at its next start (or use /story add in Discord).",
    )
    .argument("<source...>", "file paths or http(s) links")
    .action((sources: string[]) =>
      invoke({
        needs: "core",
        run: async (core) => (await import("./ingestCommand.ts")).ingestCommand(core, sources),
      }),
    );

  program
    .command("chat")
    .summary("talk with the bot in the terminal")
    .description("An interactive conversation in the terminal, remembered (/forget clears it, /exit leaves).")
    .action(() =>
      invoke({ needs: "core", run: async (core) => (await import("./chatCommand.ts")).chatCommand(core) }),
    );

  program
    .command("start")
    .summary("run the Discord bot (the local chat without DISCORD_TOKEN)")
    .description(
      "Run the Discord bot until SIGINT or SIGTERM; what `npm start` runs. Without DISCORD_TOKEN, the local chat.",
    )
    .option(
      "--shards <count>",
      "one bot process per gateway shard: auto (Discord's count, or SHARD_COUNT) or a number; needs DATABASE_URL",
    )
    .addHelpText(
      "after",
      `
With --shards, SHARD_COUNT and SHARD_IDS split the shards across machines sharing DATABASE_URL:
  SHARD_COUNT=4 SHARD_IDS=0,1 storybot start --shards auto    on one machine
  SHARD_COUNT=4 SHARD_IDS=2,3 storybot start --shards auto    on the other`,
    )
    .action((opts: { shards?: string }) =>
      invoke(
        opts.shards === undefined
          ? {
              needs: "core",
              serving: true,
              run: async (core, wiring) =>
                (await import("./startCommand.ts")).startCommand(core, await wiring.loadSlashCommands()),
            }
          : {
              // The manager needs no core: each shard process builds its own.
              needs: "config",
              serving: true,
              run: async (config, log, wiring) =>
                (await import("./startShardsCommand.ts")).startShardsCommand(
                  opts.shards ?? "",
                  config,
                  log,
                  await wiring.loadSlashCommands(),
                ),
            },
      ),
    );

  program
    .command("status")
    .summary("is the bot running and connected? (for supervisors)")
    .description(
      "Whether a bot is running on this DATA_DIR and connected to Discord, from the health file it keeps fresh. Exit 0 when healthy, 1 when not: usable as a health check.",
    )
    .addOption(json())
    .action((opts: { json?: boolean }) =>
      invoke({
        needs: "config",
        run: async (config) =>
          (await import("./statusCommand.ts")).statusCommand(config, { json: opts.json === true }),
      }),
    );

  program
    .command("deploy-commands")
    .summary("register (or clear) the slash commands now")
    .description(
      "Register the slash commands with Discord now: in DISCORD_GUILD_ID (instant) when set, else globally. --clear removes them instead, e.g. the guild copies left after moving to global commands.",
    )
    .option("--guild <id>", "this guild instead of DISCORD_GUILD_ID", discordId)
    .addOption(new Option("--global", "globally, even when DISCORD_GUILD_ID is set").conflicts("guild"))
    .option("--clear", "remove the commands from that guild (or globally) instead of registering them")
    .addHelpText(
      "after",
      `
Examples:
  storybot deploy-commands                          register where DISCORD_GUILD_ID says
  storybot deploy-commands --clear --guild 123...   remove a guild's stale copies`,
    )
    .action((opts: { guild?: string; global?: boolean; clear?: boolean }) =>
      invoke({
        needs: "core",
        run: async (core, wiring) =>
          (await import("./deployCommand.ts")).deployCommand(core, await wiring.loadSlashCommands(), opts),
      }),
    );

  program
    .command("invite")
    .summary("print the link that adds the bot to a server")
    .description(
      "Print the OAuth2 link that adds the bot to a server with the scopes (bot, applications.commands) and permissions it needs. The application id comes from DISCORD_TOKEN, or --client-id.",
    )
    .option("--client-id <id>", "the application id (default: read from DISCORD_TOKEN)", discordId)
    .action((opts: { clientId?: string }) =>
      invoke({
        needs: "config",
        run: async (config) => (await import("./inviteCommand.ts")).inviteCommand(config, opts),
      }),
    );

  const db = program
    .command("db")
    .summary("the PostgreSQL database (DATABASE_URL): migrate, import, export")
    .description(
      "The PostgreSQL database named by DATABASE_URL, the shared store for several processes or machines. import and export take DIR's lock: stop a lowdb bot using it first.",
    );
  for (const [verb, summary] of [
    ["migrate", "bring the schema up to date (the bot also does this when it starts)"],
    ["import", "copy a lowdb data directory (db.json and ingested articles) into PostgreSQL"],
    ["export", "copy PostgreSQL back into a lowdb data directory (never overwrites a database)"],
  ] as const) {
    const command = db
      .command(verb)
      .summary(summary)
      .description(`${summary[0]?.toUpperCase()}${summary.slice(1)}.`);
    if (verb !== "migrate")
      command.option("--data-dir <dir>", "the lowdb data directory (default: DATA_DIR)");
    command.action((opts: { dataDir?: string }) =>
      invoke({
        needs: "config",
        run: async (config, log) => (await import("./dbCommand.ts")).dbCommand(verb, opts, config, log),
      }),
    );
  }

  program
    .command("eval")
    .summary("score a question file")
    .description("Score a question file with the pipeline in its current mode (model or extractive).")
    .argument("[file]", "question file (default: data/eval-questions.json)")
    .addOption(json())
    .action((file: string | undefined, opts: { json?: boolean }) =>
      invoke({
        needs: "core",
        run: async (core) =>
          (await import("./evalCommand.ts")).evalCommand(core, { json: opts.json === true }, file),
      }),
    );

  program
    .command("bench")
    .summary("measure speed, memory and retrieval quality")
    .description("The benchmark: speed, memory and retrieval quality, with everything but the model.")
    .addOption(json())
    .option("--quick", "fewer and smaller runs")
    .option(
      "--postgres <url>",
      "also measure PostgreSQL (or BENCH_DATABASE_URL): the bench creates and drops a database there",
    )
    .action((opts: { json?: boolean; quick?: boolean; postgres?: string }) =>
      invoke({
        needs: "config",
        // The benchmark builds its own corpora, stores and bots; it lives outside src/ (loadBench.ts).
        run: async (_config, log) =>
          (await (await import("./loadBench.ts")).loadBench())(
            [
              ...(opts.json ? ["--json"] : []),
              ...(opts.quick ? ["--quick"] : []),
              ...(opts.postgres ? ["--postgres", opts.postgres] : []),
            ],
            log,
          ),
      }),
    );

  return program;
}
