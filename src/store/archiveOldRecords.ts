// When db.json would grow past its size limit, the oldest conversations and answer records move out
// of it into an archive instead: `<dataDir>/archive/<time>/db.json`, a database of its own in the same
// format (open it with DATA_DIR pointing there, or bring it into PostgreSQL with `db import`, before
// DATA_DIR itself: an import replaces a conversation's turns with the imported ones). So
// nothing is deleted, and db.json stays a file the store can read back. The archive is written and on
// the disk before anything leaves db.json: a crash in between leaves a record in both, never in neither.

import path from "node:path";
import { setImmediate as nextTurn } from "node:timers/promises";
import { ensureDirectory } from "../ensureDirectory.ts";
import { DatabaseFile } from "./databaseFile.ts";
import { type Conversation, type DbState, emptyState } from "./dbSchema.ts";
import { fileExists } from "./fileExists.ts";
import { recordJson } from "./recordJson.ts";
import type { StoredAnswer } from "./storedAnswer.ts";
import type { AtomicWriteIo } from "./writeAtomically.ts";

/** Records measured between turns of the event loop: a few milliseconds each. */
const SLICE = 1_000;
/** The file's fixed text (version, section names, brackets), generously. */
const FRAME_BYTES = 256;

type Unit = { kind: "conversation"; record: Conversation } | { kind: "answer"; record: StoredAnswer };

export interface ArchivePlan {
  /** Oldest first; as they were when measured (records are replaced, never changed in place). */
  conversations: Conversation[];
  answers: StoredAnswer[];
  /** The size of the whole database as measured, in UTF-8 bytes of db.json. */
  totalBytes: number;
}

/**
 * The oldest conversations (by last activity) and answer records (by time) whose removal brings
 * db.json down to `targetBytes`. Measuring yields to the event loop, so the bot goes on answering.
 */
export async function planArchive(state: DbState, targetBytes: number): Promise<ArchivePlan> {
  const units: { unit: Unit; at: number; bytes: number }[] = [];
  let totalBytes = FRAME_BYTES;
  let measured = 0;
  const pause = async () => {
    if (++measured % SLICE === 0) await nextTurn();
  };
  const snapshot = {
    conversations: [...state.conversations.values()],
    answers: [...state.answers.values()],
    others: [...state.guilds.values(), ...state.summaryPosts.values()],
    meta: [...state.meta],
  };
  for (const record of snapshot.conversations) {
    const bytes = recordBytes(record);
    units.push({ unit: { kind: "conversation", record }, at: time(record.updatedAt), bytes });
    totalBytes += bytes;
    await pause();
  }
  for (const record of snapshot.answers) {
    const bytes = Buffer.byteLength(record.json) + 2;
    units.push({ unit: { kind: "answer", record }, at: time(record.at), bytes });
    totalBytes += bytes;
    await pause();
  }
  for (const record of snapshot.others) {
    totalBytes += recordBytes(record);
    await pause();
  }
  for (const [key, value] of snapshot.meta)
    totalBytes += Buffer.byteLength(key) + Buffer.byteLength(value) + 20;

  // Stable: records of the same time keep the file's order.
  units.sort((a, b) => a.at - b.at);
  const plan: ArchivePlan = { conversations: [], answers: [], totalBytes };
  let remaining = totalBytes;
  for (const { unit, bytes } of units) {
    if (remaining <= targetBytes) break;
    if (unit.kind === "conversation") plan.conversations.push(unit.record);
    else plan.answers.push(unit.record);
    remaining -= bytes;
  }
  return plan;
}

/**
 * Writes the plan's records as one or more archive databases of about half `maxBytes` each, so every
 * part opens again as easily as db.json; returns their directories.
 */
export async function writeArchive(
  dataDir: string,
  plan: ArchivePlan,
  now: Date,
  io: AtomicWriteIo | undefined,
  maxBytes: number,
): Promise<string[]> {
  const partBytes = maxBytes / 2;
  const parts: DbState[] = [];
  let part = emptyState();
  let bytes = FRAME_BYTES;
  const add = (size: number, put: (state: DbState) => void) => {
    if (bytes + size > partBytes && bytes > FRAME_BYTES) {
      parts.push(part);
      part = emptyState();
      bytes = FRAME_BYTES;
    }
    put(part);
    bytes += size;
  };
  for (const record of plan.conversations)
    add(recordBytes(record), (s) => s.conversations.set(record.key, record));
  for (const record of plan.answers)
    add(Buffer.byteLength(record.json) + 2, (s) => s.answers.set(record.id, record));
  parts.push(part);

  const stamp = now.toISOString().replaceAll(":", "-").replace(".", "-");
  const dirs: string[] = [];
  for (const [i, state] of parts.entries()) {
    const dir = await freshDirectory(
      path.join(dataDir, "archive", parts.length > 1 ? `${stamp}-part${i + 1}` : stamp),
    );
    // The same size limit as db.json: an archive must open as well as the database it came from.
    await new DatabaseFile(path.join(dir, "db.json"), io, maxBytes).write(state);
    dirs.push(dir);
  }
  return dirs;
}

/** A new directory at `dir`, or beside it with a number, never reusing an earlier archive. */
async function freshDirectory(dir: string): Promise<string> {
  let target = dir;
  for (let n = 1; await fileExists(target); n++) target = `${dir}-${n}`;
  await ensureDirectory(target);
  return target;
}

/** What a record takes in db.json: its JSON and the comma and newline before it. */
function recordBytes(record: object): number {
  return Buffer.byteLength(recordJson(record)) + 2;
}

/** Unreadable times count as recent, as for retention: archived last. */
function time(at: string): number {
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
}
