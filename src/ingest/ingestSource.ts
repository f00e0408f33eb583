// Adds one article to the running corpus from a file, a link or raw bytes (a Discord attachment):
// fetch safely → reduce to an article → refuse duplicates → keep it (file or database) → update the live index,
// so questions, /sources and the daily summary see the article at once, without a restart.
import { readFile, stat } from "node:fs/promises";
import { basename, extname } from "node:path";
import type { Config } from "../config.ts";
import { ingestedDir } from "../corpus/corpusDirs.ts";
import {
  articleOverLimit,
  articleSize,
  type CorpusLimits,
  corpusOverLimit,
  corpusSize,
  DEFAULT_LIMITS,
} from "../corpus/corpusLimits.ts";
import { parseArticle } from "../corpus/parseArticle.ts";
import { UserError } from "../errors.ts";
import type { Logger } from "../log.ts";
import type { Article, Retriever } from "../types.ts";
import { type ArticleShelf, directoryShelf } from "./articleShelf.ts";
import { extractArticle } from "./extractArticle.ts";
import { type FetchSafelyOptions, fetchSafely, formatBytes, MAX_FETCH_BYTES } from "./fetchSafely.ts";
import { cleanUrl, findDuplicate, findSameLink, normaliseUrl } from "./findDuplicate.ts";
import type { ArticleDraft } from "./writeArticle.ts";

export interface IngestDeps {
  /** The data directory; articles go to `<dataDir>/ingested` (see corpusDirs.ts). */
  dataDir: string;
  retriever: Retriever;
  clock: () => Date;
  log: Logger;
  /** Options for fetching links (allowLoopback only in tests). */
  fetch?: FetchSafelyOptions;
  /** Largest file or page accepted, in bytes. */
  maxBytes?: number;
  /** Limits on one article and on the corpus (DEFAULT_LIMITS). */
  limits?: CorpusLimits;
  /** Where new articles are kept; default `<dataDir>/ingested`. */
  shelf?: ArticleShelf;
}

/** Ingest settings from the core: the data directory, the live index and INGEST_ALLOW_LOOPBACK. */
export function ingestDepsFor(core: {
  config: Pick<Config, "DATA_DIR" | "INGEST_ALLOW_LOOPBACK">;
  retriever: Retriever;
  clock: () => Date;
  log: Logger;
  shelf?: ArticleShelf;
}): IngestDeps {
  return {
    dataDir: core.config.DATA_DIR,
    retriever: core.retriever,
    clock: core.clock,
    log: core.log,
    fetch: { allowLoopback: core.config.INGEST_ALLOW_LOOPBACK },
    ...(core.shelf ? { shelf: core.shelf } : {}),
  };
}

export type IngestResult = { added: Article } | { duplicateOf: string; reason: string };

/** What a feed says about an item, used when the page itself is silent. */
export interface IngestHints {
  published?: string;
}

/** Raw content with a name that tells its format (`.html`, `.md`, `.txt`). */
export interface IngestDocument {
  name: string;
  bytes: Uint8Array;
  /** Media type, when a server stated one; wins over the name's extension. */
  mediaType?: string;
  charset?: string;
  /** Where the content came from, stored as the article's link. */
  url?: string;
}

/** Text this many times the article limit is refused without parsing it (front matter never adds that much). */
const UNPARSED_FACTOR = 2;
const HTML_TYPES = new Set(["text/html", "application/xhtml+xml"]);
const TEXT_TYPES = new Set(["text/plain", "text/markdown", "text/x-markdown"]);
const EXTENSION_TYPES: Record<string, string> = {
  ".html": "text/html",
  ".htm": "text/html",
  ".xhtml": "application/xhtml+xml",
  ".txt": "text/plain",
  ".md": "text/markdown",
  ".markdown": "text/markdown",
};

