// Size limits on one article and on the corpus (ingest refuses, loading skips, both saying why), and
// the parsed-article cache that spares start-up from parsing unchanged articles again.
import { mkdir, mkdtemp, readFile, rm, stat, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createCore } from "../src/app.ts";
import { parseConfig } from "../src/config.ts";
import { type CorpusLimits, DEFAULT_LIMITS } from "../src/corpus/corpusLimits.ts";
import { loadCorpus } from "../src/corpus/loadCorpus.ts";
import { openParsedArticleCache } from "../src/corpus/parsedArticleCache.ts";
import { parserSources } from "../src/corpus/parserFingerprint.ts";
import { UserError } from "../src/errors.ts";
import { type IngestDeps, ingestDocument } from "../src/ingest/ingestSource.ts";
import { silentLogger } from "../src/log.ts";
import { listRetriever } from "./fixtures/ingest/pageServer.ts";
import { capturingLogger } from "./testHelpers.ts";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "storybot-limits-"));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const NOW = new Date("2025-03-20T08:00:00.000Z");

/** A Markdown article with `paragraphs` short paragraphs. */
function markdown(title: string, paragraphs: number, words = "The ferry left the harbour on time"): string {
  const body = Array.from({ length: paragraphs }, (_, i) => `${words} (${i + 1}).`).join("\n\n");
  return `---\ntitle: '${title}'\n---\n\n${body}\n`;
}

function depsWith(limits?: CorpusLimits): IngestDeps & { retriever: ReturnType<typeof listRetriever> } {
  return {
    dataDir: dir,
    retriever: listRetriever(),
    clock: () => NOW,
    log: silentLogger(),
    ...(limits ? { limits } : {}),
  };
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UserError);
  return (error as Error).message;
}

const doc = (name: string, text: string) => ({ name, bytes: new TextEncoder().encode(text) });

describe("ingest refuses what is over a limit, and writes nothing", () => {
  it("an article of 60,000 paragraphs (5 MB)", async () => {
    const deps = depsWith();
    const huge = markdown("Endless", 60_000, "Word");
    expect(huge.length).toBeGreaterThan(500_000);
    const message = await refusal(ingestDocument(deps, doc("endless.md", huge)));
    expect(message).toMatch(
      /^Not added: endless\.md is too big: it is [\d.]+ (KB|MB); the limit is 512 KB per article\.$/,
    );
    const many = await refusal(ingestDocument(deps, doc("many.md", markdown("Many", 1_001, "Go"))));
    expect(many).toBe(
      "Not added: many.md is too big: it has 1,001 paragraphs; the limit is 1,000 per article.",
    );
    expect(deps.retriever.added).toEqual([]);
    await expect(stat(join(dir, "articles"))).rejects.toMatchObject({ code: "ENOENT" });
  });

  it("an article that would take the corpus past its limit", async () => {
    const deps = depsWith({ ...DEFAULT_LIMITS, corpusParagraphs: 5 });
    const result = await ingestDocument(deps, doc("first.md", markdown("First", 3)));
    expect("added" in result).toBe(true);
    const message = await refusal(ingestDocument(deps, doc("second.md", markdown("Second", 3, "A bus"))));
    expect(message).toBe(
      "Not added: the story is full: it has 3 paragraphs and the limit is 5. An operator can make room by removing article files.",
    );
    expect(deps.retriever.articles().map((a) => a.title)).toEqual(["First"]);
  });
});

describe("loading skips what is over a limit, by name", () => {
  it("an article over the article limits, and those past the corpus limit in name order", async () => {
    const articles = join(dir, "articles");
    await mkdir(articles);
    await writeFile(join(articles, "a-first.md"), markdown("First", 3));
    await writeFile(join(articles, "b-too-long.md"), markdown("Too long", 12));
    await writeFile(join(articles, "c-second.md"), markdown("Second", 3, "A bus"));
    await writeFile(join(articles, "d-third.md"), markdown("Third", 3, "A train"));
    await writeFile(join(articles, "e-huge.txt"), `Huge\n${"x".repeat(3000)}\n`);
    const { log, lines } = capturingLogger();
    const limits = { ...DEFAULT_LIMITS, articleParagraphs: 10, articleBytes: 1000, corpusParagraphs: 7 };

    const { articles: loaded } = await loadCorpus(dir, log, { limits });

    expect(loaded.map((a) => a.id)).toEqual(["a-first", "c-second"]);
    expect(lines.filter((l) => l.level === 40).map((l) => [l.file ?? l.article, l.reason])).toEqual([
      ["b-too-long.md", "it is too big: it has 12 paragraphs; the limit is 10 per article"],
      ["e-huge.txt", "it is too big: it is 3 KB; the limit is 1 KB per article"],
      ["d-third", "the story is full: it has 6 paragraphs and the limit is 7"],
    ]);
  });
});

