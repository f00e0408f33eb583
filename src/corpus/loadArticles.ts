// Loads one folder of articles. One bad file must never take the bot down: it is logged by name with
// the reason and skipped — so is an article over a size limit. With a parsed-article cache, unchanged
// articles are not parsed again.
import { readdir, readFile, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import type { Logger } from "../log.ts";
import type { Article, Passage } from "../types.ts";
import { articleOverLimit, articleSize, type CorpusLimits, DEFAULT_LIMITS } from "./corpusLimits.ts";
import { parseArticle } from "./parseArticle.ts";
import type { ParsedArticleCache } from "./parsedArticleCache.ts";
import { splitPassages } from "./splitPassages.ts";

const ARTICLE_EXTENSIONS = new Set([".txt", ".md"]);
/** A file this many times the article limit is refused unread: front matter and blank lines never add that much. */
const UNREAD_FACTOR = 2;

export interface LoadArticlesOptions {
  /** A folder that does not exist yet is an empty one, not a problem worth a warning. */
  missingIsEmpty?: boolean;
  /** Limits on one article (DEFAULT_LIMITS). */
  limits?: CorpusLimits;
  /** Where parsed articles and their passages are cached by content hash. */
  cache?: ParsedArticleCache;
}

export interface LoadedArticle {
  article: Article;
  /** Its passages, when a cache is used (from the cache, or split while loading). */
  passages?: Passage[];
  /** Its entry in the cache. */
  cacheKey?: string;
}

/** Every .txt/.md article in `dir`, sorted by file name; id = file name without extension. */
export async function loadArticles(
  dir: string,
  log: Logger,
  options: LoadArticlesOptions = {},
): Promise<Article[]> {
  return (await loadArticleFiles(dir, log, options)).map((loaded) => loaded.article);
}

/** loadArticles, with each article's passages and cache entry when a cache is given. */
export async function loadArticleFiles(
  dir: string,
  log: Logger,
  options: LoadArticlesOptions = {},
): Promise<LoadedArticle[]> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const { cache } = options;
  let names: string[];
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    names = entries
      .filter((entry) => entry.isFile() && ARTICLE_EXTENSIONS.has(extname(entry.name).toLowerCase()))
      .map((entry) => entry.name)
      .sort();
  } catch (error) {
    if (options.missingIsEmpty && (error as NodeJS.ErrnoException).code === "ENOENT") return [];
    log.warn({ dir, reason: reasonOf(error) }, "article directory unreadable; no articles loaded");
    return [];
  }

  // Files are read concurrently, but every outcome is reported afterwards in name order, so the
  // log (and anything reading it) does not depend on which read finished first.
  const results = await Promise.all(
    names.map(async (file): Promise<LoadedArticle | Error> => {
      try {
        const path = join(dir, file);
        const info = await stat(path);
        if (info.size > limits.articleBytes * UNREAD_FACTOR) {
          throw new Error(`it is too big: ${articleOverLimit({ paragraphs: 0, bytes: info.size }, limits)}`);
        }
        const id = file.slice(0, -extname(file).length);
        const ingestedAt = info.mtime.toISOString();
        const stamp = { name: path, size: info.size, mtimeMs: info.mtimeMs };
        // A file the cache knows, unchanged: its parsed article without reading it.
        const known = cache?.keyOfFile(stamp);
        const content = known === undefined ? await readFile(path, "utf8") : "";
        const cacheKey = known ?? cache?.keyFor(id, ingestedAt, content);
        const cached = cacheKey === undefined ? undefined : cache?.get(cacheKey);
        const article = cached?.article ?? parseArticle(id, content, ingestedAt);
        // Checked before the passages are worked out, which is the costly part of parsing.
        const over = articleOverLimit(articleSize(article), limits);
        if (over) throw new Error(`it is too big: ${over}`);
        if (cached) return { article, passages: cached.passages, ...(cacheKey && { cacheKey }) };
        // Without a cache the retriever splits the passages itself, as it does for ingested articles.
        if (cacheKey === undefined || !cache) return { article };
        const passages = splitPassages(article);
        cache.put(cacheKey, { article, passages }, stamp);
        return { article, passages, cacheKey };
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
      }
    }),
  );

  const loaded: LoadedArticle[] = [];
  const seen = new Set<string>();
  results.forEach((result, i) => {
    if (result instanceof Error) {
      log.warn({ file: names[i], reason: result.message }, "skipping malformed article");
      return;
    }
    if (seen.has(result.article.id)) {
      log.warn(
        { file: names[i], reason: `another file already has the id ${result.article.id}` },
        "skipping article",
      );
      return;
    }
    seen.add(result.article.id);
    loaded.push(result);
  });
  return loaded;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
