// What every measurement shares: a fixed clock, a store filled with N stored messages, and the bot's
// context (core, timings, rate limiter) built around a given retriever, store and model.
import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import type { LanguageModel } from "ai";
import { parseConfig } from "../src/config.ts";
import type { BotContext, BotCore } from "../src/discord/command.ts";
import { type Conversation, channelConversation } from "../src/discord/conversation.ts";
import { createRateLimiter } from "../src/discord/rateLimit.ts";
import type { Logger } from "../src/log.ts";
import { openStore } from "../src/store/lowdbStore.ts";
import type { Store, StoredTurn } from "../src/store/store.ts";
import type { Citation, Retriever } from "../src/types.ts";
import { timed } from "./stats.ts";

/** The benchmark's "now": fixed, so that retention and conversation windows behave the same every run. */
export const BENCH_NOW = new Date("2026-03-01T12:00:00.000Z");
export const benchClock = (): Date => BENCH_NOW;

const SCOPE = "100000000000000001";
const CHANNEL = "100000000000000002";
/** The store keeps at most 50 turns per conversation (its retention), so N messages are N/50 conversations. */
export const TURNS_PER_CONVERSATION = 50;

/** The conversation of reader `i` in the benchmark channel: the key /ask itself would use. */
export function readerConversation(i: number): Conversation {
  return channelConversation({ scope: SCOPE, userId: `reader-${i}` }, CHANNEL);
}

const STORED_QUESTION = "What did the envoy say about the talks in Oman, and who else was at the meeting?";
const STORED_ANSWER =
  "The envoy said the talks would resume within days and that both sides had agreed to keep the channel open [1]. " +
  "The defense minister and the army chief also attended the meeting, which lasted over three hours [2]. " +
  "Officials described it as positive and productive, though no date for a second round was announced [1][3].";

/** The citations of STORED_ANSWER, as the bot records them. */
const STORED_CITATIONS: Citation[] = [1, 2, 3].map((n) => ({
  n,
  passageId: `synthetic-0000${n}#${n + 2}`,
  title: "Envoy warns over maritime crisis as talks in Oman stall",
  paragraph: n + 2,
  quote:
    "The meeting between the envoy and the defense minister in Muscat lasted over three hours and was described as positive.",
  url: `https://news.example/synthetic-0000${n}`,
}));

export interface FilledStore {
  store: Store;
  dir: string;
  /** One whole-file save of the database at this size (write-behind, off the answer path). */
  saveMs: number;
  /** The longest the event loop was held up during that save: what a question arriving then waits. */
  saveLoopBlockMs: number;
  /** Opening (reading and validating) the database at this size, as at start-up. */
  openMs: number;
  fileMb: number;
  close(): Promise<void>;
}

/**
 * A store in a temporary directory holding `messages` turns: full conversations of readers 0, 1, …,
 * their turns 20 s apart and ending just before the benchmark's "now", so they count as history.
 */
export async function filledStore(messages: number, log: Logger): Promise<FilledStore> {
  const dir = await mkdtemp(path.join(tmpdir(), "storybot-bench-"));
  const first = await openStore({ dataDir: dir, log, clock: benchClock });
  const conversations = Math.ceil(messages / TURNS_PER_CONVERSATION);
  for (let c = 0; c < conversations; c++) {
    const count = Math.min(TURNS_PER_CONVERSATION, messages - c * TURNS_PER_CONVERSATION);
    const turns: StoredTurn[] = Array.from({ length: count }, (_, t) => ({
      role: t % 2 === 0 ? "user" : "assistant",
      content: t % 2 === 0 ? STORED_QUESTION : STORED_ANSWER,
      at: new Date(BENCH_NOW.getTime() - (count - t) * 20_000).toISOString(),
    }));
    const { key, owner } = readerConversation(c);
    await first.appendTurns(key, owner, turns);
    // Each answer also left its record, as answerQuestion saves it: before posting, then where it landed.
    for (const [t, turn] of turns.entries()) {
      if (turn.role !== "assistant") continue;
      const id = `00000000-0000-4000-8000-${String(c * TURNS_PER_CONVERSATION + t).padStart(12, "0")}`;
      await first.saveAnswer({
        id,
        conversationKey: key,
        scope: owner.scope,
        userId: owner.userId,
        question: STORED_QUESTION,
        answer: STORED_ANSWER,
        citations: STORED_CITATIONS,
        mode: "llm",
        at: turn.at,
        feedback: {},
      });
      await first.updateAnswer(id, {
        messageId: String(1_300_000_000_000_000_000n + BigInt(c * 100 + t)),
        channelId: CHANNEL,
      });
    }
  }
  await first.close();

  let store: Store | undefined;
  const openMs = await timed(async () => {
    store = await openStore({ dataDir: dir, log, clock: benchClock });
  });
  if (!store) throw new Error("the store did not open");
  const opened = store;
  // One more turn, then the time the write-behind takes to save the whole file.
  const { key, owner } = readerConversation(conversations);
  await opened.appendTurns(key, owner, [
    { role: "user", content: STORED_QUESTION, at: BENCH_NOW.toISOString() },
  ]);
  const loop = monitorEventLoopDelay({ resolution: 1 });
  loop.enable();
  const saveMs = await timed(() => opened.flush());
  loop.disable();
  const saveLoopBlockMs = loop.max / 1e6;
  const fileMb = (await stat(path.join(dir, "db.json"))).size / (1024 * 1024);
  return {
    store: opened,
    dir,
    saveMs,
    saveLoopBlockMs,
    openMs,
    fileMb,
    async close() {
      await opened.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export interface CoreParts {
  retriever: Retriever;
  store: Store;
  model: LanguageModel;
  log: Logger;
  /** Environment for the bot's configuration (Discord URL and token for the loopback Discord). */
  env?: Record<string, string>;
}

export function benchCore(parts: CoreParts): BotCore {
  return {
    config: parseConfig({ LOG_LEVEL: "warn", ...parts.env }),
    retriever: parts.retriever,
    model: parts.model,
    llm: { timeoutMs: 30_000, maxRetries: 0 },
    store: parts.store,
    clock: benchClock,
    log: parts.log,
  };
}

/** The context the bot gives each question, as createBot builds it. */
export function benchContext(core: BotCore): BotContext {
  return {
    core,
    timings: { editIntervalMs: 1_000, tokenLifetimeMs: 15 * 60_000 },
    rateLimiter: createRateLimiter(core.config.RATE_LIMIT_PER_MINUTE, () => core.clock().getTime()),
    shutdown: new AbortController().signal,
  };
}
