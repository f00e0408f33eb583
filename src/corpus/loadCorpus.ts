// The corpus is the story's own articles plus those added at run time (see corpusDirs.ts), within the
// corpus limits: the story first, then the added articles in name order, until a limit is reached
// (each article past it is logged by name). With a parsed-article cache, unchanged articles come
// with their passages already split, and the cache keeps only the entries still in use.
import type { Logger } from "../log.ts";
import type { Article, Passage } from "../types.ts";
import { ingestedDir, storyDir } from "./corpusDirs.ts";
import { articleSize, type CorpusLimits, corpusOverLimit, DEFAULT_LIMITS } from "./corpusLimits.ts";
import { type LoadedArticle, loadArticleFiles } from "./loadArticles.ts";
import type { ParsedArticleCache } from "./parsedArticleCache.ts";

export interface LoadCorpusOptions {
  limits?: CorpusLimits;
  cache?: ParsedArticleCache;
}

export interface LoadedCorpus {
  articles: Article[];
  /** A loaded article's passages, already split (from the cache, or while loading); for the retriever. */
  passagesOf(article: Article): Passage[] | undefined;
}

export async function loadCorpus(
  dataDir: string,
  log: Logger,
  options: LoadCorpusOptions = {},
): Promise<LoadedCorpus> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const files = { limits, ...(options.cache && { cache: options.cache }) };
  const story = await loadArticleFiles(storyDir(dataDir), log, files);
  const ingested = await loadArticleFiles(ingestedDir(dataDir), log, { ...files, missingIsEmpty: true });
  // Ingest picks ids no story article has, so a clash means a hand-made file: the story wins.
  const ids = new Set(story.map(({ article }) => article.id));
  const added = ingested.filter(({ article }) => {
    if (!ids.has(article.id)) return true;
    log.warn({ article: article.id }, "skipping an ingested article with the id of a story article");
    return false;
  });

  const articles: Article[] = [];
  const passages = new WeakMap<Article, Passage[]>();
  const used = new Set<string>();
  const total = { paragraphs: 0, bytes: 0 };
  for (const loaded of [...story, ...added] as LoadedArticle[]) {
    const { article } = loaded;
    const size = articleSize(article);
    const full = corpusOverLimit(total, size, limits);
    if (full) {
      log.warn({ article: article.id, reason: full }, "skipping article: the corpus limit is reached");
      continue;
    }
    total.paragraphs += size.paragraphs;
    total.bytes += size.bytes;
    articles.push(article);
    if (loaded.passages) passages.set(article, loaded.passages);
    if (loaded.cacheKey) used.add(loaded.cacheKey);
  }
  await options.cache?.save(used);
  return { articles, passagesOf: (article) => passages.get(article) };
}
