import { mkdir, mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadArticles } from "../src/corpus/loadArticles.ts";
import { parseArticle } from "../src/corpus/parseArticle.ts";
import { splitPassages } from "../src/corpus/splitPassages.ts";
import { capturingLogger } from "./testHelpers.ts";

const INGESTED = "2026-02-04T08:00:00.000Z";
const STORY_DIR = join(import.meta.dirname, "..", "data", "articles");
const STORY_ID = "netanyahu-witkoff-iran-talks";

describe("parseArticle: plain text", () => {
  it("reads title, standfirst and one paragraph per non-empty line", () => {
    const article = parseArticle(
      "talks",
      "Talks resume in Geneva\nDelegations return after a week\n\nFirst paragraph.\r\nSecond paragraph.\n",
      INGESTED,
    );
    expect(article).toEqual({
      id: "talks",
      title: "Talks resume in Geneva",
      standfirst: "Delegations return after a week",
      ingestedAt: INGESTED,
      paragraphs: ["First paragraph.", "Second paragraph."],
    });
  });

  it("rejects an article with no body", () => {
    expect(() => parseArticle("x", "Title only\nStandfirst only\n", INGESTED)).toThrow(/no body paragraphs/);
    expect(() => parseArticle("x", "", INGESTED)).toThrow(/title is empty/);
  });
});

describe("parseArticle: Markdown with front matter", () => {
  it("reads the fields, leaves out section headings and joins wrapped paragraph lines", () => {
    const text = [
      "---",
      'title: "Envoy lands in Doha: talks on"',
      "url: https://news.example/envoy",
      "source: 'Example Wire'",
      "published: February 3, 2026",
      "ingested: 2026-02-03T12:30:00Z",
      "---",
      "## Background",
      "",
      "The envoy arrived on Tuesday",
      "after a long flight.",
      "",
      "He met **officials** at [the palace](https://example.com).",
    ].join("\n");
    expect(parseArticle("envoy", text, INGESTED)).toEqual({
      id: "envoy",
      title: "Envoy lands in Doha: talks on",
      url: "https://news.example/envoy",
      source: "Example Wire",
      published: "2026-02-03",
      ingestedAt: "2026-02-03T12:30:00.000Z",
      // "## Background" names a section: it is not a paragraph of the story.
      paragraphs: ["The envoy arrived on Tuesday after a long flight.", "He met officials at the palace."],
    });
  });

  it("takes one paragraph per line when there are no blank lines, and a leading heading as the title", () => {
    const text = "---\nsource: Wire\n---\n# Ceasefire holds\nFirst line.\nSecond line.\n";
    const article = parseArticle("ceasefire", text, INGESTED);
    expect(article.title).toBe("Ceasefire holds");
    expect(article.paragraphs).toEqual(["First line.", "Second line."]);
    expect(article.ingestedAt).toBe(INGESTED);
  });

  it("says what is wrong with a malformed article", () => {
    const body = "\nA paragraph.\n";
    expect(() => parseArticle("a", `---\ntitle: ""\n---${body}`, INGESTED)).toThrow(/title is empty/);
    expect(() => parseArticle("a", `---\ntitle: T\nurl: ftp://x.example/a\n---${body}`, INGESTED)).toThrow(
      /url is not a valid http\(s\) URL/,
    );
    expect(() => parseArticle("a", `---\ntitle: T\nurl: not a link\n---${body}`, INGESTED)).toThrow(/url/);
    expect(() => parseArticle("a", `---\ntitle: T\npublished: someday\n---${body}`, INGESTED)).toThrow(
      /published is not a date: someday/,
    );
    expect(() => parseArticle("a", `---\ntitle: T\ningested: soon\n---${body}`, INGESTED)).toThrow(
      /ingested is not a date/,
    );
    expect(() => parseArticle("a", "---\ntitle: T\n---\n\n", INGESTED)).toThrow(/no body paragraphs/);
    expect(() => parseArticle("a", `---\ntitle: T${body}`, INGESTED)).toThrow(/front matter is not closed/);
    expect(() => parseArticle("a", `---\ntitle T\n---${body}`, INGESTED)).toThrow(
      /line 2 is not `key: value`/,
    );
    expect(() => parseArticle("a", `---\ntitle: "T\n---${body}`, INGESTED)).toThrow(/unclosed quote/);
  });
});

