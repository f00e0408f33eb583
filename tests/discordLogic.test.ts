// Unit tests of the Discord adapter's logic: the edit throttle, the rate limit and conversation keys.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { loadHistory } from "../src/answer/converse.ts";
import {
  CHANNEL_WINDOW_MS,
  channelConversation,
  replyConversation,
  scopeOf,
  threadConversation,
} from "../src/discord/conversation.ts";
import { createRateLimiter, rateLimitMessage } from "../src/discord/rateLimit.ts";
import { createThrottle } from "../src/discord/throttle.ts";
import { silentLogger } from "../src/log.ts";
import { openStore } from "../src/store/lowdbStore.ts";
import type { AnswerRecord, Store } from "../src/store/store.ts";

describe("createThrottle", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("sends the first value at once, then at most one per interval, always the latest", async () => {
    const sent: Array<{ value: string; at: number }> = [];
    const throttle = createThrottle(
      async (value: string) => {
        sent.push({ value, at: Date.now() });
      },
      1000,
      () => {},
      () => Date.now(),
    );
    const start = Date.now();
    throttle.push("a");
    await vi.advanceTimersByTimeAsync(0);
    for (const value of ["b", "c", "d"]) {
      throttle.push(value);
      await vi.advanceTimersByTimeAsync(100);
    }
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent.map((s) => s.value)).toEqual(["a", "d"]);
    expect(sent[0]?.at).toBe(start);
    expect((sent[1]?.at ?? 0) - (sent[0]?.at ?? 0)).toBeGreaterThanOrEqual(1000);
  });

  it("does not restart the interval for a value the sender declines", async () => {
    const sent: Array<{ value: string; at: number }> = [];
    const throttle = createThrottle(
      (value: string) => {
        if (value === "same") return undefined;
        sent.push({ value, at: Date.now() });
        return Promise.resolve();
      },
      1000,
      () => {},
      () => Date.now(),
    );
    const start = Date.now();
    throttle.push("same");
    await vi.advanceTimersByTimeAsync(0);
    throttle.push("a");
    await vi.advanceTimersByTimeAsync(0);
    throttle.push("b");
    await vi.advanceTimersByTimeAsync(1000);
    expect(sent).toEqual([
      { value: "a", at: start },
      { value: "b", at: start + 1000 },
    ]);
  });

  it("sends one value at a time, even when a send outlasts the interval", async () => {
    let running = 0;
    let overlapped = false;
    const sent: string[] = [];
    const throttle = createThrottle(
      async (value: string) => {
        running++;
        if (running > 1) overlapped = true;
        await new Promise((resolve) => setTimeout(resolve, 2500));
        sent.push(value);
        running--;
      },
      1000,
      () => {},
      () => Date.now(),
    );
    throttle.push("a");
    await vi.advanceTimersByTimeAsync(1200);
    throttle.push("b");
    await vi.advanceTimersByTimeAsync(10_000);
    expect(sent).toEqual(["a", "b"]);
    expect(overlapped).toBe(false);
  });

  it("close drops what is pending and waits for the send in flight, so the final edit comes last", async () => {
    const sent: string[] = [];
    const throttle = createThrottle(
      async (value: string) => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        sent.push(value);
      },
      1000,
      () => {},
      () => Date.now(),
    );
    throttle.push("a");
    await vi.advanceTimersByTimeAsync(10);
    throttle.push("b");
    let closed = false;
    const closing = throttle.close().then(() => {
      closed = true;
    });
    await vi.advanceTimersByTimeAsync(100);
    expect(closed).toBe(false);
    await vi.advanceTimersByTimeAsync(300);
    await closing;
    throttle.push("c");
    await vi.advanceTimersByTimeAsync(5000);
    expect(sent).toEqual(["a"]);
  });

  it("reports a failed send and keeps going", async () => {
    const errors: unknown[] = [];
    const sent: string[] = [];
    const throttle = createThrottle(
      async (value: string) => {
        if (value === "a") throw new Error("edit failed");
        sent.push(value);
      },
      1000,
      (error) => errors.push(error),
      () => Date.now(),
    );
    throttle.push("a");
    await vi.advanceTimersByTimeAsync(0);
    throttle.push("b");
    await vi.advanceTimersByTimeAsync(1000);
    expect(errors).toHaveLength(1);
    expect(sent).toEqual(["b"]);
  });
});

