import { spawnSync } from "node:child_process";
import { copyFile, readdir, readFile, stat, utimes, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/log.ts";
import { openStore, StoreLockedError } from "../src/store/lowdbStore.ts";
import { useTempStores } from "./testHelpers.ts";

const { tempDir, track } = useTempStores("storybot-recovery-");

const clock = () => new Date("2025-06-01T12:00:00.000Z");

/** Opens a store whose warnings are collected. */
async function openLogged(dataDir: string) {
  const warnings: { msg: string; [key: string]: unknown }[] = [];
  const log = createLogger("warn", { write: (line: string) => warnings.push(JSON.parse(line)) });
  const store = await openStore({ dataDir, log, clock });
  track(store);
  return { store, warnings };
}

/** A data dir whose db.json holds `note`, and whose newest backup holds it too. */
async function dirWithNote(note: string): Promise<string> {
  const dir = await tempDir();
  const store = await openStore({ dataDir: dir, log: createLogger("silent"), clock });
  await store.setMeta("note", note);
  await store.close();
  expect(await readFile(path.join(dir, "db.json.bak-1"), "utf8")).toContain(note);
  return dir;
}

const damage: [string, (valid: string) => string | Buffer][] = [
  ["truncated", (valid) => valid.slice(0, Math.floor(valid.length / 2))],
  ["empty", () => ""],
  ["NUL-filled", (valid) => Buffer.alloc(valid.length)],
  ["not JSON", () => "this is not a database\n"],
  ["schema-invalid", () => JSON.stringify({ version: 1, conversations: "oops" })],
];

describe("lowdb store: damaged database", () => {
  for (const [kind, corrupt] of damage) {
    it(`moves a ${kind} db.json aside, restores the backup and says so`, async () => {
      const dir = await dirWithNote("from the backup");
      const dbFile = path.join(dir, "db.json");
      const damaged = corrupt(await readFile(dbFile, "utf8"));
      await writeFile(dbFile, damaged);

      const { store, warnings } = await openLogged(dir);

      expect(await store.getMeta("note")).toBe("from the backup");
      const aside = (await readdir(dir)).filter((name) => name.startsWith("db.json.corrupt-"));
      expect(aside).toHaveLength(1);
      // Kept byte for byte, for inspection.
      expect(await readFile(path.join(dir, aside[0] as string))).toEqual(Buffer.from(damaged));
      const restored = warnings.find((w) => w.restoredFrom === `${dbFile}.bak-1`);
      // It says when the backup was saved: what came after is not in it.
      expect(restored?.backupSavedAt).toBe((await stat(`${dbFile}.bak-1`)).mtime.toISOString());
      expect(restored?.msg).toContain(`saved at ${restored?.backupSavedAt}`);
      // db.json is whole again at once.
      expect(JSON.parse(await readFile(dbFile, "utf8")).meta).toEqual([
        { key: "note", value: "from the backup" },
      ]);
    });
  }

  it("refuses a db.json a newer storybot wrote, leaving it and its backups as they are", async () => {
    const dir = await dirWithNote("from the backup");
    const dbFile = path.join(dir, "db.json");
    const newer = JSON.stringify({ version: 99, somethingNew: [] });
    await writeFile(dbFile, newer);
    await expect(openStore({ dataDir: dir, log: createLogger("silent"), clock })).rejects.toThrow(
      /written by a newer storybot \(database version 99; this one reads version 1\)/,
    );
    expect(await readFile(dbFile, "utf8")).toBe(newer);
    expect((await readdir(dir)).some((name) => name.startsWith("db.json.corrupt-"))).toBe(false);
  });

  it("restores the newest backup that loads, skipping a damaged one", async () => {
    const dir = await dirWithNote("newest");
    const older = await dirWithNote("older");
    await copyFile(path.join(older, "db.json"), path.join(dir, "db.json.bak-2"));
    await writeFile(path.join(dir, "db.json.bak-1"), "{ torn");
    await writeFile(path.join(dir, "db.json"), "");

    const { store, warnings } = await openLogged(dir);

    expect(await store.getMeta("note")).toBe("older");
    expect(warnings.some((w) => w.backup === path.join(dir, "db.json.bak-1"))).toBe(true);
    expect(warnings.some((w) => w.restoredFrom === path.join(dir, "db.json.bak-2"))).toBe(true);
  });

  it("starts empty when there is no usable backup, keeping the damaged file", async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, "db.json"), "\u0000\u0000\u0000");

    const { store, warnings } = await openLogged(dir);

    expect(await store.getMeta("note")).toBeUndefined();
    expect(warnings.some((w) => /no usable backup, starting empty/.test(w.msg))).toBe(true);
    expect((await readdir(dir)).some((name) => name.startsWith("db.json.corrupt-"))).toBe(true);
  });

  it("never moves one damaged file over an earlier one", async () => {
    const dir = await tempDir();
    await writeFile(path.join(dir, "db.json"), "first");
    await (await openLogged(dir)).store.close();
    await writeFile(path.join(dir, "db.json"), "second");
    await (await openLogged(dir)).store.close();
    const aside = (await readdir(dir)).filter((name) => name.startsWith("db.json.corrupt-"));
    const contents = await Promise.all(aside.map((name) => readFile(path.join(dir, name), "utf8")));
    expect(contents.sort()).toEqual(["first", "second"]);
  });

  it("removes a leftover temp file from an interrupted write and loads db.json", async () => {
    const dir = await dirWithNote("complete save");
    const temp = path.join(dir, ".db.json.tmp");
    await writeFile(temp, '{"version":1,"conversa');

    const { store, warnings } = await openLogged(dir);

    expect(await store.getMeta("note")).toBe("complete save");
    await expect(stat(temp)).rejects.toMatchObject({ code: "ENOENT" });
    expect(warnings.some((w) => /unfinished database write/.test(w.msg))).toBe(true);
  });

  it("rotates backups after a write once the newest is older than the interval", async () => {
    const dir = await dirWithNote("first");
    const backup = (n: number) => readFile(path.join(dir, `db.json.bak-${n}`), "utf8");
    const { store } = await openLogged(dir);
    const hoursAgo = new Date(Date.now() - 3 * 3_600_000);
    await utimes(path.join(dir, "db.json.bak-1"), hoursAgo, hoursAgo);

    await store.setMeta("note", "second");
    await store.flush();
    expect(await backup(1)).toContain('"second"');
    expect(await backup(2)).toContain('"first"');

    // The newest backup is recent now: the next write leaves the backups alone.
    await store.setMeta("note", "third");
    await store.flush();
    expect(await backup(1)).toContain('"second"');
  });
});

describe("lowdb store: one process per database", () => {
  it("refuses a second open of the same directory while the first is open", async () => {
    const dir = await tempDir();
    const { store } = await openLogged(dir);
    const second = openStore({ dataDir: dir, log: createLogger("silent"), clock });
    await expect(second).rejects.toBeInstanceOf(StoreLockedError);
    await expect(second).rejects.toThrow(
      `Another storybot is using ${dir} (pid ${process.pid}). Stop it first.`,
    );
    await store.close();
    const third = await openLogged(dir);
    expect(third.store).toBeDefined();
  });

  it("takes over a lock left by a process that is gone, with a warning", async () => {
    const dir = await tempDir();
    const gone = spawnSync(process.execPath, ["-e", ""]).pid;
    await writeFile(path.join(dir, "db.lock"), `${gone}\n`);

    const { store, warnings } = await openLogged(dir);

    expect((await readFile(path.join(dir, "db.lock"), "utf8")).split("\n")[0]).toBe(`${process.pid}`);
    expect(warnings.some((w) => w.pid === gone && /no longer running/.test(w.msg))).toBe(true);
    await store.close();
    await expect(stat(path.join(dir, "db.lock"))).rejects.toMatchObject({ code: "ENOENT" });
  });
});
