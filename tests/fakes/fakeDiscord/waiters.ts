interface Pending {
  check: () => void;
  fail: (error: Error) => void;
}

/**
 * Promise-based waits over the fake's state: each wait re-checks its condition whenever something changes
 * (a request answered, a message created or edited, a gateway event), and fails with a clear message on timeout.
 */
export class Waiters {
  private readonly pending = new Set<Pending>();

  notify(): void {
    for (const p of [...this.pending]) p.check();
  }

  /** Resolves with the first defined result of `check`. */
  until<T>(check: () => T | undefined, timeoutMs: number, describe: () => string): Promise<T> {
    return this.settled(
      () => {
        const value = check();
        return value === undefined ? undefined : { value, changedAtReal: Number.NEGATIVE_INFINITY };
      },
      0,
      timeoutMs,
      describe,
    );
  }

  /** Resolves once `check` has a value that has not changed for `quietMs` real milliseconds. */
  settled<T>(
    check: () => { value: T; changedAtReal: number } | undefined,
    quietMs: number,
    timeoutMs: number,
    describe: () => string,
  ): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let recheck: NodeJS.Timeout | undefined;
      const entry: Pending = {
        check: () => {
          const result = check();
          if (recheck) clearTimeout(recheck);
          recheck = undefined;
          if (!result) return;
          const quietFor = performance.now() - result.changedAtReal;
          if (quietFor >= quietMs) {
            done();
            resolve(result.value);
          } else {
            recheck = setTimeout(entry.check, quietMs - quietFor + 1);
          }
        },
        fail: (error) => {
          done();
          reject(error);
        },
      };
      const timeout = setTimeout(
        () =>
          entry.fail(new Error(`fake Discord: timed out after ${timeoutMs} ms waiting for ${describe()}`)),
        timeoutMs,
      );
      const done = () => {
        clearTimeout(timeout);
        if (recheck) clearTimeout(recheck);
        this.pending.delete(entry);
      };
      this.pending.add(entry);
      entry.check();
    });
  }

  rejectAll(reason: string): void {
    for (const p of [...this.pending]) p.fail(new Error(reason));
  }
}