describe("createRateLimiter", () => {
  it("allows N questions a minute per user, then says how long to wait, in a sliding window", () => {
    const start = 1_000_000;
    let now = start;
    const limiter = createRateLimiter(3, () => now);
    expect(limiter.take("u")).toBe(0);
    now = start + 10_000;
    expect(limiter.take("u")).toBe(0);
    now = start + 20_000;
    expect(limiter.take("u")).toBe(0);
    expect(limiter.take("u")).toBe(40_000);
    expect(limiter.take("other")).toBe(0);
    // The first question leaves the window: one more is allowed, the next waits for the second to leave.
    now = start + 60_000;
    expect(limiter.take("u")).toBe(0);
    expect(limiter.take("u")).toBe(10_000);
    expect(rateLimitMessage(40_000)).toBe("You're asking quickly — try again in 40 s.");
    expect(rateLimitMessage(1)).toBe("You're asking quickly — try again in 1 s.");
  });

  it("owes a refused user at most one public notice per minute", () => {
    let now = 1_000_000;
    const limiter = createRateLimiter(1, () => now);
    expect(limiter.noticeDue("u")).toBe(true);
    expect(limiter.noticeDue("u")).toBe(false);
    expect(limiter.noticeDue("other")).toBe(true);
    now += 59_999;
    expect(limiter.noticeDue("u")).toBe(false);
    now += 1;
    expect(limiter.noticeDue("u")).toBe(true);
  });
});

describe("conversations", () => {
  let dir: string;
  let store: Store;
  let now: Date;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "storybot-conv-"));
    now = new Date("2025-06-01T12:00:00Z");
    store = await openStore({ dataDir: dir, log: silentLogger(), clock: () => now, writeDelayMs: 0 });
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  const alice = { scope: "111111111111111111", userId: "222222222222222222" };
  const bob = { scope: "111111111111111111", userId: "333333333333333333" };
  const aliceElsewhere = { scope: "444444444444444444", userId: alice.userId };

  const turn = (content: string, minutesAgo: number) => ({
    role: "user" as const,
    content,
    at: new Date(now.getTime() - minutesAgo * 60_000).toISOString(),
  });

  const record = (owner: typeof alice, conversationKey: string): AnswerRecord => ({
    id: "answer-1",
    conversationKey,
    scope: owner.scope,
    userId: owner.userId,
    question: "Who met?",
    answer: "Netanyahu and Witkoff [1].",
    citations: [],
    mode: "extractive",
    at: now.toISOString(),
    messageId: "555555555555555555",
    channelId: "666666666666666666",
    feedback: {},
  });

  it("gives every user their own key per channel, server and thread", () => {
    const keys = new Set([
      channelConversation(alice, "c1").key,
      channelConversation(bob, "c1").key,
      channelConversation(aliceElsewhere, "c1").key,
      channelConversation(alice, "c2").key,
      threadConversation(alice, "t1", undefined).key,
      threadConversation(bob, "t1", undefined).key,
    ]);
    expect(keys.size).toBe(6);
    expect(scopeOf(null)).toBe("dm");
    expect(scopeOf("111111111111111111")).toBe("111111111111111111");
  });

  it("uses only the last 30 minutes of a channel conversation", async () => {
    const conversation = channelConversation(alice, "c1");
    await store.appendTurns(conversation.key, alice, [turn("old question", 45), turn("recent question", 10)]);
    const history = await loadHistory(store, conversation, now);
    expect(history.map((t) => t.content)).toEqual(["recent question"]);
    expect(conversation.windowMs).toBe(CHANNEL_WINDOW_MS);
  });

  it("continues the replied answer's conversation, however old, only for its own asker", async () => {
    const key = channelConversation(alice, "c1").key;
    await store.appendTurns(key, alice, [turn("first question", 120)]);
    const answer = record(alice, key);
    const own = replyConversation(alice, "555555555555555555", answer);
    expect(own.key).toBe(key);
    expect((await loadHistory(store, own, now)).map((t) => t.content)).toEqual(["first question"]);

    const others = replyConversation(bob, "555555555555555555", answer);
    expect(others.key).not.toBe(key);
    expect(await loadHistory(store, others, now)).toEqual([]);
    const otherServer = replyConversation(aliceElsewhere, "555555555555555555", answer);
    expect(otherServer.key).not.toBe(key);
  });

  it("opens a thread on an answer with that answer, for its asker only", async () => {
    const answer = record(alice, channelConversation(alice, "c1").key);
    const own = threadConversation(alice, "555555555555555555", answer);
    await store.appendTurns(own.key, alice, [turn("in the thread", 1)]);
    expect((await loadHistory(store, own, now)).map((t) => t.content)).toEqual([
      "Who met?",
      "Netanyahu and Witkoff [1].",
      "in the thread",
    ]);
    expect(await loadHistory(store, threadConversation(bob, "555555555555555555", answer), now)).toEqual([]);
  });
});