describe("parseArticle: Markdown headings", () => {
  it("takes a leading # Title without its mark, with or without front matter, and drops section headings", () => {
    for (const content of [
      "# Ferry timetable changes\n\nThe ferry runs hourly.\n\n## Winter\n\nThe winter timetable ends on Sunday.\n",
      "---\nurl: https://harbour.example/ferry\n---\n# Ferry timetable changes\n\nThe ferry runs hourly.\n\n## Winter\n\nThe winter timetable ends on Sunday.\n",
    ]) {
      const article = parseArticle("ferry", content, "2026-02-01T00:00:00Z");
      expect(article.title).toBe("Ferry timetable changes");
      expect(article.paragraphs).toEqual(["The ferry runs hourly.", "The winter timetable ends on Sunday."]);
      // The headline passage opens with the title (the article's details, its link here, follow it).
      expect(splitPassages(article)[0]?.text.split("\n")[0]).toBe("Ferry timetable changes");
    }
  });
});

describe("loadArticles", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "storybot-corpus-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("loads .txt and .md sorted by name, and skips malformed files, reporting each by name", async () => {
    await writeFile(join(dir, "b-plain.txt"), "Plain title\nPlain standfirst\nBody.\n");
    await writeFile(
      join(dir, "a-markdown.md"),
      "---\ntitle: Markdown title\ningested: 2026-01-05\n---\nBody.\n",
    );
    await writeFile(join(dir, "c-bad-url.md"), "---\ntitle: T\nurl: nowhere\n---\nBody.\n");
    await writeFile(join(dir, "d-empty.txt"), "\n\n");
    await writeFile(join(dir, "notes.json"), "{}");
    await mkdir(join(dir, "folder.md"));
    const mtime = new Date("2026-01-02T03:04:05.000Z");
    await utimes(join(dir, "b-plain.txt"), mtime, mtime);

    const { log, lines } = capturingLogger();
    const articles = await loadArticles(dir, log);

    expect(articles.map((a) => a.id)).toEqual(["a-markdown", "b-plain"]);
    expect(articles[0]?.ingestedAt).toBe("2026-01-05T00:00:00.000Z");
    expect(articles[1]?.ingestedAt).toBe(mtime.toISOString());
    const warnings = lines.filter((line) => line.level === 40);
    expect(warnings.map((w) => w.file)).toEqual(["c-bad-url.md", "d-empty.txt"]);
    expect(warnings[0]?.reason).toMatch(/url is not a valid http\(s\) URL/);
    expect(warnings[1]?.reason).toMatch(/title is empty/);
  });

  it("keeps the first of two files with the same id and reports the other", async () => {
    await writeFile(join(dir, "same.md"), "---\ntitle: From Markdown\n---\nBody.\n");
    await writeFile(join(dir, "same.txt"), "From text\nStandfirst\nBody.\n");
    const { log, lines } = capturingLogger();
    const articles = await loadArticles(dir, log);
    expect(articles.map((a) => a.title)).toEqual(["From Markdown"]);
    expect(lines.find((line) => line.file === "same.txt")?.reason).toMatch(/already has the id same/);
  });

  it("returns no articles and warns when the directory is missing", async () => {
    const { log, lines } = capturingLogger();
    expect(await loadArticles(join(dir, "missing"), log)).toEqual([]);
    expect(lines.some((line) => line.level === 40 && String(line.dir).endsWith("missing"))).toBe(true);
  });

  it("loads the shipped story", async () => {
    const { log, lines } = capturingLogger();
    const [article, ...rest] = await loadArticles(STORY_DIR, log);
    expect(rest).toEqual([]);
    expect(lines).toEqual([]);
    expect(article?.id).toBe(STORY_ID);
    expect(article?.title).toMatch(/^'Iran cannot be trusted'/);
    expect(article?.standfirst).toMatch(/^Netanyahu reiterates demand/);
    expect(article?.paragraphs).toHaveLength(24);
  });
});