/** Adds an article from a file path or an http(s) link. Throws UserError for anything it refuses. */
export function ingest(deps: IngestDeps, source: string, hints: IngestHints = {}): Promise<IngestResult> {
  const trimmed = source.trim();
  if (/^https?:\/\//i.test(trimmed)) return ingestUrl(deps, trimmed, hints);
  if (/^[a-z][a-z\d+.-]*:\/\//i.test(trimmed)) {
    return Promise.reject(new UserError(`Only http and https links can be added: ${trimmed.slice(0, 100)}`));
  }
  return ingestFile(deps, trimmed);
}

export async function ingestUrl(
  deps: IngestDeps,
  link: string,
  hints: IngestHints = {},
): Promise<IngestResult> {
  // A link the corpus already has is answered without fetching it again.
  const known = findSameLink([link], deps.retriever.articles());
  if (known) return { duplicateOf: known.articleId, reason: known.reason };
  const fetched = await fetchSafely(link, { ...deps.fetch, maxBytes: maxBytes(deps) });
  return ingestDocument(
    deps,
    {
      name: fetched.url,
      bytes: fetched.body,
      mediaType: fetched.mediaType,
      ...(fetched.charset ? { charset: fetched.charset } : {}),
      url: fetched.url,
    },
    hints,
    [link],
  );
}

/** One line saying what happened, e.g. for the CLI: `Added "Title" (published 2025-03-04, 5 paragraphs) as lighthouse.md`. */
export function describeIngestResult(
  result: IngestResult,
  articles: readonly Article[],
  showTitle: (title: string) => string = (title) => `"${title}"`,
): string {
  if ("added" in result) {
    const { id, title, published, paragraphs } = result.added;
    const date = published ? `published ${published.slice(0, 10)}` : "no publication date";
    const count = `${paragraphs.length} paragraph${paragraphs.length === 1 ? "" : "s"}`;
    return `Added ${showTitle(title)} (${date}, ${count}) as ${id}.md.`;
  }
  const existing = articles.find((a) => a.id === result.duplicateOf);
  const name = existing ? showTitle(existing.title) : result.duplicateOf;
  return `Not added: the story already has this article (${result.reason}) as ${name}.`;
}

export async function ingestFile(deps: IngestDeps, path: string): Promise<IngestResult> {
  const name = basename(path);
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new UserError(`${name} is not a file.`);
    size = info.size;
  } catch (error) {
    if (error instanceof UserError) throw error;
    throw new UserError(`Cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? "unreadable"}.`);
  }
  if (size > maxBytes(deps)) throw tooBig(name, maxBytes(deps));
  return ingestDocument(deps, { name, bytes: new Uint8Array(await readFile(path)) });
}

/** Adds an article from content in hand (e.g. an uploaded file). */
export async function ingestDocument(
  deps: IngestDeps,
  doc: IngestDocument,
  hints: IngestHints = {},
  alsoKnownAs: string[] = [],
): Promise<IngestResult> {
  if (doc.bytes.length > maxBytes(deps)) throw tooBig(doc.name, maxBytes(deps));
  const mediaType = doc.mediaType ?? EXTENSION_TYPES[extname(doc.name).toLowerCase()];
  if (!mediaType || !(HTML_TYPES.has(mediaType) || TEXT_TYPES.has(mediaType))) {
    throw new UserError(
      mediaType?.includes("xml")
        ? `${doc.name} is a feed, not an article: add feeds to FEED_URLS.`
        : `${doc.name}: only .html, .md and .txt articles can be added.`,
    );
  }
  const isHtml = HTML_TYPES.has(mediaType);
  // Text is about the size of the article it holds: one far over the limit is refused unparsed. (A
  // page's markup is most of it, so a page is judged by the article drawn from it.)
  const limits = limitsOf(deps);
  if (!isHtml && doc.bytes.length > limits.articleBytes * UNPARSED_FACTOR) {
    const over = articleOverLimit({ paragraphs: 0, bytes: doc.bytes.length }, limits);
    throw new UserError(`Not added: ${truncate(doc.name)} is too big: ${over}.`);
  }
  const text = decodeText(
    doc.bytes,
    doc.name,
    doc.charset ?? (isHtml ? sniffHtmlCharset(doc.bytes) : undefined),
  );
  const draft = isHtml ? draftFromHtml(text, doc.url) : draftFromText(text, doc.name, doc.url);
  if (!draft.published && hints.published) draft.published = hints.published;
  // Refused before anything else looks at it: comparing or indexing a huge article is what costs.
  const over = articleOverLimit(articleSize(draft), limits);
  if (over) throw new UserError(`Not added: ${truncate(doc.name)} is too big: ${over}.`);
  const urls = [...alsoKnownAs, ...(doc.url ? [doc.url] : []), ...(draft.url ? [draft.url] : [])];
  return addUnlessDuplicate(deps, draft, urls);
}

