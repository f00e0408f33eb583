// What a person at a terminal sees, and what a pipe or a journal gets: readable log lines on a
// terminal and JSON elsewhere (or as asked), warnings only for one-off commands, a prompt from a
// blank `ask`. Terminals are real pseudo-terminals, made by util-linux `script`.
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { chooseLogFormat } from "../src/log.ts";
import { MAIN, NODE, ROOT, runCli } from "./runCli.ts";

// Each test runs real processes; on a busy machine (2 cores) they take a while to start.
vi.setConfig({ testTimeout: 120_000 });

const hasScript = (() => {
  try {
    execFileSync("script", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
})();

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "storybot-terminal-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A variable that looks like storybot's but is not: every command warns about it, so it makes a
// log line to look at.
const MISTYPED = { OPENAI_KEY: "sk-test" };

/** Runs the CLI on a pseudo-terminal, typing `input`; returns what the terminal showed. */
function onTerminal(args: string[], env: Record<string, string>, input = ""): Promise<string> {
  const vars = Object.entries({
    STORYBOT_ENV_FILE: path.join(dir, "none.env"),
    DATA_DIR: path.join(dir, "data"),
    ...env,
  }).map(([k, v]) => `${k}=${v}`);
  const command = ["env", "-i", `PATH=${process.env.PATH}`, ...vars, NODE, MAIN, ...args]
    .map((word) => `'${word.replaceAll("'", "'\\''")}'`)
    .join(" ");
  return new Promise((resolve, reject) => {
    const child = spawn("script", ["-qec", command, "/dev/null"], { timeout: 60_000 });
    let shown = "";
    child.stdout.on("data", (d) => {
      shown += d;
    });
    child.on("error", reject);
    child.on("close", () => resolve(shown));
    child.stdin.end(input);
  });
}

describe("log format", () => {
  it("is pretty on a terminal and JSON elsewhere, unless asked", () => {
    expect(chooseLogFormat(undefined, true)).toBe("pretty");
    expect(chooseLogFormat(undefined, false)).toBe("json");
    expect(chooseLogFormat("json", true)).toBe("json");
    expect(chooseLogFormat("pretty", false)).toBe("pretty");
  });

  it("writes JSON lines to a pipe by default", async () => {
    const { code, stderr } = await runCli(["sources"], { env: { ...MISTYPED, LOG_LEVEL: "" } });
    expect(code).toBe(0);
    const line = JSON.parse(stderr.trim());
    expect(line.msg).toMatch(/OPENAI_KEY is not a storybot variable \(did you mean OPENAI_API_KEY\?\)/);
  });

  it("writes readable lines to a pipe with LOG_FORMAT=pretty", async () => {
    const { stderr } = await runCli(["sources"], {
      env: { ...MISTYPED, LOG_LEVEL: "", LOG_FORMAT: "pretty" },
    });
    expect(stderr).toMatch(/WARN.*OPENAI_KEY is not a storybot variable/);
    expect(() => JSON.parse(stderr.trim())).toThrow();
  });

  it.skipIf(!hasScript)(
    "writes readable lines to a terminal, and JSON there with LOG_FORMAT=json",
    async () => {
      const pretty = await onTerminal(["sources"], MISTYPED);
      expect(pretty).toMatch(/WARN.*OPENAI_KEY is not a storybot variable/);
      expect(pretty).not.toContain('"msg"');
      const json = await onTerminal(["sources"], { ...MISTYPED, LOG_FORMAT: "json" });
      expect(json).toContain('"msg":"OPENAI_KEY is not a storybot variable');
    },
  );
});

describe("one-off commands log warnings only", () => {
  it("prints one human line for an ingested article, and no log line beside it", async () => {
    const file = path.join(ROOT, "tests/fixtures/ingest/harbour-wall.txt");
    const { code, stdout, stderr } = await runCli(["ingest", file], {
      env: { DATA_DIR: path.join(dir, "quiet"), LOG_LEVEL: "" },
    });
    expect(code).toBe(0);
    expect(stdout.trim().split("\n")).toHaveLength(1);
    expect(stdout).toMatch(/Harbour wall/i);
    expect(stderr).toBe("");
  });
});

describe.skipIf(!hasScript)("a blank ask on a terminal", () => {
  it("prompts for questions and answers each, until an empty line", async () => {
    const shown = await onTerminal(["ask"], {}, "Who commands the Israeli Air Force?\n\n");
    expect(shown).toContain("Question: ");
    expect(shown).toContain("Tomer Bar");
  });
});
