// A daily allowance of model answers per server, so that a busy or abusive server cannot run up an
// unbounded bill: past it, answers are extractive (with a notice) until the next UTC day.
import type { Store } from "../store/store.ts";
import type { LlmBudget } from "../types.ts";

export type { LlmBudget };

export function createLlmBudget(store: Store, clock: () => Date, perDay: number): LlmBudget {
  return {
    // The store counts atomically, so concurrent questions (in this process or in others sharing a
    // PostgreSQL store) cannot all pass a stale count.
    take: (scope) => store.takeAllowance(`llmBudget:${scope}`, clock().toISOString().slice(0, 10), perDay),
  };
}
