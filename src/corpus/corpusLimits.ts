// How big one article and the whole corpus may be. Memory and start-up time grow with the paragraphs
// indexed (about 9 KB of memory per paragraph, measured: 1,000 articles, 14,000 paragraphs, 180 MB
// RSS), so one 60,000-paragraph "article" would cost half a gigabyte on every start. Ingest refuses
// what is over a limit, with a clear reason; loading skips it with a log line naming the file.

import type { Article } from "../types.ts";

export interface CorpusLimits {
  /** One article's text, in bytes (its file on disk is about this size). */
  articleBytes: number;
  /** Body paragraphs of one article. */
  articleParagraphs: number;
  /** Body paragraphs of all articles together: what memory is proportional to. */
  corpusParagraphs: number;
  /** Text of all articles together, in bytes. */
  corpusBytes: number;
}

export const DEFAULT_LIMITS: CorpusLimits = {
  // A very long read is 100 KB and 300 paragraphs.
  articleBytes: 512 * 1024,
  articleParagraphs: 1_000,
  // About 1 GB of memory at the measured 9 KB a paragraph; a story of 3,000 typical articles.
  corpusParagraphs: 100_000,
  corpusBytes: 64 * 1024 * 1024,
};

/** What an article or a set of articles adds up to. */
export interface CorpusSize {
  paragraphs: number;
  bytes: number;
}

export function articleSize(article: Pick<Article, "title" | "standfirst" | "paragraphs">): CorpusSize {
  let bytes = Buffer.byteLength(article.title) + Buffer.byteLength(article.standfirst ?? "");
  for (const paragraph of article.paragraphs) bytes += Buffer.byteLength(paragraph) + 1;
  return { paragraphs: article.paragraphs.length, bytes };
}

export function corpusSize(articles: readonly Article[]): CorpusSize {
  const total = { paragraphs: 0, bytes: 0 };
  for (const article of articles) {
    const size = articleSize(article);
    total.paragraphs += size.paragraphs;
    total.bytes += size.bytes;
  }
  return total;
}

/** Why one article is over a limit (a sentence to show), or undefined. */
export function articleOverLimit(size: CorpusSize, limits: CorpusLimits): string | undefined {
  if (size.bytes > limits.articleBytes) {
    return `it is ${formatSize(size.bytes)}; the limit is ${formatSize(limits.articleBytes)} per article`;
  }
  if (size.paragraphs > limits.articleParagraphs) {
    return `it has ${count(size.paragraphs)} paragraphs; the limit is ${count(limits.articleParagraphs)} per article`;
  }
  return undefined;
}

/** Why adding an article of `size` to a corpus of `corpus` goes over a limit, or undefined. */
export function corpusOverLimit(
  corpus: CorpusSize,
  size: CorpusSize,
  limits: CorpusLimits,
): string | undefined {
  if (corpus.paragraphs + size.paragraphs > limits.corpusParagraphs) {
    return `the story is full: it has ${count(corpus.paragraphs)} paragraphs and the limit is ${count(limits.corpusParagraphs)}`;
  }
  if (corpus.bytes + size.bytes > limits.corpusBytes) {
    return `the story is full: it has ${formatSize(corpus.bytes)} of text and the limit is ${formatSize(limits.corpusBytes)}`;
  }
  return undefined;
}

export function formatSize(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(1).replace(/\.0$/, "")} MB`;
  return `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function count(n: number): string {
  return n.toLocaleString("en-US");
}
