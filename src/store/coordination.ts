// Work that only one process at a time may do: polling the feeds, registering the slash commands,
// adding an article. With PostgreSQL the database arbitrates between processes and machines
// (advisory locks, see postgres/advisoryLocks.ts); with lowdb there is only one process, so
// arbitrating inside it is enough.

export interface Coordination {
  /** Runs `task` once no other task of that name is running anywhere; waits for its turn. */
  runAlone<T>(name: string, task: () => Promise<T>): Promise<T>;
  /** Runs `task` unless a task of that name is running anywhere; undefined when it did not run. */
  runIfFree<T>(name: string, task: () => Promise<T>): Promise<T | undefined>;
}

/** Coordination within this process only (lowdb: one process owns the data directory). */
export function localCoordination(): Coordination {
  const tails = new Map<string, Promise<unknown>>();
  const running = new Set<string>();
  return {
    runAlone(name, task) {
      const previous = tails.get(name) ?? Promise.resolve();
      const run = previous.then(task, task);
      const settled = run.catch(() => undefined);
      tails.set(name, settled);
      void settled.then(() => {
        if (tails.get(name) === settled) tails.delete(name);
      });
      return run;
    },
    async runIfFree(name, task) {
      if (running.has(name)) return undefined;
      running.add(name);
      try {
        return await task();
      } finally {
        running.delete(name);
      }
    },
  };
}
