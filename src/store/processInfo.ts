// What the lock needs to know about a process, read from /proc on Linux. Elsewhere only whether the
// pid exists is known, and the lock falls back to that.
import { readFileSync } from "node:fs";

export interface ProcessInfo {
  /** Whether a process with this pid exists (one of another user counts). */
  exists(pid: number): boolean;
  /** Start time in clock ticks since boot (/proc/<pid>/stat, field 22): with the pid, names one process. */
  startTicks(pid: number): number | undefined;
  /** When the process started, in ms since the epoch (to about a second). */
  startedAtMs(pid: number): number | undefined;
  /** The command line, its arguments separated by spaces. */
  commandLine(pid: number): string | undefined;
  /** Changes when the machine restarts. */
  bootId(): string | undefined;
}

/** The kernel's unit for process times in /proc: fixed at 100 per second by its ABI on Linux. */
const TICKS_PER_SECOND = 100;

export const procProcessInfo: ProcessInfo = {
  exists(pid) {
    try {
      process.kill(pid, 0);
      return true;
    } catch (error) {
      // EPERM: the process exists but belongs to someone else.
      return (error as NodeJS.ErrnoException).code === "EPERM";
    }
  },

  startTicks(pid) {
    const stat = readProc(`${pid}/stat`);
    if (!stat) return undefined;
    // The command name (field 2) is in parentheses and may hold spaces or parentheses itself.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields from 3 on; starttime is field 22.
    const ticks = Number(fields[22 - 3]);
    return Number.isSafeInteger(ticks) ? ticks : undefined;
  },

  startedAtMs(pid) {
    const ticks = this.startTicks(pid);
    const btime = /^btime (\d+)$/m.exec(readProc("stat") ?? "")?.[1];
    if (ticks === undefined || btime === undefined) return undefined;
    return Number(btime) * 1000 + (ticks * 1000) / TICKS_PER_SECOND;
  },

  commandLine(pid) {
    const raw = readProc(`${pid}/cmdline`);
    return raw ? raw.replace(/\0+$/, "").replaceAll("\0", " ") : undefined;
  },

  bootId() {
    return readProc("sys/kernel/random/boot_id")?.trim() || undefined;
  },
};

function readProc(name: string): string | undefined {
  try {
    return readFileSync(`/proc/${name}`, "utf8");
  } catch {
    return undefined;
  }
}
