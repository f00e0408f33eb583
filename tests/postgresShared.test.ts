// What several processes sharing one PostgreSQL database rely on. Each "process" here is a storage
// opened separately (its own connection pool and listener), as a second bot process would.
import pg from "pg";
import { afterEach, expect, it, vi } from "vitest";
import { ingestDocument } from "../src/ingest/ingestSource.ts";
import { startFeedPolling } from "../src/ingest/pollFeeds.ts";
import { createLlmBudget } from "../src/llm/llmBudget.ts";
import { silentLogger } from "../src/log.ts";
import { openStorage, type Storage } from "../src/store/openStorage.ts";
import { MIGRATIONS } from "../src/store/postgres/migrations.ts";
import { fixture, listRetriever, loopbackResolver, startPageServer } from "./fixtures/ingest/pageServer.ts";
import { describePostgres, useTestDatabases } from "./postgresTestDatabase.ts";
import { useTempStores } from "./testHelpers.ts";

const { createTestDatabase } = useTestDatabases();
const { tempDir } = useTempStores("storybot-shared-");
const clock = () => new Date("2025-06-01T12:00:00.000Z");
const opened: Storage[] = [];
afterEach(async () => {
  for (const storage of opened.splice(0)) await storage.close();
});

async function processOn(url: string): Promise<Storage> {
  const storage = await openStorage({
    dataDir: await tempDir(),
    databaseUrl: url,
    log: silentLogger(),
    clock,
  });
  opened.push(storage);
  return storage;
}

function article(title: string, paragraph: string): { name: string; bytes: Uint8Array } {
  const text = `---\ntitle: ${title}\nurl: https://news.example/${encodeURIComponent(title)}\n---\n\n${paragraph}\n`;
  return { name: `${title}.md`, bytes: new TextEncoder().encode(text) };
}

function ingestThrough(storage: Storage, retriever: ReturnType<typeof listRetriever>) {
  return { dataDir: "/nonexistent", retriever, clock, log: silentLogger(), shelf: storage.shelf };
}

