// Where ingested articles are kept. By default a directory (`<dataDir>/ingested`, see
// corpus/corpusDirs.ts), read at start-up with the story; with DATABASE_URL the database
// (src/store/postgres/postgresShelf.ts), so that every process, on every machine, serves the same story.
import { rm } from "node:fs/promises";
import { join } from "node:path";
import type { Article, Retriever } from "../types.ts";
import { type ArticleDraft, writeArticle } from "./writeArticle.ts";

/** Keeps a new article under an id no other article has, and returns it as the corpus will read it. */
export type SaveArticle = (draft: ArticleDraft, ingestedAt: Date) => Promise<Article>;

export interface ArticleShelf {
  /**
   * Runs `task` alone among everything adding to this corpus (this process, or every process
   * sharing the database), after `retriever` has caught up with articles added elsewhere, so a
   * duplicate check inside it sees everything. An article saved by a task that then throws is not kept.
   */
  adding<T>(retriever: Retriever, task: (save: SaveArticle) => Promise<T>): Promise<T>;
}

// Writes to one directory happen one at a time, so two sources racing (a feed poll and /story add)
// cannot both pass the duplicate check or pick the same file name.
const queues = new Map<string, Promise<unknown>>();

function serialised<T>(key: string, task: () => Promise<T>): Promise<T> {
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(task, task);
  const settled = run.catch(() => undefined);
  queues.set(key, settled);
  void settled.then(() => {
    if (queues.get(key) === settled) queues.delete(key);
  });
  return run;
}

/** A directory as the shelf: one process adds to it (the data directory's lock holder). */
export function directoryShelf(dir: string): ArticleShelf {
  return {
    adding(retriever, task) {
      return serialised(dir, async () => {
        const saved: string[] = [];
        try {
          return await task(async (draft, ingestedAt) => {
            // Ids are unique across the corpus, not only the folder: the story's articles live elsewhere.
            const taken = retriever.articles().map((a) => a.id);
            const article = await writeArticle(dir, draft, ingestedAt, taken);
            saved.push(article.id);
            return article;
          });
        } catch (error) {
          // Keep the directory and the live index in step: an article the task gave up on is not kept.
          await Promise.all(saved.map((id) => rm(join(dir, `${id}.md`), { force: true })));
          throw error;
        }
      });
    },
  };
}