describe("splitPassages", () => {
  it("makes the headline passage 0 and numbers body paragraphs from 1", () => {
    const article = parseArticle("a", "Title\nStandfirst\nOne.\nTwo.\n", INGESTED);
    expect(splitPassages({ ...article, url: "https://news.example/a" })).toEqual([
      {
        id: "a#0",
        articleId: "a",
        title: "Title",
        paragraph: 0,
        // The article's details are part of its headline passage, so they can be cited.
        text: "Title\nStandfirst\nLink to the article: https://news.example/a",
        url: "https://news.example/a",
      },
      {
        id: "a#1",
        articleId: "a",
        title: "Title",
        paragraph: 1,
        text: "One.",
        url: "https://news.example/a",
      },
      {
        id: "a#2",
        articleId: "a",
        title: "Title",
        paragraph: 2,
        text: "Two.",
        url: "https://news.example/a",
      },
    ]);
  });

  it("puts the byline, outlet, date, dateline and link in the headline passage, as sentences", () => {
    const md = parseArticle(
      "m",
      "---\ntitle: T\nbyline: Ann Lee\nsource: The Herald\npublished: 2026-02-03\nurl: https://herald.example/t\n---\n\nBody.\n",
      INGESTED,
    );
    expect(splitPassages(md)[0]?.text).toBe(
      "T\nWritten by Ann Lee.\nPublished by The Herald on 3 February 2026.\nLink to the article: https://herald.example/t",
    );
    // A plain-text article's own lines: the dateline opening it, the "By Name, Outlet" line ending it.
    const txt = parseArticle(
      "t",
      "Bridge falls\nStandfirst\nBALTIMORE, March 26 - The bridge fell.\nBy Daniel Hartwell, Harbor Wire Service\n",
      INGESTED,
    );
    expect(txt).toMatchObject({
      byline: "Daniel Hartwell",
      source: "Harbor Wire Service",
      dateline: "Baltimore, March 26",
    });
    expect(splitPassages(txt)[0]?.text).toBe(
      "Bridge falls\nStandfirst\nWritten by Daniel Hartwell.\nPublished by Harbor Wire Service.\nFiled from Baltimore on March 26.",
    );
    // An author line that describes the writers ("… is a team of journalists …").
    const staff = parseArticle(
      "s",
      "T\nS\nBody.\nThe Example News Staff is a team of journalists in Israel.\n",
      INGESTED,
    );
    expect(staff.byline).toBe("The Example News Staff");
    // No such line: nothing is made up.
    const plain = parseArticle("p", "T\nS\nBy the way, nothing here.\nThe end.\n", INGESTED);
    expect(plain.byline).toBeUndefined();
    expect(splitPassages(plain)[0]?.text).toBe("T\nS");
  });

  it("merges the story's embedded post into one passage and keeps numbering consecutive", async () => {
    const content = await readFile(join(STORY_DIR, `${STORY_ID}.txt`), "utf8");
    const article = parseArticle(STORY_ID, content, INGESTED);
    const passages = splitPassages(article);

    // 24 body lines, three of which are one embedded post, plus the headline.
    expect(passages).toHaveLength(1 + 24 - 2);
    expect(passages.map((p) => p.id)).toEqual(passages.map((_, n) => `${STORY_ID}#${n}`));
    expect(splitPassages(article).map((p) => p.id)).toEqual(passages.map((p) => p.id));

    const posts = passages.filter((p) => p.embeddedPost);
    expect(posts).toHaveLength(1);
    const post = posts[0];
    expect(post?.paragraph).toBe(13);
    expect(post?.embeddedPost).toEqual({
      platform: "X (Twitter)",
      author: "Gunther Eagleman™",
      handle: "GuntherEagleman",
      date: "2026-02-03",
    });
    const lines = post?.text.split("\n") ?? [];
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^🚨 BREAKING: US fighter jet/);
    expect(lines[1]).toBe("— Gunther Eagleman™ (@GuntherEagleman) February 3, 2026");
    expect(lines[2]).toMatch(/^CENTCOM confirms: .*pic\.twitter\.com\/4PTh1fdCZJ$/);
    // The outlet's own paragraphs around the post stay the outlet's.
    expect(passages[12]?.text).toMatch(/^Later that same day, U\.S\. Central Command/);
    expect(passages[12]?.embeddedPost).toBeUndefined();
    expect(passages[14]?.text).toMatch(/^Also on Tuesday, the Wall Street Journal/);
    expect(passages.at(-1)?.text).toBe("The All Israel News Staff is a team of journalists in Israel.");
  });

  it("recognises an embedded post written on one line, and only posts with the signature", () => {
    const article = parseArticle(
      "a",
      [
        "Title",
        "Standfirst",
        "Officials spoke on Monday.",
        "Talks are over pic.twitter.com/abc123 — Jane Doe (@janedoe) March 1, 2026",
        "A reader wrote — in a letter (@home) — that it was late.",
      ].join("\n"),
      INGESTED,
    );
    const passages = splitPassages(article);
    expect(passages.map((p) => p.embeddedPost)).toEqual([
      undefined,
      undefined,
      { platform: "X (Twitter)", author: "Jane Doe", handle: "janedoe", date: "2026-03-01" },
      undefined,
    ]);
  });
});
