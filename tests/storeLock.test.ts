// The database lock after crashes and restarts: a lock is stale when its pid is our own, when no
// process has it, or when the process that has it now is not the one that wrote it. Judged with an
// injected process table, then for real in a pid namespace (`unshare --pid --fork --mount-proc`),
// where the CLI runs as pid 1 as it does in a container.
import { spawn, spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createLogger } from "../src/log.ts";
import type { ProcessInfo } from "../src/store/processInfo.ts";
import { acquireLock, type LockRecord, StoreLockedError, staleReason } from "../src/store/storeLock.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
const NODE = path.join(ROOT, "node_modules/.bin/node");
const MAIN = path.join(ROOT, "bin/storybot.ts");
/**
 * A storybot's command line in the injected process tables. A fixed, short install path: the lock
 * message cuts a command line at 80 characters, and the checkout's own path could push the end out.
 */
const STORYBOT = "/srv/storybot/node_modules/.bin/node /srv/storybot/bin/storybot.ts start";

/** A process table: pid → [start ticks, command line]. */
function processTable(table: Record<number, [number, string]>, bootId = "boot-1"): ProcessInfo {
  return {
    exists: (pid) => pid in table,
    startTicks: (pid) => table[pid]?.[0],
    // Ticks are hundredths of a second since a boot at time 0.
    startedAtMs: (pid) => (table[pid] ? (table[pid][0] * 1000) / 100 : undefined),
    commandLine: (pid) => table[pid]?.[1],
    bootId: () => bootId,
  };
}

const lock = (record: Omit<LockRecord, "writtenAtMs">, writtenAtMs = 500_000): LockRecord => ({
  ...record,
  writtenAtMs,
});

describe("staleReason, with an injected process table", () => {
  const table = processTable({ 1: [100, STORYBOT], 42: [40_000, STORYBOT], 77: [90_000, "sleep 600"] });

  it("calls a lock naming our own pid stale: an earlier run with the same pid left it", () => {
    expect(staleReason(lock({ pid: 1, startTicks: 100, command: STORYBOT }), 1, table)).toMatch(
      /own pid 1.*restarted container/,
    );
  });

  it("calls a lock stale when no process has its pid", () => {
    expect(staleReason(lock({ pid: 9 }), 1, table)).toMatch(/pid 9\) is no longer running/);
  });

  it("calls a lock stale when its pid now belongs to a process that started later", () => {
    expect(staleReason(lock({ pid: 42, startTicks: 30_000, command: STORYBOT }), 1, table)).toMatch(
      /pid 42 now belongs to another process/,
    );
  });

  it("calls a lock stale when its pid now runs another program", () => {
    expect(staleReason(lock({ pid: 42, startTicks: 40_000, command: "node other.js" }), 1, table)).toMatch(
      /pid 42 now runs another program \(.*storybot\.ts start\)/,
    );
  });

  it("calls a lock from before a reboot stale", () => {
    const rebooted = processTable({ 42: [40_000, STORYBOT] }, "boot-2");
    expect(staleReason(lock({ pid: 42, startTicks: 40_000, bootId: "boot-1" }), 1, rebooted)).toMatch(
      /before the machine restarted/,
    );
  });

  it("judges a pid-only lock (older storybot) by its age and the program now under its pid", () => {
    // Written at 500 s; pid 42 started at 400 s and is node: a live holder.
    expect(staleReason(lock({ pid: 42 }, 500_000), 1, table)).toBeUndefined();
    // Written at 300 s, before pid 42 started at 400 s: the pid was reused.
    expect(staleReason(lock({ pid: 42 }, 300_000), 1, table)).toMatch(
      /older than the process that now has pid 42/,
    );
    // pid 77 is `sleep`, which is no storybot (its start, 900 s, is after the lock too, so write it later).
    expect(staleReason(lock({ pid: 77 }, 1_000_000), 1, table)).toMatch(
      /pid 77 is not a storybot process \(sleep 600\)/,
    );
  });

  it("keeps a lock whose holder is alive and is the process that wrote it", () => {
    expect(
      staleReason(lock({ pid: 42, startTicks: 40_000, bootId: "boot-1", command: STORYBOT }), 1, table),
    ).toBeUndefined();
  });
});