describe("the parsed-article cache", () => {
  /** Loads the corpus of the data directory, with its cache. */
  async function load() {
    const cache = await openParsedArticleCache(join(dir, "cache"), silentLogger());
    if (!cache) throw new Error("no fingerprint");
    return loadCorpus(dir, silentLogger(), { cache });
  }

  /** Rewrites the cache so that every passage reads "from the cache": only a cache hit can show it. */
  async function markCache(): Promise<void> {
    const file = join(dir, "cache", "parsed-articles.json");
    const content = JSON.parse(await readFile(file, "utf8"));
    for (const entry of content.entries) for (const p of entry.passages) p.text = "from the cache";
    await writeFile(file, JSON.stringify(content));
  }

  it("gives an unchanged article's passages without parsing it again, and parses a changed one", async () => {
    const articles = join(dir, "articles");
    await mkdir(articles);
    await writeFile(join(articles, "ferry.md"), markdown("Ferry", 3));
    await writeFile(join(articles, "bus.md"), markdown("Bus", 2, "A bus"));
    const first = await load();
    const ferry = first.articles.find((a) => a.id === "ferry");
    expect(ferry && first.passagesOf(ferry)?.map((p) => p.text)).toEqual([
      "Ferry",
      "The ferry left the harbour on time (1).",
      "The ferry left the harbour on time (2).",
      "The ferry left the harbour on time (3).",
    ]);

    await markCache();
    // The bus article changes (a new time, new content): parsed again; the ferry comes from the cache.
    await writeFile(join(articles, "bus.md"), markdown("Bus", 2, "A night bus"));
    const second = await load();
    const [bus, ferryAgain] = second.articles;
    expect(ferryAgain && second.passagesOf(ferryAgain)?.map((p) => p.text)).toEqual(
      Array(4).fill("from the cache"),
    );
    expect(bus && second.passagesOf(bus)?.[1]?.text).toBe("A night bus (1).");
    expect(second.articles).toEqual(first.articles.map((a) => (a.id === "bus" ? bus : a)));
  });

  it("is not used by other parsing code, nor when it is torn, and drops entries of removed articles", async () => {
    const articles = join(dir, "articles");
    await mkdir(articles);
    await writeFile(join(articles, "ferry.md"), markdown("Ferry", 1));
    await writeFile(join(articles, "bus.md"), markdown("Bus", 1, "A bus"));
    await load();
    await markCache();
    const file = join(dir, "cache", "parsed-articles.json");
    const marked = JSON.parse(await readFile(file, "utf8"));
    await writeFile(file, JSON.stringify({ ...marked, fingerprint: "other-code" }));
    const reparsed = await load();
    expect(reparsed.articles.flatMap((a) => reparsed.passagesOf(a) ?? []).map((p) => p.text)).not.toContain(
      "from the cache",
    );

    await writeFile(file, "{ torn");
    expect((await load()).articles).toHaveLength(2);

    await rm(join(articles, "bus.md"));
    await load();
    const kept = JSON.parse(await readFile(file, "utf8"));
    expect(kept.entries.map((e: { article: { id: string } }) => e.article.id)).toEqual(["ferry"]);
  });

  it("takes a file with an unchanged size and time (to the nanosecond) as unchanged, as git does", async () => {
    const articles = join(dir, "articles");
    await mkdir(articles);
    const path = join(articles, "ferry.md");
    const time = new Date("2025-01-01T00:00:00.000Z");
    await writeFile(path, markdown("Ferry", 1));
    await utimes(path, time, time);
    await load();
    await markCache();
    await writeFile(path, markdown("Ferr!", 1));
    await utimes(path, time, time);
    const again = await load();
    expect(again.articles[0] && again.passagesOf(again.articles[0])?.[0]?.text).toBe("from the cache");
  });

  it("covers all the code that parses articles and splits passages", () => {
    expect(parserSources()).toEqual(
      expect.arrayContaining([
        "corpus/parseArticle.ts",
        "corpus/parseFrontMatter.ts",
        "corpus/splitPassages.ts",
        "citations/notReporting.ts",
        "text/sentences.ts",
      ]),
    );
  });

  it("is what the bot starts from: the second start's index holds the cached passages", async () => {
    await mkdir(join(dir, "articles"));
    await writeFile(join(dir, "articles", "ferry.md"), markdown("Ferry", 2));
    const config = parseConfig({ DATA_DIR: dir });
    const first = await createCore(config, silentLogger(), { lazyStore: true });
    expect(first.retriever.passages().map((p) => p.text)).toContain(
      "The ferry left the harbour on time (2).",
    );
    await first.close();
    await markCache();
    const second = await createCore(config, silentLogger(), { lazyStore: true });
    expect(second.retriever.passages().map((p) => p.text)).toEqual(Array(3).fill("from the cache"));
    await second.close();
  });
});
