// db.json is one JSON string read back whole, so the store must never write one larger than it can
// read. With the limit lowered to a few kilobytes, a busy store passes it many times over: every save
// must still reopen, the oldest records must be in an archive (a database that opens too), nothing
// within retention may be lost, and the operator is told in one line.
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { DatabaseFile } from "../src/store/databaseFile.ts";
import { DatabaseTooLargeError } from "../src/store/databaseSize.ts";
import { emptyState } from "../src/store/dbSchema.ts";
import { openStore } from "../src/store/lowdbStore.ts";
import type { AnswerRecord, ConversationOwner } from "../src/store/store.ts";
import { capturingLogger, useTempStores } from "./testHelpers.ts";

const temp = useTempStores("storybot-size-");
const LIMIT = 64 * 1024;
const retention = { maxAgeDays: 30, maxTurnsPerConversation: 10 };

function record(id: string, owner: ConversationOwner, key: string, at: string): AnswerRecord {
  return {
    id,
    conversationKey: key,
    scope: owner.scope,
    userId: owner.userId,
    question: `question ${id}`,
    // Non-ASCII text: the limit is on the file's bytes, not on JavaScript's characters.
    answer: `Le conseil s'est réuni mardi — « le port » 港口 ${"x".repeat(200)} ${id}`,
    citations: [{ n: 1, passageId: "council#2", title: "Council", paragraph: 2, quote: "réuni mardi" }],
    mode: "llm",
    at,
    messageId: `m-${id}`,
    feedback: {},
  };
}

async function archivedDatabases(dataDir: string) {
  const root = path.join(dataDir, "archive");
  const names = await readdir(root).catch(() => [] as string[]);
  return Promise.all(names.sort().map((name) => new DatabaseFile(path.join(root, name, "db.json")).read()));
}

describe("lowdb: db.json stays a size it can read back", () => {
  it("archives the oldest records instead of writing past the limit; every file reopens; nothing is lost", async () => {
    const dataDir = await temp.tempDir();
    const { log, lines } = capturingLogger();
    let now = Date.parse("2025-06-01T00:00:00.000Z");
    const clock = () => new Date(now);
    const open = () => openStore({ dataDir, log, clock, retention, writeDelayMs: 0, maxFileBytes: LIMIT });
    let store = temp.track(await open());

    const conversations = 40;
    const rounds = 12;
    const saved: { key: string; question: string; answerId: string }[] = [];
    for (let round = 0; round < rounds; round++) {
      for (let c = 0; c < conversations; c++) {
        now += 1000;
        const owner = { scope: "guild1", userId: `user${c}` };
        const key = `guild1:user${c}`;
        const at = clock().toISOString();
        const id = `r${round}-c${c}`;
        await store.saveAnswer(record(id, owner, key, at));
        await store.appendTurns(key, owner, [
          { role: "user", content: `question ${id} ${"q".repeat(150)}`, at },
          { role: "assistant", content: `answer ${id} ${"a".repeat(300)}`, at },
        ]);
        saved.push({ key, question: `question ${id} ${"q".repeat(150)}`, answerId: id });
      }
      // Every save along the way must be one the store can open.
      await store.flush();
      expect((await stat(path.join(dataDir, "db.json"))).size).toBeLessThanOrEqual(LIMIT);
    }
    await store.close();

    // Far more was written than one file may hold: the archive is not a formality.
    const archives = await archivedDatabases(dataDir);
    expect(archives.length).toBeGreaterThan(1);
    for (const archive of archives) expect(archive).not.toBeNull();

    // Reopen from disk: the file loads, and holds the newest exchanges.
    store = temp.track(await open());
    const live = saved.at(-1) as (typeof saved)[number];
    expect((await store.history(live.key)).at(-2)?.content).toBe(live.question);
    expect((await store.getAnswer(live.answerId))?.id).toBe(live.answerId);
    await store.close();

    // Nothing within retention is lost: each turn the conversation's retention keeps, and each answer
    // record it keeps, is in db.json or in an archive.
    const current = await new DatabaseFile(path.join(dataDir, "db.json")).read();
    const everywhere = [current, ...archives];
    const questions = new Set(
      everywhere.flatMap((state) =>
        [...(state?.conversations.values() ?? [])].flatMap((c) =>
          c.turns.map((t) => `${c.key}|${t.content}`),
        ),
      ),
    );
    const answerIds = new Set(everywhere.flatMap((state) => [...(state?.answers.keys() ?? [])]));
    const exchangesKept = retention.maxTurnsPerConversation / 2;
    for (let c = 0; c < conversations; c++) {
      const key = `guild1:user${c}`;
      for (const exchange of saved.filter((s) => s.key === key).slice(-exchangesKept)) {
        expect(questions.has(`${key}|${exchange.question}`), exchange.answerId).toBe(true);
        expect(answerIds.has(exchange.answerId), exchange.answerId).toBe(true);
      }
    }

    // One line says what happened and where the records went.
    const said = lines.filter((line) => String(line.msg).includes("would pass its 0.06 MiB limit"));
    expect(said.length).toBeGreaterThan(0);
    // Each line names the archive directories it wrote (more than one when the records fill several).
    expect(said.flatMap((line) => line.archive as string[]).length).toBe(archives.length);
    expect(said[0]?.level).toBe(40);
    expect(String(said[0]?.msg)).toMatch(
      /moved the \d+ oldest conversations and \d+ oldest answer records to .*archive/,
    );
  });

  it("a save past the limit leaves the file as it was, and says why", async () => {
    const file = path.join(await temp.tempDir(), "db.json");
    const small = new DatabaseFile(file, undefined, 2048);
    const state = emptyState();
    state.meta.set("note", JSON.stringify("small"));
    await small.write(state);
    state.meta.set("big", JSON.stringify("é".repeat(1500))); // 1,500 characters, 3,000 bytes
    await expect(small.write(state)).rejects.toThrow(DatabaseTooLargeError);
    const reread = await small.read();
    expect([...(reread?.meta.keys() ?? [])]).toEqual(["note"]);
    await expect(readdir(path.dirname(file))).resolves.toEqual(["db.json"]);
  });
});
