// Loads the corpus directory. One bad file must never take the bot down: it is logged by name with
// the reason and skipped.
import { readdir, readFile, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import type { Logger } from "../log.ts";
import type { Article } from "../types.ts";
import { parseArticle } from "./parseArticle.ts";

const ARTICLE_EXTENSIONS = new Set([".txt", ".md"]);

export interface LoadArticlesOptions {
  /** A folder that does not exist yet is an empty one, not a problem worth a warning. */
  missingIsEmpty?: boolean;
}

/** Every .txt/.md article in `dir`, sorted by file name; id = file name without extension. */
export async function loadArticles(
  dir: string,
  log: Logger,
  options: LoadArticlesOptions = {},
): Promise<Article[]> {
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
    names.map(async (file): Promise<Article | Error> => {
      try {
        const path = join(dir, file);
        const [content, info] = await Promise.all([readFile(path, "utf8"), stat(path)]);
        const id = file.slice(0, -extname(file).length);
        return parseArticle(id, content, info.mtime.toISOString());
      } catch (error) {
        return error instanceof Error ? error : new Error(String(error));
      }
    }),
  );

  const articles: Article[] = [];
  const seen = new Set<string>();
  results.forEach((article, i) => {
    if (article instanceof Error) {
      log.warn({ file: names[i], reason: article.message }, "skipping malformed article");
      return;
    }
    if (seen.has(article.id)) {
      log.warn(
        { file: names[i], reason: `another file already has the id ${article.id}` },
        "skipping article",
      );
      return;
    }
    seen.add(article.id);
    articles.push(article);
  });
  return articles;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
