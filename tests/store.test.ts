import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it, vi } from "vitest";
import { silentLogger } from "../src/log.ts";
import type { AnswerRecord, ConversationOwner, StoredTurn } from "../src/store/store.ts";
import { WriteBehind } from "../src/store/writeBehind.ts";
import { describeEachStore, lowdbStores } from "./storeKinds.ts";

function fixedClock(iso = "2025-06-01T12:00:00.000Z") {
  let now = new Date(iso);
  const clock = () => new Date(now);
  clock.advanceDays = (days: number) => {
    now = new Date(now.getTime() + days * 86_400_000);
  };
  return clock;
}

const alice: ConversationOwner = { scope: "guild1", userId: "alice" };
const bob: ConversationOwner = { scope: "guild1", userId: "bob" };
const aliceElsewhere: ConversationOwner = { scope: "guild2", userId: "alice" };

function turns(at: string, question: string, reply = `answer to ${question}`): StoredTurn[] {
  return [
    { role: "user", content: question, at },
    { role: "assistant", content: reply, at },
  ];
}

function answer(id: string, owner: ConversationOwner, extra: Partial<AnswerRecord> = {}): AnswerRecord {
  return {
    id,
    conversationKey: `${owner.scope}:${owner.userId}`,
    scope: owner.scope,
    userId: owner.userId,
    question: `question ${id}`,
    answer: `The council met on Tuesday [1].`,
    citations: [
      { n: 1, passageId: "council#2", title: "Council meets", paragraph: 2, quote: "met on Tuesday" },
    ],
    mode: "extractive",
    at: "2025-06-01T12:00:00.000Z",
    feedback: {},
    ...extra,
  };
}

describeEachStore("data survives a restart", ({ tempDir, openAt, reopen }) => {
  it("keeps conversations, answers, settings, summary posts and meta across reopen", async () => {
    const dir = await tempDir();
    let store = await openAt(dir);
    await store.appendTurns("guild1:alice", alice, turns("2025-06-01T11:00:00.000Z", "Who won?"));
    await store.saveAnswer(answer("a1", alice));
    await store.updateAnswer("a1", { messageId: "m1", channelId: "c1" });
    await store.setFeedback("a1", "bob", -1);
    await store.updateGuildSettings("guild1", { summaryChannelId: "c9", summaryProblem: "no access" });
    await store.updateGuildSettings("guild1", { summaryProblem: undefined, summaryTime: "08:30" });
    await store.claimSummaryPost({
      key: "guild1:c9:2025-06-01",
      guildId: "guild1",
      channelId: "c9",
      localDate: "2025-06-01",
      claimedAt: "2025-06-01T09:00:00.000Z",
    });
    await store.recordSummaryPost("guild1:c9:2025-06-01", "m2", "2025-06-01T09:00:01.000Z");
    await store.setMeta("feeds", { etag: "x1", seen: ["a", "b"] });

    store = await reopen(store, dir);

    expect(await store.history("guild1:alice")).toEqual(turns("2025-06-01T11:00:00.000Z", "Who won?"));
    const saved = await store.findAnswerByMessage("m1");
    expect(saved).toEqual(answer("a1", alice, { messageId: "m1", channelId: "c1", feedback: { bob: -1 } }));
    expect(await store.guildSettings("guild1")).toEqual({
      guildId: "guild1",
      summaryChannelId: "c9",
      summaryTime: "08:30",
    });
    expect(await store.allGuildSettings()).toHaveLength(1);
    expect(await store.lastSummaryPost("guild1", "c9")).toMatchObject({ messageId: "m2" });
    expect(await store.getMeta("feeds")).toEqual({ etag: "x1", seen: ["a", "b"] });
  });

  it("loses nothing when 100 questions are answered at once", async () => {
    const dir = await tempDir();
    let store = await openAt(dir);
    const at = "2025-06-01T11:00:00.000Z";
    await Promise.all(
      Array.from({ length: 100 }, async (_, i) => {
        const owner = { scope: "guild1", userId: `user${i}` };
        await Promise.all([
          store.appendTurns(`guild1:user${i}`, owner, turns(at, `question ${i}`)),
          store.saveAnswer(answer(`a${i}`, owner, { messageId: `m${i}` })),
          // Everyone also talks in one shared-owner conversation, to race on a single record.
          store.appendTurns("guild1:busy", alice, [{ role: "user", content: `line ${i}`, at }]),
        ]);
      }),
    );
    store = await reopen(store, dir);
    for (let i = 0; i < 100; i++) {
      expect(await store.history(`guild1:user${i}`)).toEqual(turns(at, `question ${i}`));
      expect((await store.findAnswerByMessage(`m${i}`))?.id).toBe(`a${i}`);
    }
    // The default retention keeps the last 50 turns of a conversation: the last 50 lines, in order.
    const busy = await store.history("guild1:busy");
    expect(busy.map((t) => t.content)).toEqual(Array.from({ length: 50 }, (_, i) => `line ${i + 50}`));
  });

  it("close saves what is pending and releases the database for the next process", async () => {
    const dir = await tempDir();
    const store = await openAt(dir, fixedClock(), { writeDelayMs: 60_000 });
    await store.setMeta("k", 1);
    await store.close();
    await expect(store.setMeta("k", 2)).rejects.toThrow(/closed/);
    const next = await openAt(dir);
    expect(await next.getMeta("k")).toBe(1);
  });
});

