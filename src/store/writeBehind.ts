// Saves the database behind the answers: a mutation marks it dirty and returns at once; a short
// debounce later one whole-file write saves everything accepted so far. At most one write is in
// flight and at most one more is pending, so a burst of 100 answers costs one or two rewrites.
import { performance } from "node:perf_hooks";
import type { Logger } from "../log.ts";

const MAX_RETRY_MS = 30_000;

export class WriteBehind {
  readonly #write: () => Promise<void>;
  readonly #delayMs: number;
  readonly #log: Logger;
  #dirty = false;
  #timer: NodeJS.Timeout | undefined;
  #inFlight: Promise<void> | undefined;
  #failures = 0;
  #lastDurationMs = 0;
  #stopped = false;

  constructor(write: () => Promise<void>, delayMs: number, log: Logger) {
    this.#write = write;
    this.#delayMs = delayMs;
    this.#log = log;
  }

  markDirty(): void {
    this.#dirty = true;
    this.#schedule();
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

  #schedule(): void {
    if (this.#stopped || this.#timer || this.#inFlight || !this.#dirty) return;
    // After a slow write, wait at least as long as it took, so saving never takes more than about
    // half the process's time however busy it gets; after failures, back off.
    const delay = this.#failures
      ? Math.min(MAX_RETRY_MS, 1000 * 2 ** (this.#failures - 1))
      : Math.max(this.#delayMs, this.#lastDurationMs);
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      if (this.#dirty) this.#start().catch(() => {});
    }, delay);
  }

  #start(): Promise<void> {
    this.#dirty = false;
    const started = performance.now();
    this.#inFlight = this.#write()
      .then(
        () => {
          this.#failures = 0;
          this.#lastDurationMs = performance.now() - started;
        },
        (error: unknown) => {
          this.#dirty = true;
          this.#failures++;
          this.#log.error(
            { err: error, failures: this.#failures },
            "Could not save the database; will retry",
          );
          throw error;
        },
      )
      .finally(() => {
        this.#inFlight = undefined;
        this.#schedule();
      });
    return this.#inFlight;
  }
}
