// A few rotated copies of db.json, so that a damaged file can be replaced by a recent good one.
// Only files the store has just validated or written are copied, so every backup is loadable.
import { constants } from "node:fs";
import { copyFile, rename, stat } from "node:fs/promises";

export const BACKUP_COUNT = 3;
/** A new backup at most this often: older backups then reach back a few hours, not a few writes. */
export const BACKUP_INTERVAL_MS = 30 * 60_000;

/** `db.json.bak-1` (newest) .. `db.json.bak-3` (oldest). */
export function backupPaths(file: string): string[] {
  return Array.from({ length: BACKUP_COUNT }, (_, i) => `${file}.bak-${i + 1}`);
}

/** Rotates when the newest backup is missing or older than the interval (by file times, both on this disk). */
export async function rotateBackupsIfDue(file: string): Promise<boolean> {
  const [newest] = backupPaths(file);
  const [current, previous] = await Promise.all([mtimeOf(file), mtimeOf(newest as string)]);
  if (current === undefined) return false;
  if (previous !== undefined && current - previous < BACKUP_INTERVAL_MS) return false;
  await rotateBackups(file);
  return true;
}

async function rotateBackups(file: string): Promise<void> {
  const paths = backupPaths(file);
  for (let i = paths.length - 1; i > 0; i--) {
    await rename(paths[i - 1] as string, paths[i] as string).catch(ignoreMissing);
  }
  // Copy then rename, so a crash mid-copy never leaves a torn backup under a backup's name.
  // FICLONE makes the copy a cheap reflink where the file system supports it.
  const temp = `${paths[0]}.tmp`;
  await copyFile(file, temp, constants.COPYFILE_FICLONE);
  await rename(temp, paths[0] as string);
}

async function mtimeOf(file: string): Promise<number | undefined> {
  try {
    return (await stat(file)).mtimeMs;
  } catch (error) {
    ignoreMissing(error);
    return undefined;
  }
}

function ignoreMissing(error: unknown): void {
  if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
}
