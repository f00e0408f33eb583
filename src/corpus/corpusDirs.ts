// Where the corpus lives. The story's own articles are read-only at run time: DATA_DIR/articles when
// that folder exists (the default DATA_DIR is the project's data/, so that is the shipped story, and
// an operator can give a DATA_DIR its own story), else the story shipped in the project. Articles
// added at run time (ingest, /story add, feeds) go to DATA_DIR/ingested, which git ignores, so the
// shipped story's folder only ever holds tracked files.
import { existsSync } from "node:fs";
import path from "node:path";
import { PROJECT_ROOT } from "../projectRoot.ts";

export const SHIPPED_STORY_DIR = path.join(PROJECT_ROOT, "data", "articles");

/** The story's own articles, read-only. */
export function storyDir(dataDir: string): string {
  const own = path.join(dataDir, "articles");
  return existsSync(own) ? own : SHIPPED_STORY_DIR;
}

/** Articles added at run time. */
export function ingestedDir(dataDir: string): string {
  return path.join(dataDir, "ingested");
}
