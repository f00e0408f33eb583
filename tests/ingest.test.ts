import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { loadArticles } from "../src/corpus/loadArticles.ts";
import { UserError } from "../src/errors.ts";
import { type IngestDeps, ingest, ingestDocument } from "../src/ingest/ingestSource.ts";
import { silentLogger } from "../src/log.ts";
import type { Article } from "../src/types.ts";
import {
  fixture,
  fixturePath,
  listRetriever,
  loopbackResolver,
  type PageServer,
  startPageServer,
} from "./fixtures/ingest/pageServer.ts";

const NOW = new Date("2025-03-20T08:00:00.000Z");
let server: PageServer;
let site: string;
let dataDir: string;
let retriever: ReturnType<typeof listRetriever>;
let deps: IngestDeps;

beforeAll(async () => {
  server = await startPageServer();
  site = server.site();
});
afterAll(() => server.close());

beforeEach(async () => {
  dataDir = await mkdtemp(join(tmpdir(), "storybot-ingest-"));
  retriever = listRetriever();
  deps = {
    dataDir,
    retriever,
    clock: () => NOW,
    log: silentLogger(),
    fetch: { allowLoopback: true, resolve: loopbackResolver },
  };
  server.routes.clear();
  server.hits.length = 0;
  server.routes.set("/news/lighthouse", { body: fixture("lighthouse.html") });
  server.routes.set("/wire/lighthouse", { body: fixture("lighthouse-syndicated.html") });
  server.routes.set("/travel/ferry", { body: fixture("ferry.html") });
});
afterEach(() => rm(dataDir, { recursive: true, force: true }));

const articlesDir = () => join(dataDir, "ingested");
const filesIn = async (dir: string) => readdir(dir).catch(() => [] as string[]);

function added(result: Awaited<ReturnType<typeof ingest>>): Article {
  if (!("added" in result))
    throw new Error(`expected an added article, got duplicate of ${result.duplicateOf}`);
  return result.added;
}

async function expectRefused(promise: Promise<unknown>, message: RegExp): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  expect((error as Error).message).toMatch(message);
  expect((error as Error).message).not.toContain("\n");
}

