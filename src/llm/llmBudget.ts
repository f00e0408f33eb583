// A daily allowance of model answers per server, so that a busy or abusive server cannot run up an
// unbounded bill: past it, answers are extractive (with a notice) until the next UTC day.
import type { Store } from "../store/store.ts";
import type { LlmBudget } from "../types.ts";

export type { LlmBudget };

interface Usage {
  day: string;
  used: number;
}

export function createLlmBudget(store: Store, clock: () => Date, perDay: number): LlmBudget {
  // Calls are counted in memory first so that concurrent questions cannot all pass a stale count.
  const usage = new Map<string, Usage>();
  return {
    async take(scope) {
      const day = clock().toISOString().slice(0, 10);
      const key = `llmBudget:${scope}`;
      let current = usage.get(scope);
      if (!current) {
        current = (await store.getMeta<Usage>(key)) ?? { day, used: 0 };
        current = usage.get(scope) ?? current;
        usage.set(scope, current);
      }
      if (current.day !== day) {
        current.day = day;
        current.used = 0;
      }
      if (current.used >= perDay) return false;
      current.used += 1;
      await store.setMeta(key, { ...current });
      return true;
    },
  };
}
