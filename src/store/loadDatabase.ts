// Loads db.json, surviving whatever a crash or a full disk left behind: an unfinished temp file is
// removed (db.json still holds the last complete save), and a damaged db.json is moved aside, kept
// for inspection, and replaced by the newest backup that loads, or else by an empty database.
import { rename, rm, stat } from "node:fs/promises";
import type { Low } from "lowdb";
import type { Logger } from "../log.ts";
import { CorruptDatabaseError, DatabaseFile } from "./databaseFile.ts";
import type { DbState } from "./dbSchema.ts";
import { fileExists } from "./fileExists.ts";
import { backupPaths } from "./rotateBackups.ts";
import { tempPathFor } from "./writeAtomically.ts";

export type LoadOutcome =
  /** db.json loaded as it was. */
  | "loaded"
  /** No db.json yet: a new, empty database. */
  | "new"
  /** db.json was damaged and has been moved aside; the state came from a backup or is empty. */
  | "recovered";

export async function loadDatabase(
  db: Low<DbState>,
  file: string,
  clock: () => Date,
  log: Logger,
): Promise<LoadOutcome> {
  const temp = tempPathFor(file);
  if (await fileExists(temp)) {
    // The rename that ends every write never happened, so this is a partial or unconfirmed save.
    await rm(temp, { force: true });
    log.warn({ file: temp }, "Removed an unfinished database write left by an interrupted process");
  }
  let reason: string;
  try {
    const state = await db.adapter.read();
    if (!state) return "new";
    db.data = state;
    return "loaded";
  } catch (error) {
    if (!(error instanceof CorruptDatabaseError)) throw error;
    reason = error.message;
  }
  const movedTo = await moveAside(file, clock);
  for (const backup of backupPaths(file)) {
    try {
      const state = await new DatabaseFile(backup).read();
      if (!state) continue;
      db.data = state;
      // Backups are taken at intervals: say how old this one is, since what came after it is lost.
      const savedAt = (await stat(backup)).mtime.toISOString();
      log.warn(
        { file, reason, movedTo, restoredFrom: backup, backupSavedAt: savedAt },
        `The database could not be used because ${reason}. It was moved to ${movedTo}; restored the backup ${backup}, saved at ${savedAt} (changes after that are not in it).`,
      );
      return "recovered";
    } catch (error) {
      if (!(error instanceof CorruptDatabaseError)) throw error;
      log.warn({ backup, reason: error.message }, "Skipping a database backup that cannot be used");
    }
  }
  log.warn(
    { file, reason, movedTo },
    `The database could not be used because ${reason}. It was moved to ${movedTo}; no usable backup, starting empty.`,
  );
  return "recovered";
}

/** Renames the damaged file to `db.json.corrupt-<time>`, never overwriting an earlier one. */
async function moveAside(file: string, clock: () => Date): Promise<string> {
  const stamp = clock().toISOString().replaceAll(":", "-").replace(".", "-");
  let target = `${file}.corrupt-${stamp}`;
  for (let n = 1; await fileExists(target); n++) target = `${file}.corrupt-${stamp}-${n}`;
  await rename(file, target);
  return target;
}