describeEachStore("conversations", ({ tempDir, openAt, reopen }) => {
  it("returns the last turns oldest first and never another key's", async () => {
    const store = await openAt(await tempDir());
    await store.appendTurns("guild1:alice", alice, turns("2025-06-01T10:00:00.000Z", "one"));
    await store.appendTurns("guild1:alice", alice, turns("2025-06-01T11:00:00.000Z", "two"));
    await store.appendTurns("guild1:bob", bob, turns("2025-06-01T11:00:00.000Z", "bob's"));
    expect((await store.history("guild1:alice", 3)).map((t) => t.content)).toEqual([
      "answer to one",
      "two",
      "answer to two",
    ]);
    expect((await store.history("guild1:alice")).some((t) => t.content.includes("bob"))).toBe(false);
    expect(await store.history("guild1:alice", 0)).toEqual([]);
    expect(await store.history("nobody")).toEqual([]);
  });

  it("hands out copies: changing a returned turn or record changes nothing stored", async () => {
    const store = await openAt(await tempDir());
    const input = turns("2025-06-01T10:00:00.000Z", "original");
    await store.appendTurns("guild1:alice", alice, input);
    (input[0] as StoredTurn).content = "changed by caller";
    const [first] = await store.history("guild1:alice");
    (first as StoredTurn).content = "changed by reader";
    await store.saveAnswer(answer("a1", alice));
    const read = await store.getAnswer("a1");
    read?.citations.pop();
    expect((await store.history("guild1:alice"))[0]?.content).toBe("original");
    expect((await store.getAnswer("a1"))?.citations).toHaveLength(1);
  });

  it("refuses to add one owner's turns to another owner's conversation", async () => {
    const store = await openAt(await tempDir());
    await store.appendTurns("shared", alice, turns("2025-06-01T10:00:00.000Z", "mine"));
    await expect(
      store.appendTurns("shared", bob, turns("2025-06-01T10:00:00.000Z", "intruder")),
    ).rejects.toThrow(/another user/);
    expect((await store.history("shared")).map((t) => t.content)).toEqual(["mine", "answer to mine"]);
  });

  it("forget removes exactly the caller's conversations and answers in that scope", async () => {
    const dir = await tempDir();
    let store = await openAt(dir);
    const at = "2025-06-01T10:00:00.000Z";
    await store.appendTurns("guild1:alice:c1", alice, turns(at, "a1"));
    await store.appendTurns("guild1:alice:c2", alice, turns(at, "a2"));
    await store.appendTurns("guild2:alice", aliceElsewhere, turns(at, "a3"));
    await store.appendTurns("guild1:bob", bob, turns(at, "b1"));
    await store.saveAnswer(answer("alice-here", alice, { messageId: "m1" }));
    await store.saveAnswer(answer("alice-there", aliceElsewhere));
    await store.saveAnswer(answer("bob-here", bob));

    expect(await store.forget(alice)).toBe(2);
    store = await reopen(store, dir);

    expect(await store.history("guild1:alice:c1")).toEqual([]);
    expect(await store.history("guild1:alice:c2")).toEqual([]);
    expect(await store.getAnswer("alice-here")).toBeUndefined();
    expect(await store.findAnswerByMessage("m1")).toBeUndefined();
    expect(await store.history("guild2:alice")).toHaveLength(2);
    expect(await store.history("guild1:bob")).toHaveLength(2);
    expect(await store.getAnswer("alice-there")).toBeDefined();
    expect(await store.getAnswer("bob-here")).toBeDefined();
    expect(await store.forget(alice)).toBe(0);
  });

  it("keeps only the last turns of a conversation", async () => {
    const store = await openAt(await tempDir(), fixedClock(), {
      retention: { maxAgeDays: 30, maxTurnsPerConversation: 4 },
    });
    for (let i = 1; i <= 5; i++) {
      await store.appendTurns("guild1:alice", alice, turns("2025-06-01T10:00:00.000Z", `q${i}`));
    }
    expect((await store.history("guild1:alice")).map((t) => t.content)).toEqual([
      "q4",
      "answer to q4",
      "q5",
      "answer to q5",
    ]);
  });

  it("keeps only the answer records of the exchanges a conversation's history holds", async () => {
    const dir = await tempDir();
    // Four turns are two exchanges: two answer records per conversation.
    const retention = { maxAgeDays: 30, maxTurnsPerConversation: 4 };
    let store = await openAt(dir, fixedClock(), { retention });
    for (let i = 1; i <= 5; i++) {
      const at = `2025-06-01T10:0${i}:00.000Z`;
      await store.saveAnswer(answer(`alice-${i}`, alice, { at, messageId: `m${i}` }));
    }
    await store.saveAnswer(answer("bob-1", bob, { at: "2025-06-01T09:00:00.000Z" }));
    const kept = async (ids: string[]) =>
      (await Promise.all(ids.map((id) => store.getAnswer(id)))).map((record) => record?.id);
    const ids = ["alice-1", "alice-2", "alice-3", "alice-4", "alice-5", "bob-1"];
    expect(await kept(ids)).toEqual([undefined, undefined, undefined, "alice-4", "alice-5", "bob-1"]);
    // A trimmed record is gone from every way of finding it.
    expect(await store.findAnswerByMessage("m1")).toBeUndefined();
    expect((await store.findAnswerByMessage("m5"))?.id).toBe("alice-5");

    // Opening with a shorter retention trims what an earlier, longer one kept.
    store = await reopenWith(store, { maxAgeDays: 30, maxTurnsPerConversation: 2 });
    expect(await kept(ids)).toEqual([undefined, undefined, undefined, undefined, "alice-5", "bob-1"]);
    store = await reopenWith(store, retention);
    expect(await kept(ids)).toEqual([undefined, undefined, undefined, undefined, "alice-5", "bob-1"]);

    async function reopenWith(open: typeof store, longer: typeof retention) {
      await open.close();
      return openAt(dir, fixedClock(), { retention: longer });
    }
  });

  it("drops turns, conversations and answers older than the retention, by the injected clock", async () => {
    const dir = await tempDir();
    const clock = fixedClock("2025-06-01T12:00:00.000Z");
    const retention = { maxAgeDays: 30, maxTurnsPerConversation: 50 };
    let store = await openAt(dir, clock, { retention });
    await store.appendTurns("guild1:alice", alice, turns("2025-06-01T12:00:00.000Z", "old"));
    await store.appendTurns("guild1:bob", bob, turns("2025-06-01T12:00:00.000Z", "old too"));
    await store.saveAnswer(answer("old-answer", alice, { at: "2025-06-01T12:00:00.000Z" }));

    clock.advanceDays(20);
    await store.appendTurns("guild1:bob", bob, turns(clock().toISOString(), "recent"));
    await store.saveAnswer(answer("recent-answer", bob, { at: clock().toISOString() }));

    clock.advanceDays(11); // 31 days after the first turns, 11 after the recent ones
    // Appending trims that conversation at once.
    await store.appendTurns("guild1:bob", bob, turns(clock().toISOString(), "now"));
    expect((await store.history("guild1:bob")).map((t) => t.content)).toEqual([
      "recent",
      "answer to recent",
      "now",
      "answer to now",
    ]);
    // Opening sweeps everything else.
    await store.close();
    store = await openAt(dir, clock, { retention });
    expect(await store.history("guild1:alice")).toEqual([]);
    expect(await store.forget(alice)).toBe(0);
    expect(await store.getAnswer("old-answer")).toBeUndefined();
    expect(await store.getAnswer("recent-answer")).toBeDefined();
    expect(await store.history("guild1:bob")).toHaveLength(4);
  });
});

