// A store that opens the database on first use. Commands that never touch it (a one-off question,
// retrieve, sources, ingest, summary) then never take the database's lock, so they run beside a
// bot that owns it.
import type { Store } from "./store.ts";

export function openStoreLazily(open: () => Promise<Store>): Store {
  let opened: Promise<Store> | undefined;
  const store = () => {
    opened ??= open();
    return opened;
  };
  return {
    history: async (...args) => (await store()).history(...args),
    appendTurns: async (...args) => (await store()).appendTurns(...args),
    forget: async (...args) => (await store()).forget(...args),
    saveAnswer: async (...args) => (await store()).saveAnswer(...args),
    getAnswer: async (...args) => (await store()).getAnswer(...args),
    findAnswerByMessage: async (...args) => (await store()).findAnswerByMessage(...args),
    updateAnswer: async (...args) => (await store()).updateAnswer(...args),
    setFeedback: async (...args) => (await store()).setFeedback(...args),
    guildSettings: async (...args) => (await store()).guildSettings(...args),
    allGuildSettings: async () => (await store()).allGuildSettings(),
    updateGuildSettings: async (...args) => (await store()).updateGuildSettings(...args),
    summaryPost: async (...args) => (await store()).summaryPost(...args),
    claimSummaryPost: async (...args) => (await store()).claimSummaryPost(...args),
    recordSummaryPost: async (...args) => (await store()).recordSummaryPost(...args),
    releaseSummaryPost: async (...args) => (await store()).releaseSummaryPost(...args),
    lastSummaryPost: async (...args) => (await store()).lastSummaryPost(...args),
    getMeta: async <T>(key: string) => (await store()).getMeta<T>(key),
    setMeta: async <T>(key: string, value: T) => (await store()).setMeta<T>(key, value),
    takeAllowance: async (...args) => (await store()).takeAllowance(...args),
    // Nothing to flush or close when it was never opened, or failed to open (its user was told).
    flush: async () =>
      opened?.then(
        (s) => s.flush(),
        () => undefined,
      ),
    close: async () =>
      opened?.then(
        (s) => s.close(),
        () => undefined,
      ),
  };
}
