// `storybot db import` and `db export`: a lowdb data directory into PostgreSQL and back, losing
// nothing: every record (fields a later version added included) and every ingested article, byte
// for byte. Real processes, a real server.
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { expect, it } from "vitest";
import { ingestDocument } from "../src/ingest/ingestSource.ts";
import { silentLogger } from "../src/log.ts";
import { DatabaseFile } from "../src/store/databaseFile.ts";
import type { DbState } from "../src/store/dbSchema.ts";
import { openStore } from "../src/store/lowdbStore.ts";
import { openStorage } from "../src/store/openStorage.ts";
import { listRetriever } from "./fixtures/ingest/pageServer.ts";
import { describePostgres, useTestDatabases } from "./postgresTestDatabase.ts";
import { runCli } from "./runCli.ts";
import { useTempStores } from "./testHelpers.ts";

const { createTestDatabase } = useTestDatabases();
const { tempDir } = useTempStores("storybot-transfer-");
const clock = () => new Date("2025-06-01T12:00:00.000Z");
const SHIPPED = "Harbour story\nThe standfirst.\nA paragraph of the shipped story.\n";

/** A lowdb data directory with something of everything, as a bot leaves it. */
async function lowdbDirectory(): Promise<string> {
  const dir = await tempDir();
  const store = await openStore({ dataDir: dir, log: silentLogger(), clock });
  const alice = { scope: "111111111111111111", userId: "222222222222222222" };
  await store.appendTurns("chan:111111111111111111:333:222222222222222222", alice, [
    { role: "user", content: "Who opened the bridge?", at: "2025-06-01T10:00:00.000Z" },
    { role: "assistant", content: "The mayor did [1].", at: "2025-06-01T10:00:01.000Z" },
  ]);
  await store.appendTurns("cli:notes", { scope: "cli", userId: "notes" }, [
    { role: "user", content: "When? \u{1F309} «quoted» 'single'", at: "not a date" },
  ]);
  await store.saveAnswer({
    id: "answer-1",
    conversationKey: "chan:111111111111111111:333:222222222222222222",
    ...alice,
    question: "Who opened the bridge?",
    answer: "The mayor did [1].",
    citations: [
      {
        n: 1,
        passageId: "bridge#2",
        title: "Bridge",
        paragraph: 2,
        quote: "the mayor",
        url: "https://x.test/b",
      },
    ],
    mode: "llm",
    notice: "A notice.",
    at: "2025-06-01T10:00:01.000Z",
    messageId: "444",
    channelId: "333",
    feedback: { "555": 1, "666": -1 },
  });
  await store.updateGuildSettings("111111111111111111", {
    summaryChannelId: "777",
    summaryTime: "08:30",
    summaryTimezone: "Europe/Berlin",
    askChannelIds: ["888", "999"],
    skipQuietDays: true,
  });
  const claim = (date: string) => ({
    key: `111111111111111111:777:${date}`,
    guildId: "111111111111111111",
    channelId: "777",
    localDate: date,
    claimedAt: `${date}T06:30:00.000Z`,
  });
  await store.claimSummaryPost(claim("2025-05-31"));
  await store.recordSummaryPost("111111111111111111:777:2025-05-31", "1010", "2025-05-31T06:30:05.000Z");
  await store.claimSummaryPost(claim("2025-06-01"));
  await store.setMeta("feed:https://x.test/feed.xml", { seen: ["a", "b"], pending: {}, abandoned: {} });
  await store.takeAllowance("llmBudget:111111111111111111", "2025-06-01", 10);
  await store.setMeta("discord.commandsHash.1.global", "abc123");
  await store.close();
  // Fields a later version might add, on every kind of record.
  const file = path.join(dir, "db.json");
  const json = JSON.parse(await readFile(file, "utf8"));
  json.conversations[0].topic = "bridge";
  json.conversations[0].turns[0].edited = true;
  json.answers[0].model = "some-model";
  json.guilds[0].locale = "de";
  json.summaryPosts[0].edits = 2;
  await writeFile(file, JSON.stringify(json));
  // An ingested article (in DATA_DIR/ingested), and one of the story's own (not moved).
  await ingestDocument(
    { dataDir: dir, retriever: listRetriever(), clock, log: silentLogger() },
    {
      name: "bridge.md",
      bytes: new TextEncoder().encode(
        "---\ntitle: Bridge opens\nurl: https://x.test/b\n---\n\nThe mayor opened the bridge on Monday.\n",
      ),
    },
  );
  await mkdir(path.join(dir, "articles"), { recursive: true });
  await writeFile(path.join(dir, "articles", "shipped.txt"), SHIPPED);
  return dir;
}

