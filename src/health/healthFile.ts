// The running bot's health signal for supervisors (systemd, Docker, a monitoring script): a small
// JSON file in DATA_DIR, rewritten every few seconds while the bot runs. `storybot status` reads it;
// a file that stops being refreshed means a bot that is gone or stuck, whatever it last said.
import { readFile, rename, writeFile } from "node:fs/promises";
import path from "node:path";

export type HealthState = "connecting" | "ready" | "stopped";

export interface Health {
  pid: number;
  state: HealthState;
  /** When the file was last written: the bot's heartbeat. */
  updatedAt: string;
  startedAt: string;
  /** The bot's Discord user and how many servers it is in, once connected. */
  user?: string;
  guilds?: number;
}

export const HEARTBEAT_MS = 15_000;
/** Heartbeats missed before a file counts as stale: a busy event loop may delay one or two. */
export const STALE_AFTER_MS = 4 * HEARTBEAT_MS;

export function healthFile(dataDir: string): string {
  return path.join(dataDir, "health.json");
}

export interface HealthWriter {
  stop(): Promise<void>;
}

/** Writes the file now and every HEARTBEAT_MS with what `probe` says, until stop() writes "stopped". */
export function startHealthFile(
  file: string,
  probe: () => Pick<Health, "state" | "user" | "guilds">,
  clock: () => Date = () => new Date(),
): HealthWriter {
  const startedAt = clock().toISOString();
  let writing = Promise.resolve();
  const write = (current: Pick<Health, "state" | "user" | "guilds">) => {
    const health: Health = { pid: process.pid, ...current, updatedAt: clock().toISOString(), startedAt };
    // One write at a time, each whole (temporary file, then rename): a reader never sees half a file.
    writing = writing
      .then(async () => {
        const temporary = `${file}.${process.pid}.tmp`;
        await writeFile(temporary, `${JSON.stringify(health)}\n`);
        await rename(temporary, file);
      })
      .catch(() => undefined);
    return writing;
  };
  void write(probe());
  const timer = setInterval(() => void write(probe()), HEARTBEAT_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await write({ state: "stopped" });
    },
  };
}

export async function readHealth(file: string): Promise<Health | undefined> {
  try {
    return JSON.parse(await readFile(file, "utf8")) as Health;
  } catch {
    return undefined;
  }
}

/** Healthy means connected to Discord, recently heard from, and (when it can be seen) running. */
export function judgeHealth(
  health: Health | undefined,
  now: Date,
  isRunning: (pid: number) => boolean,
): { healthy: boolean; line: string } {
  if (!health)
    return { healthy: false, line: "not running: no health file (has `storybot start` run here?)" };
  const ageMs = now.getTime() - Date.parse(health.updatedAt);
  const age = `${Math.max(0, Math.round(ageMs / 1000))} s ago`;
  if (health.state === "stopped") return { healthy: false, line: `not running: stopped ${age}` };
  if (!isRunning(health.pid)) return { healthy: false, line: `not running: process ${health.pid} is gone` };
  if (!(ageMs <= STALE_AFTER_MS))
    return { healthy: false, line: `stuck: pid ${health.pid} last wrote its health file ${age}` };
  if (health.state !== "ready")
    return { healthy: false, line: `not connected: pid ${health.pid} is connecting to Discord (${age})` };
  const who = health.user ? ` as ${health.user}` : "";
  const servers =
    health.guilds === undefined ? "" : ` in ${health.guilds} server${health.guilds === 1 ? "" : "s"}`;
  return { healthy: true, line: `running: pid ${health.pid}, connected to Discord${who}${servers} (${age})` };
}

/** Whether a process with this pid exists (on this machine, or in this container). */
export function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
