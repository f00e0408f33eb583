// One process owns a data directory: two bots on one database would overwrite each other's writes
// (and answer every interaction twice). The lock is a file holding the owner's pid, created with the
// exclusive 'wx' flag; a lock left by a process that is gone is taken over.

import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../errors.ts";
import type { Logger } from "../log.ts";

/** Safe to show as it is: it names the folder and the process that holds it. */
export class StoreLockedError extends UserError {
  override name = "StoreLockedError";
  readonly pid: number;
  constructor(dir: string, pid: number) {
    super(`Another storybot is using ${dir} (pid ${pid}). Stop it first.`);
    this.pid = pid;
  }
}

export interface StoreLock {
  readonly file: string;
  release(): Promise<void>;
}

export async function acquireLock(dir: string, log: Logger): Promise<StoreLock> {
  const file = path.join(dir, "db.lock");
  const pid = process.pid;
  const create = async () => {
    try {
      await writeFile(file, `${pid}\n`, { flag: "wx" });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
      throw error;
    }
  };
  if (!(await create())) {
    const owner = await readOwner(file);
    if (owner !== undefined && isAlive(owner)) throw new StoreLockedError(dir, owner);
    log.warn(
      { lock: file, pid: owner },
      "Taking over a database lock left by a process that is no longer running",
    );
    // Remove it only if it is still the stale one: another process may have just taken it over.
    if ((await readOwner(file)) === owner) await rm(file, { force: true });
    // Losing this second race means another process took the lock in between.
    if (!(await create())) throw new StoreLockedError(dir, (await readOwner(file)) ?? 0);
  }
  return { file, release: () => releaseLock(file, pid) };
}

async function releaseLock(file: string, pid: number): Promise<void> {
  if ((await readOwner(file)) === pid) await rm(file, { force: true });
}

/** The pid in the lock file; undefined when it is missing or unreadable (a torn lock is stale). */
async function readOwner(file: string): Promise<number | undefined> {
  try {
    const pid = Number.parseInt(await readFile(file, "utf8"), 10);
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
