// One article file → Article. Two formats:
// - plain text: line 1 the title, line 2 the standfirst, then one paragraph per non-empty line;
// - Markdown with front matter (title, url, source, published, ingested, standfirst, byline or author): body paragraphs
//   separated by blank lines (a paragraph's lines are joined) or, without blank lines, one per line.
// Whatever is malformed throws an Error saying what is wrong, so the loader can report the file.
import { z } from "zod";
import type { Article } from "../types.ts";
import { findCredits } from "./findCredits.ts";
import { parseFrontMatter } from "./parseFrontMatter.ts";

const ArticleSchema = z.object({
  id: z
    .string()
    .min(1, "article id is empty")
    .refine((id) => !id.includes("#"), "article id must not contain '#'"),
  title: z.string().min(1, "title is empty"),
  standfirst: z.string().min(1).optional(),
  byline: z.string().min(1).optional(),
  // Any http(s) link, an address or localhost included (z.httpUrl would insist on a domain name).
  url: z.url({ protocol: /^https?$/, error: "url is not a valid http(s) URL" }).optional(),
  source: z.string().min(1).optional(),
  published: z
    .string()
    .transform((value, ctx) => normalizeDate(value) ?? invalid(ctx, `published is not a date: ${value}`))
    .optional(),
  ingestedAt: z.string().transform((value, ctx) => {
    const ms = Date.parse(value);
    return Number.isNaN(ms) ? invalid(ctx, `ingested is not a date: ${value}`) : new Date(ms).toISOString();
  }),
  paragraphs: z.array(z.string().min(1)).min(1, "the article has no body paragraphs"),
});

/** Parses and validates one article; throws an Error whose message names what is wrong. */
export function parseArticle(id: string, content: string, ingestedAt: string): Article {
  const text = content.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  const frontMatter = parseFrontMatter(text);
  // Markdown without front matter opens with its `# Title`.
  const raw = frontMatter
    ? fromMarkdown(frontMatter.fields, frontMatter.body, ingestedAt)
    : /^\s*#\s/.test(text)
      ? fromMarkdown(new Map(), text, ingestedAt)
      : fromPlainText(text, ingestedAt);

  const result = ArticleSchema.safeParse({ id, ...raw });
  if (!result.success) throw new Error(result.error.issues.map((issue) => issue.message).join("; "));
  const { standfirst, byline, url, source, published, ...required } = result.data;
  // Without byline or source fields, the article's own author line and dateline may give them.
  const credits = findCredits(required.paragraphs);
  const writers = byline ?? credits.byline;
  const outlet = source ?? credits.source;
  return {
    ...required,
    ...(standfirst !== undefined && { standfirst }),
    ...(writers !== undefined && { byline: writers }),
    ...(credits.dateline !== undefined && { dateline: credits.dateline }),
    ...(url !== undefined && { url }),
    ...(outlet !== undefined && { source: outlet }),
    ...(published !== undefined && { published }),
  };
}

interface RawArticle {
  title: string;
  standfirst?: string;
  byline?: string;
  url?: string;
  source?: string;
  published?: string;
  ingestedAt: string;
  paragraphs: string[];
}

function fromPlainText(text: string, ingestedAt: string): RawArticle {
  const lines = text
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "");
  const [title = "", standfirst, ...paragraphs] = lines;
  return { title, ...(standfirst !== undefined && { standfirst }), ingestedAt, paragraphs };
}

function fromMarkdown(fields: Map<string, string>, body: string, ingestedAt: string): RawArticle {
  let title = fields.get("title") ?? "";
  // Without a title field, a leading `# Heading` is the title.
  const heading = /^\s*#\s+(.*)(?:\n|$)/.exec(body);
  if (title === "" && heading) {
    title = plainLine(heading[1] ?? "");
    body = body.slice(heading[0].length);
  }
  const paragraphs = markdownParagraphs(body);
  const raw: RawArticle = { title, ingestedAt: fields.get("ingested") || ingestedAt, paragraphs };
  const standfirst = fields.get("standfirst") || fields.get("description") || fields.get("summary");
  if (standfirst) raw.standfirst = standfirst;
  const byline = fields.get("byline") || fields.get("author");
  if (byline) raw.byline = byline;
  for (const key of ["url", "source", "published"] as const) {
    const value = fields.get(key);
    if (value) raw[key] = value;
  }
  return raw;
}

// A heading inside the body names a section; it is not a paragraph of the story.
const HEADING = /^\s*#{1,6}\s/;

function markdownParagraphs(body: string): string[] {
  const lines = body.split("\n").map((line) => (HEADING.test(line) ? "" : plainLine(line)));
  const blankSeparated = /\S\n[ \t]*\n[ \t]*\S/.test(body.trim());
  if (!blankSeparated) return lines.filter((line) => line !== "");
  const paragraphs: string[] = [];
  let block: string[] = [];
  for (const line of [...lines, ""]) {
    if (line !== "") {
      block.push(line);
    } else if (block.length > 0) {
      paragraphs.push(block.join(" "));
      block = [];
    }
  }
  return paragraphs;
}

// Simple Markdown marks carry no words: headings, block quotes, emphasis, links (their text stays),
// images and horizontal rules.
function plainLine(line: string): string {
  return line
    .trim()
    .replace(/^(?:[-*_]\s*){3,}$/, "")
    .replace(/^#{1,6}\s+/, "")
    .replace(/\s+#+$/, "")
    .replace(/^(?:>\s?)+/, "")
    .replace(/!\[[^\]]*\]\([^)]*\)/g, "")
    .replace(/\[([^\]]+)\]\([^)]*\)/g, "$1")
    .replace(/(\*\*|__)(\S(?:.*?\S)?)\1/g, "$2")
    .trim();
}

/**
 * An outlet's date as ISO 8601: `YYYY-MM-DD` when it has no time of day, a full UTC date-time when it
 * has one; undefined when it is not a date.
 */
export function normalizeDate(value: string): string | undefined {
  const trimmed = value.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(trimmed)) return Number.isNaN(Date.parse(trimmed)) ? undefined : trimmed;
  const ms = Date.parse(trimmed);
  if (Number.isNaN(ms)) return undefined;
  const date = new Date(ms);
  if (/\d:\d\d/.test(trimmed)) return date.toISOString();
  // A date without a time parses as local midnight, so the local calendar fields are the date meant.
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

function invalid(ctx: z.RefinementCtx, message: string): never {
  ctx.addIssue({ code: "custom", message });
  return z.NEVER;
}
