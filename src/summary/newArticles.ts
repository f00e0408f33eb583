// Which articles are new to a reader whose last summary was at `since`.
import type { Article } from "../types.ts";

/** The later of the article's published and ingested times, in ms (NaN-safe: unparsable times count as 0). */
export function articleTime(article: Article): number {
  const times = [article.published, article.ingestedAt].map((t) => (t ? Date.parse(t) : Number.NaN));
  return Math.max(0, ...times.filter((t) => Number.isFinite(t)));
}

/**
 * Articles published or ingested after `since`, newest first. Without `since` there is no earlier
 * summary, so every article is new.
 */
export function findNewArticles(articles: readonly Article[], since?: Date): Article[] {
  const after = since?.getTime() ?? Number.NEGATIVE_INFINITY;
  return articles.filter((a) => articleTime(a) > after).sort((a, b) => articleTime(b) - articleTime(a));
}