describe("ingest by URL", () => {
  it("extracts the article, writes it in the corpus format and adds it to the live index", async () => {
    const article = added(await ingest(deps, `${site}/news/lighthouse?utm_source=x&utm_medium=y#top`));

    expect(article.title).toBe("Council votes to restore Gull Point lighthouse");
    expect(article.published).toBe("2025-03-04T09:30:00.000Z");
    expect(article.source).toBe("Harbour Herald");
    expect(article.url).toBe(`${site}/news/lighthouse`);
    expect(article.ingestedAt).toBe(NOW.toISOString());
    expect(article.paragraphs).toHaveLength(5);
    expect(article.paragraphs[0]).toMatch(/^The town council voted seven to two/);
    expect(article.paragraphs.join(" ")).not.toMatch(/Privacy|Related|Weather/);
    expect(retriever.added).toEqual([[article]]);

    // The file holds exactly what the loader reads back after a restart.
    expect(await filesIn(articlesDir())).toEqual([`${article.id}.md`]);
    const reloaded = await loadArticles(articlesDir(), silentLogger());
    expect(reloaded).toEqual([article]);
  });

  it("follows a redirect to the article", async () => {
    server.routes.set("/short/ferry", { status: 301, headers: { location: "/travel/ferry" } });
    const article = added(await ingest(deps, `${site}/short/ferry`));
    expect(article.title).toBe("Night ferry to the islands returns after two winters");
    expect(article.published).toBe("2025-03-10");
    expect(article.url).toBe(`${site}/travel/ferry`);
  });

  it("refuses the same page again under a decorated link, without fetching it", async () => {
    const first = added(await ingest(deps, `${site}/news/lighthouse`));
    const fetches = server.hits.length;
    for (const link of [
      `${site}/news/lighthouse/?utm_campaign=spring&fbclid=abc`,
      `${server.site("HARBOUR-Herald.test")}/news/lighthouse?gclid=1#comments`,
    ]) {
      expect(await ingest(deps, link)).toEqual({ duplicateOf: first.id, reason: "same link" });
    }
    expect(server.hits.length).toBe(fetches);
    expect(await filesIn(articlesDir())).toEqual([`${first.id}.md`]);
    expect(retriever.articles()).toHaveLength(1);
  });

  it("refuses the same text under another link (syndicated copy)", async () => {
    const first = added(await ingest(deps, `${site}/news/lighthouse`));
    // The wire copy has other page furniture, another title and one extra word: nearly the same text.
    expect(await ingest(deps, `${site}/wire/lighthouse`)).toEqual({
      duplicateOf: first.id,
      reason: "nearly the same text",
    });
    // An exact copy of the article body under a third link.
    server.routes.set("/copy/lighthouse", {
      body: fixture("lighthouse.html").replace(
        '<link rel="canonical" href="/news/gull-point-lighthouse">',
        "",
      ),
    });
    expect(await ingest(deps, `${site}/copy/lighthouse`)).toEqual({
      duplicateOf: first.id,
      reason: "same text",
    });
    expect(await filesIn(articlesDir())).toEqual([`${first.id}.md`]);
  });

  it("adds a different article from the same site", async () => {
    const lighthouse = added(await ingest(deps, `${site}/news/lighthouse`));
    const ferry = added(await ingest(deps, `${site}/travel/ferry`));
    expect(ferry.id).not.toBe(lighthouse.id);
    expect(retriever.articles().map((a) => a.id)).toEqual([lighthouse.id, ferry.id]);
  });

  it("gives two articles with the same title their own files", async () => {
    const first = added(await ingest(deps, `${site}/travel/ferry`));
    server.routes.set("/travel/ferry-update", {
      body: fixture("ferry.html").replace(
        /<p>The night ferry[\s\S]*<\/article>/,
        `<p>${"The operator has now published the summer timetable for the night ferry, with an extra Sunday sailing in August and a new stop at the island of Wren. ".repeat(3)}</p></article>`,
      ),
    });
    const second = added(await ingest(deps, `${site}/travel/ferry-update`));
    expect(second.title).toBe(first.title);
    expect(second.id).toBe(`${first.id}-2`);
    expect((await filesIn(articlesDir())).sort()).toEqual([`${first.id}-2.md`, `${first.id}.md`]);
  });
});

describe("ingest by file", () => {
  it("adds a plain-text corpus file", async () => {
    const article = added(await ingest(deps, fixturePath("harbour-wall.txt")));
    expect(article.title).toBe("Harbour wall repairs delayed until autumn");
    expect(article.standfirst).toBe("Contractor blames a shortage of granite blocks");
    expect(article.paragraphs).toHaveLength(3);
    expect(article.url).toBeUndefined();
    expect(await loadArticles(articlesDir(), silentLogger())).toEqual([article]);
  });

  it("adds a Markdown file with front matter, keeping its link without tracking parameters", async () => {
    const article = added(await ingest(deps, fixturePath("market-hall.md")));
    expect(article).toMatchObject({
      title: "Old market hall to become a covered food market",
      url: "https://harbour-herald.example/news/market-hall",
      source: "Harbour Herald",
      published: "2025-03-12",
    });
    expect(article.paragraphs).toHaveLength(3);
    expect(article.paragraphs[1]).toMatch(/^The building, closed since 2019/);
    expect(await loadArticles(articlesDir(), silentLogger())).toEqual([article]);
  });

  it("adds a saved HTML page, taking its link from the canonical URL", async () => {
    const dir = await mkdtemp(join(tmpdir(), "storybot-html-"));
    const page = fixture("lighthouse.html").replace(
      'href="/news/gull-point-lighthouse"',
      'href="https://harbour-herald.example/news/gull-point-lighthouse"',
    );
    await writeFile(join(dir, "saved.html"), page);
    const article = added(await ingest(deps, join(dir, "saved.html")));
    await rm(dir, { recursive: true });
    expect(article.title).toBe("Council votes to restore Gull Point lighthouse");
    expect(article.url).toBe("https://harbour-herald.example/news/gull-point-lighthouse");
    expect(article.paragraphs).toHaveLength(5);
  });

  it("adds an uploaded document (bytes with a file name)", async () => {
    const bytes = new TextEncoder().encode(fixture("harbour-wall.txt"));
    const article = added(await ingestDocument(deps, { name: "wall.txt", bytes }));
    expect(article.title).toBe("Harbour wall repairs delayed until autumn");
  });

  it("refuses a file whose text is already in the corpus", async () => {
    const first = added(await ingest(deps, fixturePath("harbour-wall.txt")));
    const dir = await mkdtemp(join(tmpdir(), "storybot-copy-"));
    await writeFile(
      join(dir, "copy.md"),
      `---\ntitle: Wall repairs late\n---\n\n${first.paragraphs.join("\n\n")}\n`,
    );
    const result = await ingest(deps, join(dir, "copy.md"));
    await rm(dir, { recursive: true });
    expect(result).toEqual({ duplicateOf: first.id, reason: "same text" });
  });
});

