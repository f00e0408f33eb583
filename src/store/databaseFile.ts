// The lowdb adapter for db.json. Reading validates the whole file; writing is atomic (temp file,
// fsync, rename, like lowdb's own steno writer, whose temp name `.db.json.tmp` it shares) and
// streamed: records are serialised in small slices with the event loop free in between, so even a
// database with 100k messages never blocks answering for more than a moment while it is saved.
import { open, readFile, rename } from "node:fs/promises";
import path from "node:path";
import type { Adapter } from "lowdb";
import { z } from "zod";
import { DB_VERSION, type DbState, stateFromJson } from "./dbSchema.ts";

/** Characters of JSON gathered before handing them to the file; bounds each slice of serialising to
 * about a millisecond. */
const CHUNK_CHARS = 64 * 1024;

/** The file exists but cannot be used; the message says why, for the log. */
export class CorruptDatabaseError extends Error {
  override name = "CorruptDatabaseError";
}

/** Where an unfinished write is left: the same name lowdb's steno writer uses. */
export function tempPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
}

export class DatabaseFile implements Adapter<DbState> {
  readonly file: string;

  constructor(file: string) {
    this.file = file;
  }

  /** null when the file does not exist; throws CorruptDatabaseError when it is not a valid database. */
  async read(): Promise<DbState | null> {
    let content: string;
    try {
      content = await readFile(this.file, "utf8");
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw error;
    }
    if (content.trim() === "") throw new CorruptDatabaseError("the file is empty");
    let json: unknown;
    try {
      json = JSON.parse(content);
    } catch (error) {
      const nul = content.includes("\u0000") ? " (it contains NUL bytes)" : "";
      throw new CorruptDatabaseError(`it is not valid JSON${nul}: ${(error as Error).message}`);
    }
    try {
      return stateFromJson(json);
    } catch (error) {
      if (!(error instanceof z.ZodError)) throw error;
      const issue = error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
      throw new CorruptDatabaseError(`it does not match the database schema${where}: ${issue?.message}`);
    }
  }

  async write(state: DbState): Promise<void> {
    const pieces = serialise(state);
    const temp = tempPathFor(this.file);
    const handle = await open(temp, "w");
    try {
      let chunk = "";
      for (const piece of pieces) {
        chunk += piece;
        if (chunk.length >= CHUNK_CHARS) {
          // Awaiting the file lets pending interactions run between slices.
          await handle.write(chunk);
          chunk = "";
        }
      }
      await handle.write(chunk);
      // On disk before the rename, so a crash leaves either the old file or the new one, whole.
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, this.file);
  }
}

/** The file's text, one record a line. The snapshot is taken on the call; the text is produced lazily. */
function serialise(state: DbState): Iterable<string> {
  // Records are replaced, never changed in place, so copying the references now is a consistent
  // snapshot however long the slices of serialising take.
  const sections: [string, unknown[]][] = [
    ["conversations", [...state.conversations.values()]],
    ["answers", [...state.answers.values()]],
    ["guilds", [...state.guilds.values()]],
    ["summaryPosts", [...state.summaryPosts.values()]],
  ];
  const meta = [...state.meta];
  return (function* () {
    yield `{"version":${DB_VERSION}`;
    for (const [name, records] of sections) {
      yield `,\n"${name}":[`;
      for (let i = 0; i < records.length; i++) yield `${i ? "," : ""}\n${JSON.stringify(records[i])}`;
      yield "]";
    }
    yield `,\n"meta":[`;
    // Meta values are kept as JSON text already.
    for (let i = 0; i < meta.length; i++) {
      const [key, value] = meta[i] as [string, string];
      yield `${i ? "," : ""}\n{"key":${JSON.stringify(key)},"value":${value}}`;
    }
    yield "]}\n";
  })();
}
