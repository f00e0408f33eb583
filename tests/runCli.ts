// Runs the real `storybot` CLI as a process, as operators and scripts do: the project's Node, a
// controlled environment (no inherited variables, no .env unless a test writes one), stdin closed.
import { spawn } from "node:child_process";
import path from "node:path";

export const ROOT = path.resolve(import.meta.dirname, "..");
export const NODE = path.join(ROOT, "node_modules/.bin/node");
export const MAIN = path.join(ROOT, "bin/storybot.ts");

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string>;
  stdin?: string;
  /** Seconds before the process is killed; a hung command fails its test instead of the suite. */
  timeoutSeconds?: number;
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(NODE, [MAIN, ...args], {
      cwd: options.cwd ?? ROOT,
      env: {
        PATH: process.env.PATH ?? "",
        LOG_LEVEL: "silent",
        // A developer's own .env must not leak into a test run.
        STORYBOT_ENV_FILE: path.join(ROOT, "tests", "fixtures", "no-such.env"),
        ...options.env,
      },
      timeout: (options.timeoutSeconds ?? 110) * 1000,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => {
      stdout += d;
    });
    child.stderr.on("data", (d) => {
      stderr += d;
    });
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? "");
  });
}

export const jsonLines = (out: string) =>
  out
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));