describe("bad input: one clear line, nothing written", () => {
  let scratch: string;
  beforeEach(async () => {
    scratch = await mkdtemp(join(tmpdir(), "storybot-bad-"));
  });
  afterEach(async () => {
    await rm(scratch, { recursive: true, force: true });
    // Nothing, not even a temporary file, was left in the articles directory.
    expect(await filesIn(articlesDir())).toEqual([]);
    expect(retriever.added).toEqual([]);
  });

  it("refuses a file over the size limit", async () => {
    const path = join(scratch, "big.txt");
    await writeFile(path, `Title\nStandfirst\n${"A long paragraph of the story. ".repeat(2000)}\n`);
    await expectRefused(
      ingest({ ...deps, maxBytes: 10_000 }, path),
      /big\.txt is too big: the limit is 10 KB/,
    );
  });

  it("refuses a page over the size limit", async () => {
    await expectRefused(
      ingest({ ...deps, maxBytes: 2_000 }, `${site}/news/lighthouse`),
      /larger than the 2 KB limit/,
    );
  });

  it("refuses a file that is not UTF-8", async () => {
    const path = join(scratch, "latin1.txt");
    // "Café" in Latin-1: the é is the lone byte 0xE9, invalid in UTF-8.
    await writeFile(
      path,
      Buffer.from("Caf\u00e9 reopens\nStandfirst\nThe caf\u00e9 on the quay reopens.\n", "latin1"),
    );
    await expectRefused(ingest(deps, path), /latin1\.txt is not valid UTF-8 text/);
  });

  it("refuses a page without article text", async () => {
    server.routes.set("/", { body: fixture("front-page.html") });
    await expectRefused(ingest(deps, `${site}/`), /No article text found/);
  });

  it("refuses a text file that is not in the corpus format", async () => {
    const path = join(scratch, "title-only.txt");
    await writeFile(path, "Just a title\n");
    await expectRefused(
      ingest(deps, path),
      /title-only\.txt is not an article in the corpus format: .*no body paragraphs/,
    );
  });

  it("refuses file types it cannot read", async () => {
    const path = join(scratch, "report.pdf");
    await writeFile(path, "%PDF-1.7");
    await expectRefused(ingest(deps, path), /only \.html, \.md and \.txt articles can be added/);
  });

  it("refuses a link to something that is not a page", async () => {
    server.routes.set("/data.json", { type: "application/json", body: "{}" });
    await expectRefused(ingest(deps, `${site}/data.json`), /is application\/json, not a web page/);
  });

  it("refuses a missing file and an unsupported scheme", async () => {
    await expectRefused(ingest(deps, join(scratch, "nope.md")), /Cannot read .*nope\.md: ENOENT/);
    await expectRefused(ingest(deps, "ftp://example.com/a.txt"), /Only http and https links/);
  });

  it("refuses an HTTP error page", async () => {
    await expectRefused(ingest(deps, `${site}/missing`), /answered HTTP 404/);
  });
});