function draftFromHtml(html: string, url: string | undefined): ArticleDraft & { canonical?: string } {
  const page = extractArticle(html, url);
  // A saved page knows its own address only through its canonical link.
  const link = url ?? page.canonicalUrl;
  const source = page.siteName ?? (link ? new URL(link).hostname : undefined);
  return {
    title: page.title,
    paragraphs: page.paragraphs,
    ...(page.standfirst ? { standfirst: page.standfirst } : {}),
    ...(page.byline ? { byline: page.byline } : {}),
    ...(page.published ? { published: page.published } : {}),
    ...(link ? { url: cleanUrl(link) } : {}),
    ...(source ? { source } : {}),
    ...(page.canonicalUrl ? { canonical: page.canonicalUrl } : {}),
  };
}

/** A .txt/.md file in the corpus format (plain text, or Markdown with front matter). */
function draftFromText(text: string, name: string, url: string | undefined): ArticleDraft {
  let article: Article;
  try {
    // Only the fields matter here; id and ingestion time are set when the article is written.
    article = parseArticle("draft", text, new Date(0).toISOString());
  } catch (error) {
    throw new UserError(`${name} is not an article in the corpus format: ${(error as Error).message}.`);
  }
  const link = article.url ?? url;
  return {
    title: article.title,
    paragraphs: article.paragraphs,
    ...(article.standfirst ? { standfirst: article.standfirst } : {}),
    ...(article.published ? { published: article.published } : {}),
    ...(article.source ? { source: article.source } : {}),
    ...(link ? { url: cleanUrl(link) } : {}),
  };
}

function addUnlessDuplicate(
  deps: IngestDeps,
  draft: ArticleDraft & { canonical?: string },
  urls: string[],
): Promise<IngestResult> {
  const { canonical, ...article } = draft;
  const links = [...urls, ...(canonical ? [canonical] : [])].filter((u) => normaliseUrl(u) !== undefined);
  const shelf = deps.shelf ?? directoryShelf(ingestedDir(deps.dataDir));
  return shelf.adding(deps.retriever, async (save) => {
    const duplicate = findDuplicate(
      { urls: links, paragraphs: article.paragraphs },
      deps.retriever.articles(),
    );
    if (duplicate) {
      deps.log.info(
        { duplicateOf: duplicate.articleId, reason: duplicate.reason },
        "duplicate article not added",
      );
      return { duplicateOf: duplicate.articleId, reason: duplicate.reason };
    }
    const full = corpusOverLimit(corpusSize(deps.retriever.articles()), articleSize(article), limitsOf(deps));
    if (full) throw new UserError(`Not added: ${full}. An operator can make room by removing article files.`);
    const added = await save(article, deps.clock());
    // An article the index refuses is not kept (the shelf takes it back when this throws).
    await deps.retriever.addArticles([added]);
    deps.log.info(
      { articleId: added.id, title: added.title, paragraphs: added.paragraphs.length },
      "article added",
    );
    return { added };
  });
}

/** UTF-8 (or the charset a server or page declares); anything that does not decode is refused. */
function decodeText(bytes: Uint8Array, name: string, charset: string | undefined): string {
  const label = charset ?? "utf-8";
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    throw new UserError(`${name} uses the unknown character set "${label}".`);
  }
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    throw new UserError(`${name} is not valid ${label.toUpperCase()} text.`);
  }
  if (text.includes("\u0000")) throw new UserError(`${name} is binary, not text.`);
  return text;
}

/** `<meta charset>` in the first kilobyte of an HTML page, as browsers read it. */
function sniffHtmlCharset(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 1024)).toString("latin1");
  const match = /<meta[^>]+charset\s*=\s*["']?\s*([\w-]+)/i.exec(head);
  return match?.[1]?.toLowerCase();
}

function limitsOf(deps: IngestDeps): CorpusLimits {
  return deps.limits ?? DEFAULT_LIMITS;
}

function truncate(text: string): string {
  return text.length > 100 ? `${text.slice(0, 99)}…` : text;
}

function maxBytes(deps: IngestDeps): number {
  return deps.maxBytes ?? MAX_FETCH_BYTES;
}

function tooBig(name: string, limit: number): UserError {
  return new UserError(`${name} is too big: the limit is ${formatBytes(limit)}.`);
}