describeEachStore("answers, summary posts, meta", ({ tempDir, openAt }) => {
  it("refuses a record it could not read back, and keeps nothing of it", async () => {
    const store = await openAt(await tempDir());
    const bad = { ...answer("bad", alice), mode: "guess" } as unknown as AnswerRecord;
    await expect(store.saveAnswer(bad)).rejects.toThrow();
    expect(await store.getAnswer("bad")).toBeUndefined();
  });

  it("moves the message index when an answer's message changes", async () => {
    const store = await openAt(await tempDir());
    await store.saveAnswer(answer("a1", alice, { messageId: "m1" }));
    await store.updateAnswer("a1", { messageId: "m2" });
    expect(await store.findAnswerByMessage("m1")).toBeUndefined();
    expect((await store.findAnswerByMessage("m2"))?.id).toBe("a1");
    await store.setFeedback("a1", "bob", 1);
    await store.setFeedback("a1", "bob", -1);
    await store.setFeedback("a1", "carol", 1);
    expect((await store.getAnswer("a1"))?.feedback).toEqual({ bob: -1, carol: 1 });
    // Feedback on an answer that retention or forget removed is dropped quietly.
    await expect(store.setFeedback("gone", "bob", 1)).resolves.toBeUndefined();
  });

  it("claims a summary post once, releases only unposted claims, and finds the latest post", async () => {
    const store = await openAt(await tempDir());
    const post = (date: string, channelId = "c1") => ({
      key: `g1:${channelId}:${date}`,
      guildId: "g1",
      channelId,
      localDate: date,
      claimedAt: `${date}T09:00:00.000Z`,
    });
    expect(await store.claimSummaryPost(post("2025-06-01"))).toBe(true);
    expect(await store.claimSummaryPost(post("2025-06-01"))).toBe(false);
    await store.releaseSummaryPost("g1:c1:2025-06-01");
    expect(await store.summaryPost("g1:c1:2025-06-01")).toBeUndefined();
    expect(await store.claimSummaryPost(post("2025-06-01"))).toBe(true);
    await store.recordSummaryPost("g1:c1:2025-06-01", "m1", "2025-06-01T09:00:05.000Z");
    await store.releaseSummaryPost("g1:c1:2025-06-01");
    expect(await store.summaryPost("g1:c1:2025-06-01")).toMatchObject({ messageId: "m1" });

    await store.claimSummaryPost(post("2025-06-02"));
    await store.recordSummaryPost("g1:c1:2025-06-02", "m2", "2025-06-02T09:00:05.000Z");
    await store.claimSummaryPost(post("2025-06-03")); // claimed, not posted
    await store.claimSummaryPost(post("2025-06-04", "c2"));
    await store.recordSummaryPost("g1:c2:2025-06-04", "m4", "2025-06-04T09:00:05.000Z");
    expect((await store.lastSummaryPost("g1", "c1"))?.messageId).toBe("m2");
    expect((await store.lastSummaryPost("g1", "c3"))?.messageId).toBeUndefined();
  });

  it("stores meta values as copies and deletes on undefined", async () => {
    const store = await openAt(await tempDir());
    const value = { count: 1 };
    await store.setMeta("budget", value);
    value.count = 99;
    expect(await store.getMeta("budget")).toEqual({ count: 1 });
    await store.setMeta("budget", undefined);
    expect(await store.getMeta("budget")).toBeUndefined();
  });
});

