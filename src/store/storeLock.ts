// One process owns a data directory: two bots on one database would overwrite each other's writes
// (and answer every interaction twice). The lock is a file created with the exclusive 'wx' flag. Its
// first line is the owner's pid (what older versions read); the second says which process that pid
// was — its start time, the machine's boot and its command line — because a pid alone is not enough:
// - in a container the bot is pid 1 on every start, so after a crash the lock names the new process's
//   own pid;
// - after a restart, a pid is soon reused by some other process.
// A lock is stale, and taken over with a log line, when its pid is our own (and this process does not
// hold it), when no process has that pid, or when the process that has it now is not the one that
// wrote it (another start time, boot or command line; for a lock without those, a process that started
// after the lock was written or that is not node at all).
import { readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { UserError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { type ProcessInfo, procProcessInfo } from "./processInfo.ts";

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

/** What a lock file says about its holder. */
export interface LockRecord {
  pid: number;
  startTicks?: number;
  bootId?: string;
  command?: string;
  /** The lock file's modification time: when it was written. */
  writtenAtMs: number;
}

export interface LockOptions {
  /** Reads other processes' start times and command lines (/proc); tests inject their own. */
  processes?: ProcessInfo;
  /** This process's pid (tests play pid 1). */
  pid?: number;
}

/** A lock younger than its holder by less than this is not called older: start times are read to ~1 s. */
const CLOCK_SLACK_MS = 2_000;

/** Lock files this process holds now: a second open here is refused, not mistaken for a stale lock. */
const heldHere = new Set<string>();

export async function acquireLock(dir: string, log: Logger, options: LockOptions = {}): Promise<StoreLock> {
  const file = path.resolve(dir, "db.lock");
  const processes = options.processes ?? procProcessInfo;
  const pid = options.pid ?? process.pid;
  if (heldHere.has(file)) throw new StoreLockedError(dir, pid);
  const content = lockContent(pid, processes);
  if (!(await create(file, content))) {
    const owner = await readLock(file);
    const reason = owner ? staleReason(owner, pid, processes) : "it is empty or unreadable";
    if (owner && reason === undefined) throw new StoreLockedError(dir, owner.pid);
    log.warn({ lock: file, pid: owner?.pid, reason }, `Taking over a stale database lock: ${reason}`);
    // Remove it only if it is still the stale one: another process may have just taken it over.
    const now = await readLock(file);
    if (now?.pid === owner?.pid && now?.writtenAtMs === owner?.writtenAtMs) await rm(file, { force: true });
    // Losing this second race means another process took the lock in between.
    if (!(await create(file, content))) throw new StoreLockedError(dir, (await readLock(file))?.pid ?? 0);
  }
  heldHere.add(file);
  return {
    file,
    release: async () => {
      heldHere.delete(file);
      if ((await readLock(file))?.pid === pid) await rm(file, { force: true });
    },
  };
}

/** Why the lock's holder is not a live storybot holding it; undefined when it is. */
export function staleReason(lock: LockRecord, ownPid: number, processes: ProcessInfo): string | undefined {
  const { pid } = lock;
  if (pid === ownPid) {
    return `it names this process's own pid ${pid}, so an earlier run with the same pid left it (a restarted container)`;
  }
  if (!processes.exists(pid)) return `its process (pid ${pid}) is no longer running`;
  const bootId = processes.bootId();
  if (lock.bootId && bootId && lock.bootId !== bootId) return "it was written before the machine restarted";
  const startTicks = processes.startTicks(pid);
  if (lock.startTicks !== undefined && startTicks !== undefined && lock.startTicks !== startTicks) {
    return `pid ${pid} now belongs to another process, started after the lock's holder`;
  }
  const command = processes.commandLine(pid);
  if (lock.command && command && lock.command !== command) {
    return `pid ${pid} now runs another program (${truncate(command)})`;
  }
  if (lock.startTicks === undefined) {
    // A lock from an older storybot: only its time and the program now running under its pid tell.
    const startedAt = processes.startedAtMs(pid);
    if (startedAt !== undefined && startedAt > lock.writtenAtMs + CLOCK_SLACK_MS) {
      return `it is older than the process that now has pid ${pid}`;
    }
    if (command && !isNode(command)) return `pid ${pid} is not a storybot process (${truncate(command)})`;
  }
  return undefined;
}

function lockContent(pid: number, processes: ProcessInfo): string {
  const startTicks = processes.startTicks(pid);
  const bootId = processes.bootId();
  const command = processes.commandLine(pid);
  const about = {
    ...(startTicks !== undefined && { startTicks }),
    ...(bootId !== undefined && { bootId }),
    ...(command !== undefined && { command }),
  };
  return `${pid}\n${JSON.stringify(about)}\n`;
}

/** Creates the lock; false when one exists. A lock that could not be written whole is removed again. */
async function create(file: string, content: string): Promise<boolean> {
  try {
    await writeFile(file, content, { flag: "wx" });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return false;
    // On a full disk the file is created but its pid cannot be written: leave no empty lock behind.
    await rm(file, { force: true }).catch(() => undefined);
    throw error;
  }
}

/** The lock's record; undefined when it is missing or has no pid (a torn lock is stale). */
async function readLock(file: string): Promise<LockRecord | undefined> {
  let text: string;
  let writtenAtMs: number;
  try {
    [text, writtenAtMs] = await Promise.all([readFile(file, "utf8"), stat(file).then((s) => s.mtimeMs)]);
  } catch {
    return undefined;
  }
  const [first = "", second = ""] = text.split("\n");
  const pid = Number.parseInt(first, 10);
  if (!(Number.isSafeInteger(pid) && pid > 0)) return undefined;
  let about: Partial<LockRecord> = {};
  try {
    const parsed = JSON.parse(second) as Record<string, unknown>;
    about = {
      ...(typeof parsed.startTicks === "number" && { startTicks: parsed.startTicks }),
      ...(typeof parsed.bootId === "string" && { bootId: parsed.bootId }),
      ...(typeof parsed.command === "string" && { command: parsed.command }),
    };
  } catch {
    // A lock written by an older storybot holds the pid only.
  }
  return { pid, ...about, writtenAtMs };
}

function isNode(command: string): boolean {
  const program = path.basename(command.split(" ")[0] ?? "");
  return /node|bun|deno|storybot/i.test(program) || command.includes("storybot");
}

function truncate(text: string): string {
  return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
