// The corpus is the story's own articles plus those added at run time (see corpusDirs.ts).
import type { Logger } from "../log.ts";
import type { Article } from "../types.ts";
import { ingestedDir, storyDir } from "./corpusDirs.ts";
import { loadArticles } from "./loadArticles.ts";

export async function loadCorpus(dataDir: string, log: Logger): Promise<Article[]> {
  const story = await loadArticles(storyDir(dataDir), log);
  const ingested = await loadArticles(ingestedDir(dataDir), log, { missingIsEmpty: true });
  // Ingest picks ids no story article has, so a clash means a hand-made file: the story wins.
  const ids = new Set(story.map((article) => article.id));
  const added = ingested.filter((article) => {
    if (!ids.has(article.id)) return true;
    log.warn({ article: article.id }, "skipping an ingested article with the id of a story article");
    return false;
  });
  return [...story, ...added];
}
