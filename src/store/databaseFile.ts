// The lowdb adapter for db.json. Reading validates the whole file; writing replaces it atomically
// and durably (see writeAtomically) and is streamed: records are serialised in small slices with the
// event loop free in between, so even a database with 100k messages never blocks answering for more
// than a moment while it is saved. A save that would pass the size limit (see databaseSize) stops
// before the file is replaced, so the store never writes a file it could not read back.
import { readFile, stat } from "node:fs/promises";
import type { Adapter } from "lowdb";
import { z } from "zod";
import { UserError } from "../errors.ts";
import {
  DatabaseTooLargeError,
  DEFAULT_MAX_DATABASE_BYTES,
  megabytes,
  READABLE_DATABASE_BYTES,
} from "./databaseSize.ts";
import { DB_VERSION, type DbState, stateFromJson } from "./dbSchema.ts";
import { recordJson } from "./recordJson.ts";
import type { StoredAnswer } from "./storedAnswer.ts";
import { NewerDatabaseError } from "./storeErrors.ts";
import { type AtomicWriteIo, nodeIo, writeAtomically } from "./writeAtomically.ts";

/** Characters of JSON gathered before handing them to the file; bounds each slice of serialising to
 * about a millisecond. */
const CHUNK_CHARS = 64 * 1024;

/** The file exists but cannot be used; the message says why, for the log. */
export class CorruptDatabaseError extends Error {
  override name = "CorruptDatabaseError";
}

export class DatabaseFile implements Adapter<DbState> {
  readonly file: string;
  readonly #io: AtomicWriteIo;
  /** A save that would make the file larger than this (UTF-8 bytes) is refused. */
  readonly maxBytes: number;

  constructor(file: string, io: AtomicWriteIo = nodeIo, maxBytes = DEFAULT_MAX_DATABASE_BYTES) {
    this.file = file;
    this.#io = io;
    this.maxBytes = maxBytes;
  }

  /** null when the file does not exist; throws CorruptDatabaseError when it is not a valid database. */
  async read(): Promise<DbState | null> {
    let content: string;
    try {
      const { size } = await stat(this.file);
      // Only a file written by an older storybot can be this large; reading it would fail with
      // "Invalid string length", so say what it is instead, and leave it as it is.
      if (size > READABLE_DATABASE_BYTES) {
        throw new UserError(
          `${this.file} is ${megabytes(size)}, more than Node can read as one string (${megabytes(READABLE_DATABASE_BYTES)}); it is left untouched`,
        );
      }
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
    // A newer storybot's database is not damaged: it must be neither moved aside nor replaced.
    const version = (json as { version?: unknown } | null)?.version;
    if (typeof version === "number" && version > DB_VERSION) throw new NewerDatabaseError(this.file, version);
    try {
      return stateFromJson(json);
    } catch (error) {
      if (!(error instanceof z.ZodError)) throw error;
      const issue = error.issues[0];
      const where = issue?.path.length ? ` at ${issue.path.join(".")}` : "";
      throw new CorruptDatabaseError(`it does not match the database schema${where}: ${issue?.message}`);
    }
  }

  /** Replaces the file; throws DatabaseTooLargeError, leaving the file as it was, past maxBytes. */
  write(state: DbState): Promise<void> {
    return writeAtomically(
      this.file,
      limited(serialise(state), this.file, this.maxBytes),
      this.#io,
      CHUNK_CHARS,
    );
  }
}

/** Passes the pieces on, counting their UTF-8 bytes; throws once they pass `maxBytes`. */
function* limited(pieces: Iterable<string>, file: string, maxBytes: number): Iterable<string> {
  let bytes = 0;
  for (const piece of pieces) {
    bytes += Buffer.byteLength(piece);
    if (bytes > maxBytes) throw new DatabaseTooLargeError(file, maxBytes);
    yield piece;
  }
}

/** The file's text, one record a line. The snapshot is taken on the call; the text is produced lazily. */
function serialise(state: DbState): Iterable<string> {
  // Records are replaced, never changed in place, so copying the references now is a consistent
  // snapshot however long the slices of serialising take.
  // Answer records are kept as JSON text already (see storedAnswer).
  const sections: [string, unknown[], (record: never) => string][] = [
    ["conversations", [...state.conversations.values()], recordJson],
    ["answers", [...state.answers.values()], (stored: StoredAnswer) => stored.json],
    ["guilds", [...state.guilds.values()], JSON.stringify],
    ["summaryPosts", [...state.summaryPosts.values()], JSON.stringify],
  ];
  const meta = [...state.meta];
  return (function* () {
    yield `{"version":${DB_VERSION}`;
    for (const [name, records, text] of sections) {
      yield `,\n"${name}":[`;
      for (let i = 0; i < records.length; i++) yield `${i ? "," : ""}\n${text(records[i] as never)}`;
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