describe("acquireLock", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "storybot-lock-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function logged() {
    const lines: { msg: string; reason?: string }[] = [];
    return { lines, log: createLogger("warn", { write: (line: string) => lines.push(JSON.parse(line)) }) };
  }

  it("takes over a lock with our own pid as pid 1, says so, and refuses a second open by the same process", async () => {
    const sub = mkdtempSync(path.join(dir, "own-"));
    const processes = processTable({ 1: [100, STORYBOT] });
    writeFileSync(path.join(sub, "db.lock"), `1\n${JSON.stringify({ startTicks: 55, command: STORYBOT })}\n`);
    const { lines, log } = logged();
    const held = await acquireLock(sub, log, { pid: 1, processes });
    expect(lines.map((l) => l.msg)).toEqual([
      expect.stringMatching(/^Taking over a stale database lock: .*own pid 1/),
    ]);
    expect(readFileSync(path.join(sub, "db.lock"), "utf8")).toBe(
      `1\n${JSON.stringify({ startTicks: 100, bootId: "boot-1", command: STORYBOT })}\n`,
    );
    await expect(acquireLock(sub, log, { pid: 1, processes })).rejects.toBeInstanceOf(StoreLockedError);
    await held.release();
    expect(existsSync(path.join(sub, "db.lock"))).toBe(false);
  });

  it("refuses a lock held by another live storybot", async () => {
    const sub = mkdtempSync(path.join(dir, "live-"));
    const processes = processTable({ 1: [100, STORYBOT], 42: [40_000, STORYBOT] });
    writeFileSync(
      path.join(sub, "db.lock"),
      `42\n${JSON.stringify({ startTicks: 40_000, command: STORYBOT })}\n`,
    );
    await expect(acquireLock(sub, logged().log, { pid: 1, processes })).rejects.toThrow(
      `Another storybot is using ${sub} (pid 42). Stop it first.`,
    );
  });
});

/** Whether this machine lets us make a pid namespace (root, or user namespaces allowed). */
const canUnshare =
  process.platform === "linux" &&
  spawnSync("unshare", ["--pid", "--fork", "--mount-proc", "true"], { stdio: "ignore" }).status === 0;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runInPidNamespace(dataDir: string, script: string): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn("unshare", ["--pid", "--fork", "--mount-proc", "sh", "-c", script], {
      env: {
        PATH: process.env.PATH ?? "",
        DATA_DIR: dataDir,
        LOG_LEVEL: "warn",
        NODE,
        MAIN,
      },
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
  });
}

describe.skipIf(!canUnshare)("in a pid namespace (unshare --pid --fork --mount-proc)", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), "storybot-pidns-"));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function dataDir(name: string): string {
    const data = path.join(dir, name);
    cpSync(path.join(ROOT, "data/articles"), path.join(data, "articles"), { recursive: true });
    return data;
  }

  it("starts as pid 1 over the lock a crashed pid 1 left, with a log line", async () => {
    const data = dataDir("container");
    // What a bot killed as pid 1 leaves: a lock naming pid 1, in the format an older storybot wrote.
    writeFileSync(path.join(data, "db.lock"), "1\n");
    const run = await runInPidNamespace(
      data,
      // exec: the CLI replaces the shell, so it is pid 1 of the namespace, as in a container.
      `exec "$NODE" "$MAIN" ask --session s "Who is Israel's defense minister?"`,
    );
    expect(run.stderr).toMatch(/Taking over a stale database lock: it names this process's own pid 1/);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Katz");
    expect(readFileSync(path.join(data, "db.json"), "utf8")).toContain("Who is Israel's defense minister?");
    expect(existsSync(path.join(data, "db.lock"))).toBe(false);
  });

  it("takes over a lock whose pid now belongs to another program, and refuses one a live storybot holds", async () => {
    const data = dataDir("reused");
    // A storybot that ran as pid 2 long ago; pid 2 is now `sleep`, the namespace's first child.
    writeFileSync(
      path.join(data, "db.lock"),
      `2\n${JSON.stringify({ startTicks: 1, command: `${NODE} ${MAIN} start` })}\n`,
    );
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(path.join(data, "db.lock"), hourAgo, hourAgo);
    const reused = await runInPidNamespace(
      data,
      `sleep 60 & "$NODE" "$MAIN" ask --session s "Who is the Mossad chief?"; code=$?; kill $!; exit $code`,
    );
    expect(reused.stderr).toMatch(/Taking over a stale database lock: pid 2 now belongs to another process/);
    expect(reused.code).toBe(0);

    // A storybot holding the lock in the namespace is not taken over.
    const held = await runInPidNamespace(
      data,
      `"$NODE" -e '
        const { openStore } = await import(process.env.STORE);
        await openStore({ dataDir: process.env.DATA_DIR, log: (await import(process.env.LOG)).silentLogger(), clock: () => new Date() });
        console.log("holding");
        setTimeout(() => {}, 60_000);
      ' --input-type=module > "$DATA_DIR/holder.out" &
      while ! grep -q holding "$DATA_DIR/holder.out" 2>/dev/null; do sleep 0.1; done
      "$NODE" "$MAIN" ask --session s "Who is the Mossad chief?"; code=$?; kill $!; exit $code`
        .replaceAll("process.env.STORE", JSON.stringify(path.join(ROOT, "src/store/lowdbStore.ts")))
        .replaceAll("process.env.LOG", JSON.stringify(path.join(ROOT, "src/log.ts"))),
    );
    expect(held.code).toBe(1);
    expect(held.stderr.trim()).toMatch(
      /^storybot: Another storybot is using .* \(pid 2\)\. Stop it first\.$/,
    );
  });
});
