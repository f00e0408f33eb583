// Saves the database behind the answers: a mutation marks it dirty and returns at once; shortly after,
// one whole-file write saves everything accepted so far. At most one write is in flight and at most one
// more is pending, so a burst of 100 answers costs one or two rewrites.
//
// The loss bound: a change is on disk within `maxLagMs` (1 s) of being made, provided saves succeed and
// one save takes at most half of that (a save of 100k stored messages takes about 0.2–0.3 s). Hence:
// - a write starts `delayMs` after the first unsaved change (so a burst joins one write), or as soon as
//   the last write ends if that is later — but no later than `maxLagMs` minus the last write's duration
//   after that change;
// - the start is checked on every change too, not only by a timer: a process busy with a batch that never
//   lets a timer run (answers read from a pipe) still starts its writes;
// - after a failure (a full disk), writes retry with back-off, and the loss is reported at close.
import { fileErrorCause } from "../fileErrorCause.ts";
import type { Logger } from "../log.ts";

export const DEFAULT_WRITE_DELAY_MS = 100;
export const DEFAULT_MAX_LAG_MS = 1_000;
const MAX_RETRY_MS = 30_000;

export interface WriteBehindOptions {
  /** How long a write waits for more changes to join it. */
  delayMs?: number;
  /** A change is on disk within this long while saves succeed and stay under half of it. */
  maxLagMs?: number;
  /** Monotonic milliseconds; injectable for tests. */
  now?: () => number;
}

/** What is not on disk yet: conversation turns, and other changes (settings, feedback, records). */
export interface Unsaved {
  turns: number;
  otherChanges: number;
}

const NOTHING: Unsaved = { turns: 0, otherChanges: 0 };

function plus(a: Unsaved, b: Unsaved): Unsaved {
  return { turns: a.turns + b.turns, otherChanges: a.otherChanges + b.otherChanges };
}

export class WriteBehind {
  readonly #write: () => Promise<void>;
  readonly #log: Logger;
  readonly #delayMs: number;
  readonly #maxLagMs: number;
  readonly #now: () => number;
  #dirty = false;
  /** When the oldest change not yet in any write was made. */
  #dirtySince = 0;
  #pending: Unsaved = NOTHING;
  #writing: Unsaved = NOTHING;
  #timer: NodeJS.Timeout | undefined;
  #startQueued = false;
  #inFlight: Promise<void> | undefined;
  #failures = 0;
  #lastError: unknown;
  #lastDurationMs = 0;
  #lastEndedAt = Number.NEGATIVE_INFINITY;
  #stopped = false;

  constructor(write: () => Promise<void>, log: Logger, options: WriteBehindOptions = {}) {
    this.#write = write;
    this.#log = log;
    this.#delayMs = options.delayMs ?? DEFAULT_WRITE_DELAY_MS;
    this.#maxLagMs = options.maxLagMs ?? DEFAULT_MAX_LAG_MS;
    this.#now = options.now ?? (() => performance.now());
  }

  /** Records a change (`turns` of them conversation turns) and makes sure a write will save it. */
  markDirty(turns = 0): void {
    if (!this.#dirty) this.#dirtySince = this.#now();
    this.#dirty = true;
    this.#pending = plus(
      this.#pending,
      turns > 0 ? { turns, otherChanges: 0 } : { turns: 0, otherChanges: 1 },
    );
    if (this.#stopped || this.#inFlight) return;
    if (this.#now() >= this.#startAt()) this.#queueStart();
    else this.#schedule();
  }

  /** What is not on disk: changes waiting, in a write that has not finished, or in one that failed. */
  unsaved(): Unsaved {
    return plus(this.#pending, this.#writing);
  }

  /** The error of the last write, while writes are failing. */
  get lastError(): unknown {
    return this.#failures > 0 ? this.#lastError : undefined;
  }

  /** Resolves when everything marked so far is on disk; rejects if that write fails. */
  async flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    while (this.#inFlight || this.#dirty) {
      if (this.#inFlight) {
        // A failure here leaves the state dirty, and the loop tries once more itself.
        await this.#inFlight.catch(() => {});
      } else {
        await this.#start();
      }
    }
  }

  /** No more background writes (after the final flush on close). */
  stop(): void {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** When the next write may start (see the loss bound at the top). */
  #startAt(): number {
    if (this.#failures > 0) {
      return this.#lastEndedAt + Math.min(MAX_RETRY_MS, 1000 * 2 ** (this.#failures - 1));
    }
    // After a slow write, wait as long as it took, so saving takes at most about half the time…
    const relaxed = Math.max(this.#dirtySince + this.#delayMs, this.#lastEndedAt + this.#lastDurationMs);
    // …unless that would put the change on disk later than the bound allows.
    const latest = this.#dirtySince + this.#maxLagMs - this.#lastDurationMs;
    return Math.min(relaxed, latest);
  }

  #schedule(): void {
    if (this.#stopped || this.#timer || this.#inFlight || !this.#dirty) return;
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        if (this.#dirty && !this.#inFlight) this.#start().catch(() => {});
      },
      Math.max(0, this.#startAt() - this.#now()),
    );
  }

  /** Starts a write once the mutation that is marking the state dirty has returned. */
  #queueStart(): void {
    if (this.#startQueued) return;
    this.#startQueued = true;
    queueMicrotask(() => {
      this.#startQueued = false;
      if (this.#stopped || this.#inFlight || !this.#dirty) return;
      clearTimeout(this.#timer);
      this.#timer = undefined;
      this.#start().catch(() => {});
    });
  }

  #start(): Promise<void> {
    this.#dirty = false;
    this.#writing = this.#pending;
    this.#pending = NOTHING;
    const started = this.#now();
    this.#inFlight = this.#write()
      .then(
        () => {
          if (this.#failures > 0) {
            this.#log.info({ failures: this.#failures }, "The database is saved again");
          }
          this.#failures = 0;
          this.#writing = NOTHING;
          this.#lastDurationMs = this.#now() - started;
        },
        (error: unknown) => {
          // Nothing of that write reached db.json: its changes wait for the next one.
          this.#dirty = true;
          this.#pending = plus(this.#pending, this.#writing);
          this.#writing = NOTHING;
          this.#failures++;
          this.#lastError = error;
          this.#reportFailure(error);
          throw error;
        },
      )
      .finally(() => {
        this.#lastEndedAt = this.#now();
        this.#inFlight = undefined;
        this.#schedule();
      });
    return this.#inFlight;
  }

  #reportFailure(error: unknown): void {
    const retryInMs = Math.min(MAX_RETRY_MS, 1000 * 2 ** (this.#failures - 1));
    const cause = fileErrorCause(error);
    const fields = { failures: this.#failures, unsavedTurns: this.#pending.turns, retryInMs };
    // A known cause (a full disk) needs no stack trace, and says so once, not every few seconds.
    if (cause) {
      const line = `Could not save the database: ${cause}; answering goes on, db.json keeps the last good save, retrying`;
      if (this.#failures === 1) this.#log.error({ ...fields, cause }, line);
      else this.#log.debug({ ...fields, cause }, line);
    } else {
      this.#log.error({ ...fields, err: error }, "Could not save the database; will retry");
    }
  }
}
