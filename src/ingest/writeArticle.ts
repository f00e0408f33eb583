// Writes a new article into the corpus directory as Markdown with front matter, under a unique
// slug of its title. The file appears whole or not at all (temporary file, then rename), and the
// Article returned is what the corpus loader will read back from that file after a restart.
import { randomUUID } from "node:crypto";
import { open, readdir, rename, rm } from "node:fs/promises";
import { extname, join } from "node:path";
import { parseArticle } from "../corpus/parseArticle.ts";
import { ensureDirectory } from "../ensureDirectory.ts";
import { UserError } from "../errors.ts";
import type { Article } from "../types.ts";

export interface ArticleDraft {
  title: string;
  standfirst?: string;
  byline?: string;
  url?: string;
  source?: string;
  published?: string;
  paragraphs: string[];
}

const MAX_SLUG_LENGTH = 60;

/** The Markdown-with-front-matter text of an article, as parseArticle reads it. */
export function renderArticle(draft: ArticleDraft, ingestedAt: Date): string {
  const fields: [string, string | undefined][] = [
    ["title", draft.title],
    ["standfirst", draft.standfirst],
    ["byline", draft.byline],
    ["url", draft.url],
    ["source", draft.source],
    ["published", draft.published],
    ["ingested", ingestedAt.toISOString()],
  ];
  const header = fields
    .filter((field): field is [string, string] => Boolean(field[1]?.trim()))
    .map(([key, value]) => `${key}: ${quote(value)}`);
  const body = draft.paragraphs.map(oneLine).filter(Boolean);
  return `---\n${header.join("\n")}\n---\n\n${body.join("\n\n")}\n`;
}

// YAML single quotes: the only escape is a doubled quote, so any one-line value survives.
function quote(value: string): string {
  return `'${oneLine(value).replaceAll("'", "''")}'`;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** File-name-safe slug of a title: lower case letters and digits joined by dashes. */
export function slugify(title: string): string {
  const slug = title
    .normalize("NFKD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "");
  if (slug.length <= MAX_SLUG_LENGTH) return slug || "article";
  const cut = slug.slice(0, MAX_SLUG_LENGTH);
  return cut.includes("-") ? cut.slice(0, cut.lastIndexOf("-")) : cut;
}

/**
 * Validates the draft by parsing its rendered text, then writes `<dir>/<slug>.md` under an id no
 * other file in `dir` uses, nor any of `takenIds` (articles kept elsewhere). Callers serialise
 * writes to one directory (see ingestSource).
 */
export async function writeArticle(
  dir: string,
  draft: ArticleDraft,
  ingestedAt: Date,
  takenIds: Iterable<string> = [],
): Promise<Article> {
  const content = renderArticle(draft, ingestedAt);
  const slug = slugify(draft.title);
  let checked: Article;
  try {
    checked = parseArticle(slug, content, ingestedAt.toISOString());
  } catch (error) {
    throw new UserError(`The article cannot be stored: ${(error as Error).message}.`);
  }

  await ensureDirectory(dir);
  const taken = new Set([
    ...takenIds,
    ...(await readdir(dir)).map((name) => name.slice(0, name.length - extname(name).length)),
  ]);
  let id = slug;
  for (let n = 2; taken.has(id); n++) id = `${slug}-${n}`;

  const temporary = join(dir, `.${id}.${randomUUID()}.tmp`);
  try {
    const file = await open(temporary, "wx");
    try {
      await file.writeFile(content, "utf8");
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, join(dir, `${id}.md`));
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  return { ...checked, id };
}