describe("lowdb store: the file", () => {
  const { tempDir, openAt } = lowdbStores;
  it("flush puts everything accepted on disk", async () => {
    const dir = await tempDir();
    // A long delay: nothing would reach the disk before the test ends without flush.
    const store = await openAt(dir, fixedClock(), { writeDelayMs: 60_000 });
    await store.saveAnswer(answer("flushed-answer", alice));
    await store.flush();
    const file = JSON.parse(await readFile(path.join(dir, "db.json"), "utf8"));
    expect(file.answers.map((a: AnswerRecord) => a.id)).toEqual(["flushed-answer"]);
  });
});

describe("WriteBehind", () => {
  it("coalesces a burst into one write, and writes once more for changes made during a write", async () => {
    let release: () => void = () => {};
    const writes: number[] = [];
    const writer = new WriteBehind(
      () => {
        writes.push(writes.length);
        return writes.length === 1 ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
      },
      silentLogger(),
      { delayMs: 10 },
    );
    for (let i = 0; i < 100; i++) writer.markDirty();
    await vi.waitFor(() => expect(writes).toHaveLength(1));
    // Changes while the first write is in flight join a single pending write.
    for (let i = 0; i < 100; i++) writer.markDirty();
    const flushed = writer.flush();
    release();
    await flushed;
    expect(writes).toHaveLength(2);
  });

  it("flush rejects when the write fails, and a later flush retries", async () => {
    let fail = true;
    let attempts = 0;
    const writer = new WriteBehind(
      async () => {
        attempts++;
        if (fail) throw new Error("disk full");
      },
      silentLogger(),
      { delayMs: 60_000, maxLagMs: 120_000 },
    );
    writer.markDirty();
    await expect(writer.flush()).rejects.toThrow("disk full");
    fail = false;
    await writer.flush();
    expect(attempts).toBe(2);
    writer.stop();
  });
});
