// The command line's manners, on the real process: help for every command, the version, and exit
// codes with one-line errors (0 success, 1 failure, 2 usage error), never a stack trace unless asked.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { buildProgram } from "../src/cli/program.ts";
import { ROOT, runCli } from "./runCli.ts";

// Each test runs real processes; on a busy machine (2 cores) they take a while to start.
vi.setConfig({ testTimeout: 120_000 });

const COMMANDS = buildProgram(() => {})
  .commands.map((c) => c.name())
  .filter((name) => name !== "help");
const STACK_LINE = /^\s+at .+:\d+:\d+\)?$/m;

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "storybot-usage-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const oneLine = (text: string) => text.trim().split("\n");

describe("help and version", () => {
  it("covers every command of the CLI contract", () => {
    expect(COMMANDS).toEqual(
      expect.arrayContaining([
        "ask",
        "retrieve",
        "summary",
        "timeline",
        "ingest",
        "sources",
        "chat",
        "start",
        "deploy-commands",
        "eval",
        "bench",
      ]),
    );
  });

  it("prints usage and exits 0 for `<command> --help` and `help <command>`, for every command", async () => {
    // With a token set, a `start` that ignored --help would log in (and fail): help must come first.
    const env = { DISCORD_TOKEN: "not-a-real-token", DATA_DIR: dir };
    // A few at a time: two cores, and the rest of the suite runs beside this.
    const runs = [];
    for (const name of COMMANDS)
      runs.push(...(await Promise.all([runCli([name, "--help"], { env }), runCli(["help", name], { env })])));
    runs.forEach((run, i) => {
      const name = COMMANDS[Math.floor(i / 2)];
      expect(run.code, `${name}: ${run.stderr}`).toBe(0);
      expect(run.stdout).toContain(`Usage: storybot ${name}`);
      expect(run.stderr).toBe("");
    });
  });

  it("lists the commands with `--help` and `help`", async () => {
    for (const args of [["--help"], ["help"]]) {
      const { code, stdout } = await runCli(args);
      expect(code).toBe(0);
      for (const name of COMMANDS) expect(stdout).toContain(name);
    }
  });

  it("prints the package version", async () => {
    const { version } = JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8"));
    for (const flag of ["--version", "-v"]) {
      const { code, stdout } = await runCli([flag]);
      expect(code).toBe(0);
      expect(stdout.trim()).toBe(version);
    }
  });

  it("shows the usage on stderr and exits 2 without a command", async () => {
    const { code, stdout, stderr } = await runCli([]);
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toContain("Usage: storybot");
  });
});

describe("usage errors: exit 2, one line naming the help to read", () => {
  const cases: [string, string[], RegExp][] = [
    ["a missing --session value", ["ask", "--session"], /--session/],
    ["a negative --k", ["retrieve", "--k", "-3", "Who?"], /--k.*1 to 100/],
    ["a --k of 0", ["retrieve", "--k", "0", "Who?"], /--k/],
    ["a --k that is not a number", ["retrieve", "--k", "many", "Who?"], /--k/],
    ["a --since that is not a date", ["summary", "--since", "yesterday"], /--since/],
    ["an unknown option", ["sources", "--jsno"], /unknown option '--jsno'/],
    ["an unknown command", ["frobnicate"], /unknown command 'frobnicate'/],
    ["a near-miss command", ["ak", "Who?"], /Did you mean ask/],
    ["ingest without a source", ["ingest"], /source/],
    ["--guild with --global", ["deploy-commands", "--guild", "123456789012345678", "--global"], /--global/],
    ["a guild that is not an id", ["deploy-commands", "--guild", "general"], /Discord id/],
  ];
  it.each(cases)("%s", async (_name, args, message) => {
    const { code, stdout, stderr } = await runCli(args, { env: { DATA_DIR: dir } });
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(oneLine(stderr)).toHaveLength(1);
    expect(stderr).toMatch(/^storybot: /);
    expect(stderr).toMatch(message);
    expect(stderr).toMatch(/see storybot .*--help/);
  });
});

describe("failures: exit 1, one line, the stack only at LOG_LEVEL=debug", () => {
  // A DATA_DIR that is a file: the database cannot be opened, an error no user input explains.
  const notADirectory = () => {
    const file = path.join(dir, "not-a-directory");
    writeFileSync(file, "");
    return file;
  };

  it("says what failed in one line", async () => {
    const { code, stderr } = await runCli(["chat"], { env: { DATA_DIR: notADirectory() } });
    expect(code).toBe(1);
    expect(oneLine(stderr)).toHaveLength(1);
    expect(stderr).toMatch(/^storybot: .*not-a-directory/);
    expect(stderr).not.toMatch(STACK_LINE);
  });

  it("logs the stack when LOG_LEVEL=debug", async () => {
    const { code, stderr } = await runCli(["chat"], {
      env: { DATA_DIR: notADirectory(), LOG_LEVEL: "debug", LOG_FORMAT: "json" },
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/"stack":/);
  });

  it("names the variable of a bad configuration value and exits 2", async () => {
    const { code, stderr } = await runCli(["sources"], { env: { LLM_TIMEOUT_MS: "soon" } });
    expect(code).toBe(2);
    expect(oneLine(stderr)).toEqual(["storybot: bad configuration: LLM_TIMEOUT_MS: must be a whole number"]);
  });
});
