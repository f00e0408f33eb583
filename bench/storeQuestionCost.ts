// A question's store calls, as the bot makes them and in its order, on any Store: the history read
// (loadHistory), the model allowance (llmBudget), the answer record saved before delivery and
// updated with where it landed, and the two turns appended. Timed one question at a time, so the
// figure is the store's own cost per question, whichever store it is.
import { loadHistory } from "../src/answer/converse.ts";
import { createLlmBudget } from "../src/llm/llmBudget.ts";
import type { Store } from "../src/store/store.ts";
import { readerConversation, TURNS_PER_CONVERSATION } from "./benchFixtures.ts";
import { percentile } from "./stats.ts";

export interface StoreCostPlan {
  /** Stored messages: the questions are follow-ups in these conversations. */
  messages: number;
  questions: number;
  warmup: number;
}

export interface StoreCost {
  /** Milliseconds for all of a question's store calls. */
  questionMs: { p50: number; p99: number };
  /** Milliseconds for its writes alone (answer record saved and updated, turns appended). */
  writeMs: { p50: number; p99: number };
}

/** Far above what the benchmark asks, so the allowance is always granted, as on a normal day. */
const DAILY_ALLOWANCE = 1_000_000;

export async function storeCostPerQuestion(
  store: Store,
  clock: () => Date,
  plan: StoreCostPlan,
): Promise<StoreCost> {
  const budget = createLlmBudget(store, clock, DAILY_ALLOWANCE);
  const conversations = Math.max(1, Math.floor(plan.messages / TURNS_PER_CONVERSATION));
  const question: number[] = [];
  const write: number[] = [];
  for (let i = 0; i < plan.warmup + plan.questions; i++) {
    // Spread over the stored conversations, as many readers' follow-ups are.
    const conversation = readerConversation((i * 7_919) % conversations);
    const at = clock().toISOString();
    const started = performance.now();
    await loadHistory(store, conversation, clock());
    if (!(await budget.take(conversation.owner.scope))) throw new Error("the bench allowance ran out");
    const writing = performance.now();
    const id = `bench-store-${i}-${Math.random().toString(36).slice(2)}`;
    await store.saveAnswer({
      id,
      conversationKey: conversation.key,
      scope: conversation.owner.scope,
      userId: conversation.owner.userId,
      question: "What did they agree?",
      answer: "They agreed to meet again within days [1].",
      citations: [],
      mode: "llm",
      at,
      feedback: {},
    });
    await store.updateAnswer(id, { messageId: `bench-message-${id}`, channelId: "bench-channel" });
    await store.appendTurns(conversation.key, conversation.owner, [
      { role: "user", content: "What did they agree?", at },
      { role: "assistant", content: "They agreed to meet again within days [1].", at },
    ]);
    const done = performance.now();
    if (i < plan.warmup) continue;
    question.push(done - started);
    write.push(done - writing);
  }
  return {
    questionMs: { p50: percentile(question, 50), p99: percentile(question, 99) },
    writeMs: { p50: percentile(write, 50), p99: percentile(write, 99) },
  };
}
