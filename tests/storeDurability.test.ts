// How soon changes reach the disk, and what a full disk does: the write-behind's start rule with a
// fake clock, then the lowdb store on a file system that fills up (injected, so it runs anywhere; the
// real-disk version is tests/fullDisk.test.ts).
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { APOLOGY, userMessage } from "../src/errors.ts";
import { createLogger, silentLogger } from "../src/log.ts";
import { openStore, StoreOpenError, UnsavedChangesError } from "../src/store/lowdbStore.ts";
import { type AtomicWriteIo, nodeIo, writeAtomically } from "../src/store/writeAtomically.ts";
import { WriteBehind } from "../src/store/writeBehind.ts";
import { useTempStores } from "./testHelpers.ts";

const { tempDir, track } = useTempStores("storybot-durable-");
const clock = () => new Date("2025-06-01T12:00:00.000Z");
const owner = { scope: "cli", userId: "s" };
const turn = (content: string) => [
  { role: "user" as const, content, at: clock().toISOString() },
  { role: "assistant" as const, content: `answer to ${content}`, at: clock().toISOString() },
];

/**
 * Lets real file system calls finish (fake timers stop only timeouts and the monotonic clock), until
 * `done` holds; gives up after 10 s of wall-clock time (Date is not faked).
 */
async function settle(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (let i = 0; Date.now() < deadline; i++) {
    await new Promise((resolve) => setImmediate(resolve));
    if (i >= 20 && done()) return;
  }
  throw new Error(`not settled: ${done}`);
}

/** Runs microtasks only: what a batch reading buffered lines does between answers. */
async function microtasks(n = 10): Promise<void> {
  for (let i = 0; i < n; i++) await Promise.resolve();
}

describe("WriteBehind: when a write starts", () => {
  it("starts a due write on the next change, even when no timer ever runs", async () => {
    let now = 0;
    const writes: number[] = [];
    const writer = new WriteBehind(
      async () => {
        writes.push(now);
      },
      silentLogger(),
      { delayMs: 100, now: () => now },
    );
    // A batch answering every 5 ms without ever yielding to timers.
    for (let i = 0; i < 40; i++) {
      writer.markDirty(2);
      await microtasks();
      now += 5;
    }
    writer.stop();
    expect(writes.length).toBeGreaterThanOrEqual(1);
    // The first change was at 0: its write started on the first change at or after 100 ms.
    expect(writes[0]).toBe(100);
  });

  it("after a slow write waits as long as it took, but never past the loss bound", async () => {
    let now = 0;
    let duration = 0;
    const starts: number[] = [];
    const writer = new WriteBehind(
      async () => {
        starts.push(now);
        now += duration;
      },
      silentLogger(),
      { delayMs: 100, maxLagMs: 1_000, now: () => now },
    );
    // A 300 ms write: the next change waits 300 ms after it ended (saving at most half the time).
    duration = 300;
    writer.markDirty();
    await writer.flush();
    const ended = now;
    writer.markDirty();
    now = ended + 299;
    writer.markDirty();
    await microtasks();
    expect(starts).toHaveLength(1);
    now = ended + 300;
    writer.markDirty();
    await microtasks();
    expect(starts).toEqual([0, ended + 300]);

    // An 800 ms write: waiting 800 ms would put a change on disk 1.6 s later, so the next write starts
    // 1,000 - 800 = 200 ms after the change, to finish within the bound.
    duration = 800;
    writer.markDirty();
    await writer.flush();
    const changedAt = now;
    writer.markDirty();
    now = changedAt + 199;
    writer.markDirty();
    await microtasks();
    expect(starts).toHaveLength(3);
    now = changedAt + 200;
    writer.markDirty();
    await microtasks();
    expect(starts).toHaveLength(4);
    expect(starts[3]).toBe(changedAt + 200);
    writer.stop();
  });

  it("counts what is not saved: turns and other changes, through failed writes, until one succeeds", async () => {
    let fail = true;
    const writer = new WriteBehind(
      async () => {
        if (fail) throw Object.assign(new Error("no space left on device"), { code: "ENOSPC" });
      },
      silentLogger(),
      { delayMs: 60_000, maxLagMs: 120_000 },
    );
    writer.markDirty(2);
    writer.markDirty(2);
    writer.markDirty();
    expect(writer.unsaved()).toEqual({ turns: 4, otherChanges: 1 });
    await expect(writer.flush()).rejects.toMatchObject({ code: "ENOSPC" });
    writer.markDirty(2);
    expect(writer.unsaved()).toEqual({ turns: 6, otherChanges: 1 });
    fail = false;
    await writer.flush();
    expect(writer.unsaved()).toEqual({ turns: 0, otherChanges: 0 });
    writer.stop();
  });
});