describePostgres("PostgreSQL shared by several processes", () => {
  it("lets each process see the conversations the other wrote", async () => {
    const url = await createTestDatabase();
    const [a, b] = [await processOn(url), await processOn(url)];
    const owner = { scope: "g1", userId: "u1" };
    const at = clock().toISOString();
    await a.store.appendTurns("chan:g1:c1:u1", owner, [
      { role: "user", content: "Who opened the bridge?", at },
      { role: "assistant", content: "The mayor [1].", at },
    ]);
    expect(await b.store.history("chan:g1:c1:u1")).toHaveLength(2);
    await b.store.appendTurns("chan:g1:c1:u1", owner, [{ role: "user", content: "When?", at }]);
    expect((await a.store.history("chan:g1:c1:u1")).map((t) => t.content)).toEqual([
      "Who opened the bridge?",
      "The mayor [1].",
      "When?",
    ]);
  });

  it("gives a day's summary post to exactly one of the processes claiming it at once", async () => {
    const url = await createTestDatabase();
    const processes = [await processOn(url), await processOn(url), await processOn(url)];
    const claims = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        processes[i % 3]?.store.claimSummaryPost({
          key: "g1:c1:2025-06-01",
          guildId: "g1",
          channelId: "c1",
          localDate: "2025-06-01",
          claimedAt: clock().toISOString(),
        }),
      ),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
  });

  it("never lets processes overdraw a model allowance together", async () => {
    const url = await createTestDatabase();
    const [a, b] = [await processOn(url), await processOn(url)];
    const budgets = [createLlmBudget(a.store, clock, 5), createLlmBudget(b.store, clock, 5)];
    const taken = await Promise.all(Array.from({ length: 20 }, (_, i) => budgets[i % 2]?.take("busy")));
    expect(taken.filter(Boolean)).toHaveLength(5);
  });

  it("adds an article ingested by one process to the other's index, announced by NOTIFY", async () => {
    const url = await createTestDatabase();
    const [a, b] = [await processOn(url), await processOn(url)];
    const [indexA, indexB] = [listRetriever(), listRetriever()];
    // The periodic check is far off: only the notification can deliver it in time.
    b.follow(indexB, { checkEveryMs: 600_000 });
    await vi.waitFor(async () => expect(await listeners(url)).toBe(1));
    const result = await ingestDocument(
      ingestThrough(a, indexA),
      article("Bridge opens", "The new bridge opened on Monday after four years of work."),
    );
    expect("added" in result && result.added.id).toBe("bridge-opens");
    await vi.waitFor(() => expect(indexB.articles().map((x) => x.id)).toEqual(["bridge-opens"]), 5_000);
    // A third process starting later loads it with the rest of the corpus.
    const c = await processOn(url);
    expect((await c.loadSharedArticles()).map((x) => x.title)).toEqual(["Bridge opens"]);
  });

  it("finds articles by the periodic check when no notification arrives", async () => {
    const url = await createTestDatabase();
    const [a, b] = [await processOn(url), await processOn(url)];
    const indexB = listRetriever();
    b.follow(indexB, { listen: false, checkEveryMs: 200 });
    await ingestDocument(
      ingestThrough(a, listRetriever()),
      article("Ferry returns", "The ferry returned to service on Friday."),
    );
    await vi.waitFor(() => expect(indexB.articles().map((x) => x.id)).toEqual(["ferry-returns"]), 5_000);
  });

  it("adds an article once when two processes ingest it at the same moment", async () => {
    const url = await createTestDatabase();
    const [a, b] = [await processOn(url), await processOn(url)];
    const doc = article("Harbour wall", "The harbour wall was repaired in March by the council.");
    const results = await Promise.all([
      ingestDocument(ingestThrough(a, listRetriever()), doc),
      ingestDocument(ingestThrough(b, listRetriever()), doc),
    ]);
    expect(results.filter((r) => "added" in r)).toHaveLength(1);
    expect(results.filter((r) => "duplicateOf" in r)).toHaveLength(1);
    expect(await a.loadSharedArticles()).toHaveLength(1);
  });

  it("gives a lock to one process at a time: a feed poll elsewhere is skipped, not doubled", async () => {
    const url = await createTestDatabase();
    const [a, b] = [await processOn(url), await processOn(url)];
    let release: () => void = () => {};
    const polling = a.coordination.runIfFree(
      "feeds",
      () => new Promise<string>((r) => (release = () => r("a"))),
    );
    await vi.waitFor(async () => expect(await advisoryLocks(url)).toBe(1));
    expect(await b.coordination.runIfFree("feeds", async () => "b")).toBeUndefined();
    release();
    expect(await polling).toBe("a");
    expect(await b.coordination.runIfFree("feeds", async () => "b")).toBe("b");
  });

  it("reads the feeds once per interval however many processes poll them", async () => {
    const url = await createTestDatabase();
    const server = await startPageServer();
    try {
      const site = server.site("islands.test");
      server.routes.set("/news/lighthouse", { body: fixture("lighthouse.html") });
      server.routes.set("/feed.xml", {
        type: "application/rss+xml; charset=utf-8",
        body: `<?xml version="1.0"?><rss version="2.0"><channel><title>Islands</title><link>${site}/</link><item><title>Lighthouse</title><link>${site}/news/lighthouse</link><guid>l1</guid></item></channel></rss>`,
      });
      const processes = [await processOn(url), await processOn(url), await processOn(url)];
      const pollers = processes.map((storage) =>
        startFeedPolling({
          ...ingestThrough(storage, listRetriever()),
          fetch: { allowLoopback: true, resolve: loopbackResolver },
          store: storage.store,
          feedUrls: [`${site}/feed.xml`],
          minutes: 30,
          shared: storage.coordination,
        }),
      );
      const reports = (await Promise.all(pollers.map((poller) => poller.pollNow()))).flat();
      // Whichever processes got the lock and found the poll due, the feed and its page were read once.
      expect(reports.flatMap((r) => r.added)).toEqual(["council-votes-to-restore-gull-point-lighthouse"]);
      expect(server.hits.filter((hit) => hit === "/feed.xml")).toHaveLength(1);
      // Later polls within the interval, by any process, are not due.
      expect((await pollers[1]?.pollNow())?.length).toBe(0);
      expect(server.hits.filter((hit) => hit === "/feed.xml")).toHaveLength(1);
      for (const poller of pollers) await poller.stop();
    } finally {
      await server.close();
    }
  });

  it("migrates once when several processes start together", async () => {
    const url = await createTestDatabase();
    await Promise.all([processOn(url), processOn(url), processOn(url)]);
    const rows = await query(url, "select version from storybot_migrations order by version");
    // Each migration once.
    expect(rows).toEqual(MIGRATIONS.map(({ version }) => ({ version })));
  });
});

async function query(url: string, sql: string): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

async function listeners(url: string): Promise<number> {
  const rows = await query(
    url,
    "select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'storybot listener' and query ilike 'listen%'",
  );
  return Number(rows[0]?.n);
}

async function advisoryLocks(url: string): Promise<number> {
  const rows = await query(
    url,
    "select count(*)::int as n from pg_locks where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())",
  );
  return Number(rows[0]?.n);
}
