// Reduces a web page to its article with Mozilla's Readability (the reader view of Firefox) on a
// linkedom document: title, byline, published date and body paragraphs, without the page around it.
import { createRequire } from "node:module";
import { UserError } from "../errors.ts";

export interface ExtractedArticle {
  title: string;
  byline?: string;
  standfirst?: string;
  /** ISO 8601 date or date-time. */
  published?: string;
  /** Outlet name (og:site_name), when the page gives one. */
  siteName?: string;
  /** rel=canonical / og:url, resolved against the page URL. */
  canonicalUrl?: string;
  paragraphs: string[];
}

// The few DOM members used here (the project compiles without the browser DOM typings).
interface DomElement {
  tagName: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selectors: string): DomElement | null;
  querySelectorAll(selectors: string): Iterable<DomElement>;
}
type DomDocument = Pick<DomElement, "querySelector" | "querySelectorAll">;

/** Below this much body text a page is a front page, a login wall or an error, not an article. */
const MIN_ARTICLE_CHARS = 200;

// Block elements whose text is a paragraph of the article; a block holding another one is not
// taken itself (its inner blocks are), so nothing is counted twice.
const BLOCKS = "p, li, blockquote, pre, h2, h3, h4, h5, h6";
const HEADINGS = new Set(["H2", "H3", "H4", "H5", "H6"]);

// The DOM and Readability are loaded on the first page extracted: tens of megabytes a bot that never
// ingests a page would otherwise hold.
const require = createRequire(import.meta.url);
let dom:
  | {
      parseHTML: typeof import("linkedom").parseHTML;
      Readability: typeof import("@mozilla/readability").Readability;
    }
  | undefined;
function domLibraries() {
  dom ??= {
    parseHTML: (require("linkedom") as typeof import("linkedom")).parseHTML,
    Readability: (require("@mozilla/readability") as typeof import("@mozilla/readability")).Readability,
  };
  return dom;
}

export function extractArticle(html: string, pageUrl?: string): ExtractedArticle {
  const { parseHTML, Readability } = domLibraries();
  // Metadata is read first: Readability rewrites the document while it works.
  const document = parseHTML(html).document as DomDocument;
  const published = publishedDate(document);
  const canonicalUrl = canonical(document, pageUrl);
  const description = meta(document, ["og:description", "description", "twitter:description"]);

  const parsed = new Readability(document, { serializer: (node) => node as DomElement }).parse();
  const content = parsed?.content;
  const paragraphs = content ? paragraphsOf(content) : [];
  const bodyChars = paragraphs.reduce((sum, p) => sum + p.length, 0);
  if (!parsed || bodyChars < MIN_ARTICLE_CHARS) {
    throw new UserError(
      `No article text found${pageUrl ? ` on ${pageUrl}` : ""}: the page has no readable story.`,
    );
  }

  const title = clean(parsed.title ?? "") || meta(document, ["og:title"]) || "";
  if (!title) throw new UserError(`The article${pageUrl ? ` at ${pageUrl}` : ""} has no title.`);
  const standfirst =
    description && !paragraphs[0]?.startsWith(description.replace(/…$|\.\.\.$/, ""))
      ? description
      : undefined;
  const byline = clean(parsed.byline ?? "");
  const siteName = clean(parsed.siteName ?? "");
  const date = published ?? normaliseDate(parsed.publishedTime ?? "");
  return {
    title,
    ...(byline ? { byline } : {}),
    ...(standfirst ? { standfirst } : {}),
    ...(date ? { published: date } : {}),
    ...(siteName ? { siteName } : {}),
    ...(canonicalUrl ? { canonicalUrl } : {}),
    paragraphs,
  };
}

function paragraphsOf(content: DomElement): string[] {
  const paragraphs: string[] = [];
  for (const block of content.querySelectorAll(BLOCKS)) {
    if (block.querySelector(BLOCKS)) continue;
    const text = clean(block.textContent ?? "");
    // A subheading alone says little; it is kept only when it reads as a sentence.
    if (HEADINGS.has(block.tagName) && !/[.!?:]$/.test(text)) continue;
    if (text && !isDatelineOrByline(text)) paragraphs.push(text);
  }
  return paragraphs;
}

/** "By Jane Doe" or "4 March 2025" left over from the page header: not part of the story. */
function isDatelineOrByline(text: string): boolean {
  if (text.length >= 80) return false;
  return /^by\b[^.!?]*$/i.test(text) || !Number.isNaN(Date.parse(text));
}

/** The first date the page states for publication, as ISO 8601. */
function publishedDate(document: DomDocument): string | undefined {
  const candidates = [
    meta(document, ["article:published_time", "datePublished", "date", "pubdate", "publishdate", "dc.date"]),
    ...jsonLdDates(document),
    document.querySelector("article time[datetime]")?.getAttribute("datetime"),
    document.querySelector("time[datetime]")?.getAttribute("datetime"),
  ];
  for (const candidate of candidates) {
    const date = normaliseDate(candidate ?? "");
    if (date) return date;
  }
  return undefined;
}

function jsonLdDates(document: DomDocument): string[] {
  const dates: string[] = [];
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) visit(item);
    } else if (node && typeof node === "object") {
      const record = node as Record<string, unknown>;
      if (typeof record.datePublished === "string") dates.push(record.datePublished);
      if (record["@graph"]) visit(record["@graph"]);
    }
  };
  for (const script of document.querySelectorAll('script[type="application/ld+json"]')) {
    try {
      visit(JSON.parse(script.textContent ?? ""));
    } catch {
      // A broken JSON-LD block is the page's problem; other sources of the date remain.
    }
  }
  return dates;
}

/** Keeps an ISO date as the outlet wrote it; other parseable dates become ISO date-times. */
export function normaliseDate(value: string): string | undefined {
  const text = value.trim();
  if (!text) return undefined;
  if (/^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(text)) {
    return Number.isNaN(Date.parse(text.replace(" ", "T"))) ? undefined : text.replace(" ", "T");
  }
  const parsed = Date.parse(text);
  return Number.isNaN(parsed) ? undefined : new Date(parsed).toISOString();
}

function meta(document: DomDocument, names: string[]): string | undefined {
  for (const name of names) {
    const element = document.querySelector(
      `meta[property="${name}"], meta[name="${name}"], meta[itemprop="${name}"], meta[name="${name.toLowerCase()}"]`,
    );
    const value = clean(element?.getAttribute("content") ?? "");
    if (value) return value;
  }
  return undefined;
}

function canonical(document: DomDocument, pageUrl: string | undefined): string | undefined {
  const href =
    document.querySelector('link[rel="canonical"]')?.getAttribute("href") ??
    document.querySelector('meta[property="og:url"]')?.getAttribute("content");
  if (!href) return undefined;
  try {
    const url = new URL(href, pageUrl);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function clean(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}