describe("writeAtomically: the order that survives a power cut", () => {
  /** Real file system calls, recorded. */
  function recordingIo(calls: string[], failWrite = false): AtomicWriteIo {
    return {
      async create(file) {
        calls.push(`create ${path.basename(file)}`);
        const sink = await nodeIo.create(file);
        return {
          async write(text: string) {
            if (failWrite) throw Object.assign(new Error("no space"), { code: "ENOSPC" });
            calls.push("write");
            return sink.write(text);
          },
          async sync() {
            calls.push("fsync file");
            await sink.sync();
          },
          async close() {
            calls.push("close");
            await sink.close();
          },
        };
      },
      async rename(from, to) {
        calls.push(`rename ${path.basename(from)} -> ${path.basename(to)}`);
        await nodeIo.rename(from, to);
      },
      async remove(file) {
        calls.push(`remove ${path.basename(file)}`);
        await nodeIo.remove(file);
      },
      async syncDirectory(dir) {
        calls.push(`fsync directory ${path.basename(dir)}`);
        await nodeIo.syncDirectory(dir);
      },
    };
  }

  it("writes a temp file, fsyncs it, renames it over the file, then fsyncs the directory", async () => {
    const dir = await tempDir();
    const calls: string[] = [];
    await writeAtomically(path.join(dir, "db.json"), ["{", "}"], recordingIo(calls));
    expect(calls).toEqual([
      "create .db.json.tmp",
      "write",
      "fsync file",
      "close",
      "rename .db.json.tmp -> db.json",
      `fsync directory ${path.basename(dir)}`,
    ]);
    expect(await readFile(path.join(dir, "db.json"), "utf8")).toBe("{}");
  });

  it("on a failed write, leaves the old file and removes the temp file", async () => {
    const dir = await tempDir();
    await writeAtomically(path.join(dir, "db.json"), ["old"]);
    const calls: string[] = [];
    await expect(
      writeAtomically(path.join(dir, "db.json"), ["new"], recordingIo(calls, true)),
    ).rejects.toMatchObject({
      code: "ENOSPC",
    });
    expect(calls).toEqual(["create .db.json.tmp", "close", "remove .db.json.tmp"]);
    expect(await readFile(path.join(dir, "db.json"), "utf8")).toBe("old");
    expect(await readdir(dir)).toEqual(["db.json"]);
  });
});

/** Real file system calls, except that writes fail with ENOSPC while `full` is set. */
function fillableDisk() {
  const disk = { full: false, attempts: 0 };
  const enospc = () =>
    Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", syscall: "write" });
  const io: AtomicWriteIo = {
    ...nodeIo,
    async create(file) {
      const sink = await nodeIo.create(file);
      disk.attempts++;
      return {
        async write(text: string) {
          // Like a real full disk: part of the text lands, then the write fails.
          if (disk.full) {
            await sink.write(text.slice(0, 100));
            throw enospc();
          }
          return sink.write(text);
        },
        sync: () => sink.sync(),
        close: () => sink.close(),
      };
    },
  };
  return { disk, io };
}

