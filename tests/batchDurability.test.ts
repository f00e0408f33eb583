// A batch of questions piped into `storybot ask --session S`, killed with SIGKILL midway: the answers
// it printed more than about a second before the kill are on disk. (Before, a batch read from a pipe
// never let the delayed save run: killed after ~2,000 answers, it had saved none.)
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
const NODE = path.join(ROOT, "node_modules/.bin/node");
const MAIN = path.join(ROOT, "bin/storybot.ts");
/** The loss bound under kill -9 (src/store/writeBehind.ts). */
const MAX_LAG_MS = 1_000;
/** How long the batch answers before the kill: several saves' worth. */
const RUN_MS = 2_500;

const QUESTIONS = [
  "Who is Israel's defense minister?",
  "How long did the meeting last?",
  "Who attended the meeting with Witkoff?",
  "What did Zamir present?",
  "Who is the Mossad chief?",
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "storybot-batch-"));
  cpSync(path.join(ROOT, "data/articles"), path.join(dir, "data/articles"), { recursive: true });
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("kill -9 of a piped batch", () => {
  it(`loses at most the answers of the last ${MAX_LAG_MS} ms`, { timeout: 90_000 }, async () => {
    const child = spawn(NODE, [MAIN, "ask", "--json", "--session", "S"], {
      cwd: dir,
      env: {
        PATH: process.env.PATH ?? "",
        DATA_DIR: path.join(dir, "data"),
        LOG_LEVEL: "silent",
        // Keep every turn, so the saved ones can be counted.
        HISTORY_MAX_TURNS: "1000000",
      },
      stdio: ["pipe", "pipe", "inherit"],
    });
    // Far more questions than it can answer before the kill; they wait in the pipe.
    child.stdin.write(
      `${Array.from({ length: 30_000 }, (_, i) => QUESTIONS[i % QUESTIONS.length]).join("\n")}\n`,
    );
    child.stdin.on("error", () => undefined);

    /** When each answer line arrived here (it was printed a moment earlier). */
    const printedAt: number[] = [];
    const answers: string[] = [];
    let partial = "";
    let killedAt = 0;
    const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
    await new Promise<void>((resolve) => {
      child.stdout.on("data", (chunk: Buffer) => {
        const now = performance.now();
        const lines = (partial + chunk.toString()).split("\n");
        partial = lines.pop() ?? "";
        for (const line of lines) {
          printedAt.push(now);
          answers.push(JSON.parse(line).answer);
        }
        if (!killedAt && now - (printedAt[0] ?? now) >= RUN_MS) {
          killedAt = performance.now();
          child.kill("SIGKILL");
          resolve();
        }
      });
      child.on("exit", () => resolve());
    });
    await exited;
    expect(killedAt).toBeGreaterThan(0);

    const db = JSON.parse(readFileSync(path.join(dir, "data/db.json"), "utf8"));
    const turns: { role: string; content: string }[] =
      db.conversations.find((c: { key: string }) => c.key === "cli:S")?.turns ?? [];
    const saved = turns.filter((t) => t.role === "assistant").map((t) => t.content);
    // What is saved is exactly what was printed, in order, up to some answer.
    expect(saved).toEqual(answers.slice(0, saved.length));

    const lost = answers.length - saved.length;
    const lostWindowMs = lost === 0 ? 0 : killedAt - (printedAt[saved.length] as number);
    console.log(
      `kill -9 after ${answers.length} answers in ${Math.round(killedAt - (printedAt[0] ?? 0))} ms: ` +
        `${saved.length} on disk, ${lost} lost (printed in the last ${Math.round(lostWindowMs)} ms)`,
    );
    expect(saved.length).toBeGreaterThan(0);
    expect(lostWindowMs).toBeLessThanOrEqual(MAX_LAG_MS);
  });
});
