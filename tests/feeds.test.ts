import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadArticles } from "../src/corpus/loadArticles.ts";
import { parseFeed } from "../src/ingest/parseFeed.ts";
import {
  type FeedDeps,
  MAX_ATTEMPTS,
  pollFeed,
  pollFeeds,
  startFeedPolling,
} from "../src/ingest/pollFeeds.ts";
import { silentLogger } from "../src/log.ts";
import { openStore } from "../src/store/lowdbStore.ts";
import type { Store } from "../src/store/store.ts";
import {
  fixture,
  listRetriever,
  loopbackResolver,
  type PageServer,
  startPageServer,
} from "./fixtures/ingest/pageServer.ts";
import { capturingLogger } from "./testHelpers.ts";

const NOW = new Date("2025-03-20T08:00:00.000Z");
const clock = () => NOW;
let server: PageServer;
let site: string;
let dataDir: string;
let store: Store;

beforeAll(async () => {
  server = await startPageServer();
  site = server.site("islands.test");
});
afterAll(() => server.close());

beforeEach(async () => {
  server.routes.clear();
  server.hits.length = 0;
  dataDir = await mkdtemp(join(tmpdir(), "storybot-feeds-"));
  store = await openStore({ dataDir, log: silentLogger(), clock, writeDelayMs: 0 });
  server.routes.set("/news/lighthouse", { body: fixture("lighthouse.html") });
  server.routes.set("/travel/ferry", { body: fixture("ferry.html") });
  server.routes.set("/wire/lighthouse", { body: fixture("lighthouse-syndicated.html") });
});
afterEach(async () => {
  await store.close();
  await rm(dataDir, { recursive: true, force: true });
});

interface Item {
  path: string;
  guid: string;
  title: string;
  pubDate?: string;
}

function rss(items: Item[]): string {
  const entries = items
    .map(
      (i) =>
        `<item><title>${i.title}</title><link>${site}${i.path}</link><guid isPermaLink="false">${i.guid}</guid>${
          i.pubDate ? `<pubDate>${i.pubDate}</pubDate>` : ""
        }</item>`,
    )
    .join("\n");
  return `<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel><title>Islands</title><link>${site}/</link>\n${entries}\n</channel></rss>`;
}

const LIGHTHOUSE: Item = { path: "/news/lighthouse", guid: "herald-101", title: "Lighthouse" };
const FERRY: Item = {
  path: "/travel/ferry",
  guid: "herald-102",
  title: "Ferry",
  pubDate: "Mon, 10 Mar 2025 06:00:00 GMT",
};

function serveFeed(items: Item[], path = "/feed.xml"): string {
  server.routes.set(path, { type: "application/rss+xml; charset=utf-8", body: rss(items) });
  return `${site}${path}`;
}

function feedDeps(feedUrls: string[], retriever = listRetriever(), log = silentLogger()): FeedDeps {
  return {
    dataDir,
    retriever,
    clock,
    log,
    store,
    feedUrls,
    fetch: { allowLoopback: true, resolve: loopbackResolver },
  };
}

const articleFiles = async () =>
  (await readdir(join(dataDir, "ingested")).catch(() => [] as string[])).sort();
const pageFetches = (path: string) => server.hits.filter((hit) => hit === path).length;