describe("lowdb store on a disk that fills up", () => {
  it("keeps answering from memory, keeps the last good db.json, retries with back-off, and says at close what is lost", async () => {
    const dir = await tempDir();
    const { disk, io } = fillableDisk();
    const lines: { level: number; msg: string; err?: unknown }[] = [];
    const log = createLogger("debug", { write: (line: string) => lines.push(JSON.parse(line)) });
    /** Failed saves the store has finished handling (each one logs). */
    const failed = () => lines.filter((l) => /Could not save the database/.test(l.msg)).length;
    // Timeouts and the monotonic clock are fake from the start, so the back-off can be stepped through.
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "performance"] });
    const store = track(await openStore({ dataDir: dir, log, clock, io, writeDelayMs: 0 }));
    let good = "";
    try {
      await store.appendTurns("cli:s", owner, turn("saved before"));
      await store.flush();
      good = await readFile(path.join(dir, "db.json"), "utf8");
      disk.full = true;
      await store.appendTurns("cli:s", owner, turn("while full 1"));
      await settle(() => failed() === 1);
      // Answering goes on: the history is there for the next question.
      await store.appendTurns("cli:s", owner, turn("while full 2"));
      expect((await store.history("cli:s")).map((t) => t.content)).toContain("while full 2");
      // Back-off: no retry before 1 s, one at 1 s, the next 2 s after that.
      await vi.advanceTimersByTimeAsync(999);
      await settle(() => true);
      expect(failed()).toBe(1);
      await vi.advanceTimersByTimeAsync(1);
      await settle(() => failed() === 2);
      await vi.advanceTimersByTimeAsync(1_999);
      await settle(() => true);
      expect(failed()).toBe(2);
      await vi.advanceTimersByTimeAsync(1);
      await settle(() => failed() === 3);
    } finally {
      vi.useRealTimers();
    }
    // The last good file is untouched and no partial temp file takes the space that is left.
    expect(await readFile(path.join(dir, "db.json"), "utf8")).toBe(good);
    expect((await readdir(dir)).filter((name) => name.endsWith(".tmp"))).toEqual([]);
    // The failure is logged as an error once (retries only at debug level), with its cause and no stack.
    const failures = lines.filter((l) => /Could not save the database/.test(l.msg));
    expect(failures.map((l) => l.level)).toEqual([50, 20, 20]);
    expect(failures[0]?.msg).toMatch(/the disk is full \(ENOSPC\)/);
    expect(failures.every((l) => l.err === undefined)).toBe(true);

    const closing = await store.close().then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(closing).toBeInstanceOf(UnsavedChangesError);
    expect((closing as Error).message).toBe(
      `Could not save the last 4 conversation turns: the disk is full (ENOSPC). ${path.join(dir, "db.json")} keeps the last good save.`,
    );
    // The lock is released all the same.
    expect((await readdir(dir)).includes("db.lock")).toBe(false);
  });

  it("saves everything once space is free again", async () => {
    const dir = await tempDir();
    const { disk, io } = fillableDisk();
    const store = track(await openStore({ dataDir: dir, log: silentLogger(), clock, io, writeDelayMs: 0 }));
    disk.full = true;
    await store.appendTurns("cli:s", owner, turn("while full"));
    await expect(store.flush()).rejects.toMatchObject({ code: "ENOSPC" });
    disk.full = false;
    await store.close();
    expect(await readFile(path.join(dir, "db.json"), "utf8")).toContain("while full");
  });

  it("refuses to open with one line naming the cause when it cannot write", async () => {
    const dir = await tempDir();
    // A damaged db.json must be rewritten at once, which a full disk refuses.
    await import("node:fs/promises").then((fs) => fs.writeFile(path.join(dir, "db.json"), "{ torn"));
    const { disk, io } = fillableDisk();
    disk.full = true;
    const opening = openStore({ dataDir: dir, log: silentLogger(), clock, io });
    await expect(opening).rejects.toBeInstanceOf(StoreOpenError);
    await expect(opening).rejects.toThrow(`Cannot open the database in ${dir}: the disk is full (ENOSPC).`);
    expect((await readdir(dir)).includes("db.lock")).toBe(false);
  });
});

describe("what users and the CLI are told", () => {
  it("names a full or read-only disk instead of the apology, without a path", () => {
    const enospc = Object.assign(new Error("ENOSPC: no space left on device, write '/srv/data/x'"), {
      code: "ENOSPC",
    });
    expect(userMessage(enospc)).toBe(
      "Sorry, storybot could not use its data files: the disk is full (ENOSPC).",
    );
    expect(userMessage(Object.assign(new Error("x"), { code: "EROFS" }))).toMatch(/read-only \(EROFS\)/);
    expect(userMessage(new Error("anything else"))).toBe(APOLOGY);
  });
});
