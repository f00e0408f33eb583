// What `db import` takes from a lowdb data directory and `db export` gives back: the database
// (db.json) and the ingested articles (DATA_DIR/ingested, see corpus/corpusDirs.ts). The story's
// own articles are not among them: every machine has those.
import { readdir, readFile } from "node:fs/promises";
import { extname, join } from "node:path";
import { ingestedDir } from "../../corpus/corpusDirs.ts";
import { UserError } from "../../errors.ts";
import { CorruptDatabaseError, DatabaseFile } from "../databaseFile.ts";
import type { DbState } from "../dbSchema.ts";

export interface ArticleFile {
  /** File name without extension: the article's id. */
  id: string;
  fileName: string;
  content: string;
}

export function databasePath(dataDir: string): string {
  return join(dataDir, "db.json");
}

export function articlesDir(dataDir: string): string {
  return ingestedDir(dataDir);
}

/** The lowdb database in `dataDir`, or undefined when there is none; a damaged file is an error. */
export async function readLowdb(dataDir: string): Promise<DbState | undefined> {
  try {
    return (await new DatabaseFile(databasePath(dataDir)).read()) ?? undefined;
  } catch (error) {
    if (error instanceof CorruptDatabaseError) {
      throw new UserError(`${databasePath(dataDir)} cannot be imported: ${error.message}`);
    }
    throw error;
  }
}

/** The ingested article files, by file name. */
export async function readIngestedArticles(dataDir: string): Promise<ArticleFile[]> {
  let names: string[];
  try {
    names = (await readdir(articlesDir(dataDir))).filter((name) =>
      [".md", ".txt"].includes(extname(name).toLowerCase()),
    );
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return [];
    throw error;
  }
  const files: ArticleFile[] = [];
  for (const fileName of names.sort()) {
    const content = await readFile(join(articlesDir(dataDir), fileName), "utf8");
    files.push({ id: fileName.slice(0, -extname(fileName).length), fileName, content });
  }
  return files;
}