async function readState(dir: string): Promise<DbState> {
  const state = await new DatabaseFile(path.join(dir, "db.json")).read();
  if (!state) throw new Error(`no db.json in ${dir}`);
  return state;
}

/** The state as plain sorted data, so that two states compare by content, not by key order. */
function comparable(state: DbState) {
  const sorted = <T>(map: Map<string, T>) => [...map.entries()].sort(([a], [b]) => a.localeCompare(b));
  return {
    conversations: sorted(state.conversations),
    answers: sorted(state.answers).map(([id, stored]) => [id, JSON.parse(stored.json)]),
    guilds: sorted(state.guilds),
    summaryPosts: sorted(state.summaryPosts),
    meta: sorted(state.meta).map(([key, json]) => [key, JSON.parse(json)]),
  };
}

describePostgres("db import and db export", () => {
  it("moves a lowdb database and its ingested articles into PostgreSQL and back, losing nothing", async () => {
    const source = await lowdbDirectory();
    const url = await createTestDatabase();
    const env = { DATABASE_URL: url };

    const imported = await runCli(["db", "import", "--data-dir", source], { cwd: source, env });
    expect(imported.stderr).toBe("");
    expect(imported.code).toBe(0);
    expect(imported.stdout).toMatch(
      /Imported 2 conversations, 3 messages, 1 answer record, 1 server's settings, 2 summary posts, 3 state entries, 1 article/,
    );

    // The PostgreSQL store serves what the lowdb one held.
    const storage = await openStorage({
      dataDir: await tempDir(),
      databaseUrl: url,
      log: silentLogger(),
      clock,
    });
    try {
      expect(await storage.store.history("chan:111111111111111111:333:222222222222222222")).toHaveLength(2);
      expect((await storage.store.findAnswerByMessage("444"))?.feedback).toEqual({ "555": 1, "666": -1 });
      expect(
        await storage.store.claimSummaryPost({
          key: "111111111111111111:777:2025-06-01",
          guildId: "111111111111111111",
          channelId: "777",
          localDate: "2025-06-01",
          claimedAt: "x",
        }),
      ).toBe(false);
      expect(await storage.store.takeAllowance("llmBudget:111111111111111111", "2025-06-01", 1)).toBe(false);
      expect((await storage.loadSharedArticles()).map((a) => a.id)).toEqual(["bridge-opens"]);
    } finally {
      await storage.close();
    }

    // Importing again changes nothing: records are replaced, not doubled.
    expect((await runCli(["db", "import", "--data-dir", source], { cwd: source, env })).code).toBe(0);

    const target = await tempDir();
    const exported = await runCli(["db", "export", "--data-dir", target], { cwd: target, env });
    expect(exported.stderr).toBe("");
    expect(exported.code).toBe(0);
    expect(comparable(await readState(target))).toEqual(comparable(await readState(source)));
    expect(await readdir(path.join(target, "ingested"))).toEqual(["bridge-opens.md"]);
    expect(await readFile(path.join(target, "ingested", "bridge-opens.md"), "utf8")).toBe(
      await readFile(path.join(source, "ingested", "bridge-opens.md"), "utf8"),
    );
    // And the exported directory is a lowdb database storybot opens.
    const reopened = await openStore({ dataDir: target, log: silentLogger(), clock });
    expect(await reopened.getMeta("discord.commandsHash.1.global")).toBe("abc123");
    await reopened.close();
  });

  it("refuses to overwrite a database, or to run beside a lowdb bot", async () => {
    const source = await lowdbDirectory();
    const url = await createTestDatabase();
    const overwrite = await runCli(["db", "export", "--data-dir", source], {
      cwd: source,
      env: {
        DATABASE_URL: url,
      },
    });
    expect(overwrite.code).toBe(1);
    expect(overwrite.stderr).toMatch(/db\.json already exists/);

    const bot = await openStore({ dataDir: source, log: silentLogger(), clock });
    try {
      const beside = await runCli(["db", "import", "--data-dir", source], {
        cwd: source,
        env: { DATABASE_URL: url },
      });
      expect(beside.code).toBe(1);
      expect(beside.stderr).toMatch(/Another storybot is using/);
    } finally {
      await bot.close();
    }
  });
});
