// The store's failures that an operator must read in one line, with the real cause: they are UserErrors,
// so the CLI prints them as they are, without a stack trace.
import { UserError } from "../errors.ts";
import { fileErrorCause } from "../fileErrorCause.ts";
import { DB_VERSION } from "./dbSchema.ts";
import type { Unsaved } from "./writeBehind.ts";

/** The database could not be opened: a full or read-only disk, no permission. */
export class StoreOpenError extends UserError {
  override name = "StoreOpenError";
  constructor(dir: string, cause: unknown) {
    super(`Cannot open the database in ${dir}: ${describe(cause)}.`, { cause });
  }
}

/** db.json was written by a newer storybot, whose records this one cannot read without losing them. */
export class NewerDatabaseError extends UserError {
  override name = "NewerDatabaseError";
  constructor(file: string, version: number) {
    super(
      `${file} was written by a newer storybot (database version ${version}; this one reads version ${DB_VERSION}). Run the newer storybot, or restore a backup by hand.`,
    );
  }
}

/** The final save at shutdown failed: says what is lost and why. */
export class UnsavedChangesError extends UserError {
  override name = "UnsavedChangesError";
  readonly unsaved: Unsaved;
  constructor(file: string, unsaved: Unsaved, cause: unknown) {
    const turns = `the last ${unsaved.turns} conversation turn${unsaved.turns === 1 ? "" : "s"}`;
    const others = `${unsaved.otherChanges} other change${unsaved.otherChanges === 1 ? "" : "s"}`;
    const what =
      unsaved.turns > 0 && unsaved.otherChanges > 0
        ? `${turns} and ${others}`
        : unsaved.turns > 0
          ? turns
          : `the last ${others.replace(" other", "")}`;
    super(`Could not save ${what}: ${describe(cause)}. ${file} keeps the last good save.`, { cause });
    this.unsaved = unsaved;
  }
}

function describe(cause: unknown): string {
  return fileErrorCause(cause) ?? (cause instanceof Error ? cause.message : String(cause));
}