describe("feed polling", () => {
  it("ingests new items and leaves items seen before alone", async () => {
    const feed = serveFeed([LIGHTHOUSE]);
    const deps = feedDeps([feed]);

    const [first] = await pollFeeds(deps);
    expect(first).toMatchObject({ feed, duplicates: 0, retrying: [], abandoned: [] });
    expect(first?.added).toHaveLength(1);
    expect(deps.retriever.articles().map((a) => a.title)).toEqual([
      "Council votes to restore Gull Point lighthouse",
    ]);

    // The feed grows by one item: only that one is fetched.
    serveFeed([FERRY, LIGHTHOUSE]);
    const [second] = await pollFeeds(deps);
    expect(second?.added).toHaveLength(1);
    expect(pageFetches("/news/lighthouse")).toBe(1);
    expect(pageFetches("/travel/ferry")).toBe(1);
    const ferry = deps.retriever.articles().find((a) => a.id === second?.added[0]);
    expect(ferry?.published).toBe("2025-03-10");

    const [third] = await pollFeeds(deps);
    expect(third).toMatchObject({ added: [], duplicates: 0, retrying: [] });
    expect(await articleFiles()).toHaveLength(2);
  });

  it("remembers what it has seen across a restart (reopened store, reloaded corpus)", async () => {
    const feed = serveFeed([LIGHTHOUSE, FERRY]);
    const [before] = await pollFeeds(feedDeps([feed]));
    expect(before?.added).toHaveLength(2);
    await store.close();

    store = await openStore({ dataDir, log: silentLogger(), clock, writeDelayMs: 0 });
    const reloaded = listRetriever(await loadArticles(join(dataDir, "ingested"), silentLogger()));
    const hitsBefore = server.hits.length;
    const [after] = await pollFeeds(feedDeps([feed], reloaded));
    expect(after).toMatchObject({ added: [], duplicates: 0, retrying: [] });
    // Only the feed itself was fetched again, none of its items.
    expect(server.hits.slice(hitsBefore)).toEqual(["/feed.xml"]);
    expect(reloaded.added).toEqual([]);
    expect(await articleFiles()).toHaveLength(2);
  });

  it("counts an item whose text the corpus already has as seen, not added", async () => {
    const feed = serveFeed([LIGHTHOUSE, { path: "/wire/lighthouse", guid: "wire-1", title: "Wire copy" }]);
    const deps = feedDeps([feed]);
    const [report] = await pollFeeds(deps);
    expect(report?.added).toHaveLength(1);
    expect(report?.duplicates).toBe(1);
    const [again] = await pollFeeds(deps);
    expect(again).toMatchObject({ added: [], duplicates: 0 });
    expect(pageFetches("/wire/lighthouse")).toBe(1);
  });

  it("retries a failed item on later polls, across a restart, until it works", async () => {
    const broken: Item = { path: "/news/late", guid: "herald-103", title: "Late" };
    const feed = serveFeed([broken]);
    const { log, lines } = capturingLogger();
    const deps = feedDeps([feed], listRetriever(), log);

    const [first] = await pollFeeds(deps);
    expect(first).toMatchObject({ added: [], retrying: [`${site}/news/late`] });
    const warning = lines.find((l) => l.msg === "feed item failed; will retry on the next poll");
    expect(warning).toMatchObject({ link: `${site}/news/late`, attempts: 1 });
    expect(String(warning?.reason)).toMatch(/answered HTTP 404/);

    // The item drops out of the feed and the bot restarts: the failure is still remembered.
    serveFeed([]);
    await store.close();
    store = await openStore({ dataDir, log: silentLogger(), clock, writeDelayMs: 0 });
    server.routes.set("/news/late", { body: fixture("ferry.html") });
    const [second] = await pollFeeds({ ...deps, store });
    expect(second?.added).toHaveLength(1);
    expect(second?.retrying).toEqual([]);
    expect(await articleFiles()).toHaveLength(1);
  });

  it("gives up on an item after a bounded number of attempts and says so", async () => {
    const feed = serveFeed([{ path: "/gone", guid: "gone-1", title: "Gone" }]);
    const { log, lines } = capturingLogger();
    const deps = feedDeps([feed], listRetriever(), log);
    for (let i = 1; i < MAX_ATTEMPTS; i++) {
      expect((await pollFeed(deps, feed)).retrying).toEqual([`${site}/gone`]);
    }
    expect(await pollFeed(deps, feed)).toMatchObject({ retrying: [], abandoned: [`${site}/gone`] });
    expect(lines.filter((l) => l.msg === "feed item abandoned after repeated failures")).toHaveLength(1);
    // Abandoned means not tried again.
    const fetches = pageFetches("/gone");
    expect(await pollFeed(deps, feed)).toMatchObject({ retrying: [], abandoned: [] });
    expect(pageFetches("/gone")).toBe(fetches);
    expect(fetches).toBe(MAX_ATTEMPTS);
  });

  it("reports a feed that is not XML in one log line and writes nothing", async () => {
    server.routes.set("/not-a-feed", {
      type: "text/html",
      body: fixture("front-page.html").replace("<!doctype html>", ""),
    });
    server.routes.set("/broken.xml", { type: "application/xml", body: "<rss><channel><item>oops</channel>" });
    const { log, lines } = capturingLogger();
    const deps = feedDeps([`${site}/not-a-feed`, `${site}/broken.xml`], listRetriever(), log);
    const reports = await pollFeeds(deps);
    expect(reports.map((r) => r.error)).toEqual([
      expect.stringMatching(/not-a-feed is not a feed: not XML \(/),
      expect.stringMatching(/broken\.xml is not a feed: not XML/),
    ]);
    const feedLines = lines.filter((l) => l.msg === "feed could not be read");
    expect(feedLines).toHaveLength(2);
    for (const line of feedLines) expect(String(line.reason)).not.toContain("\n");
    expect(await articleFiles()).toEqual([]);
  });

  it("polls at start and stops cleanly", async () => {
    const feed = serveFeed([LIGHTHOUSE]);
    const poller = startFeedPolling({ ...feedDeps([feed]), minutes: 30 });
    const reports = await poller.pollNow();
    await poller.stop();
    expect(reports.flatMap((r) => r.added)).toHaveLength(1);
    expect(await articleFiles()).toHaveLength(1);
  });

  it("does nothing without feeds", async () => {
    const poller = startFeedPolling({ ...feedDeps([]), minutes: 30 });
    expect(await poller.pollNow()).toEqual([]);
    await poller.stop();
  });
});

describe("feed parsing", () => {
  it("reads RSS 2.0 items: guid, link, title and date", () => {
    const items = parseFeed(rss([FERRY, LIGHTHOUSE]), `${site}/feed.xml`);
    expect(items).toEqual([
      {
        key: "herald-102",
        link: `${site}/travel/ferry`,
        title: "Ferry",
        published: "2025-03-10T06:00:00.000Z",
      },
      { key: "herald-101", link: `${site}/news/lighthouse`, title: "Lighthouse" },
    ]);
  });

  it("reads Atom entries, taking the alternate link and resolving relative links", () => {
    const atom = `<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Herald</title>
  <entry><title type="html">Lighthouse &amp; harbour</title><id>tag:herald,2025:101</id>
    <link rel="self" href="https://herald.example/api/101"/><link rel="alternate" href="/news/lighthouse"/>
    <published>2025-03-04T09:30:00Z</published></entry>
  <entry><title>No link</title><id>tag:herald,2025:102</id></entry>
</feed>`;
    expect(parseFeed(atom, "https://herald.example/feed.atom")).toEqual([
      {
        key: "tag:herald,2025:101",
        link: "https://herald.example/news/lighthouse",
        title: "Lighthouse & harbour",
        published: "2025-03-04T09:30:00Z",
      },
    ]);
  });

  it("refuses XML that is not a feed, and text that is not XML", () => {
    expect(() => parseFeed("<html><body><p>hi</p></body></html>", "https://x.example/f")).toThrow(
      "https://x.example/f is XML but not an RSS or Atom feed.",
    );
    expect(() => parseFeed("{ not: xml }", "https://x.example/f")).toThrow(/is not a feed: not XML/);
  });
});
