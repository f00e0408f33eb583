// Recognises an article the corpus already has: the same page under a decorated link, or the
// same text under another link (syndicated wire copy), exactly or nearly.
import { createHash } from "node:crypto";
import { words } from "../text/words.ts";
import type { Article } from "../types.ts";

/** Share of word shingles two texts must have in common to count as the same article. */
export const NEAR_DUPLICATE_JACCARD = 0.9;
const SHINGLE_WORDS = 5;

const TRACKING_PARAMS = /^(utm_.*|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|_ga|ref_src)$/i;

/**
 * A link reduced to what identifies the page: no scheme, lower-case host, no fragment, no
 * tracking parameters, no trailing slash, remaining parameters sorted.
 */
export function normaliseUrl(raw: string): string | undefined {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return undefined;
  }
  const params = [...url.searchParams].filter(([key]) => !TRACKING_PARAMS.test(key));
  params.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const query = new URLSearchParams(params).toString();
  const path = url.pathname.replace(/\/+$/, "");
  return `${url.host.toLowerCase()}${path}${query ? `?${query}` : ""}`;
}

/** The link as it should be stored: tracking parameters and fragment removed, otherwise as given. */
export function cleanUrl(raw: string): string {
  const url = new URL(raw);
  for (const key of [...url.searchParams.keys()]) {
    if (TRACKING_PARAMS.test(key)) url.searchParams.delete(key);
  }
  url.hash = "";
  return url.href;
}

interface Fingerprint {
  hash: string;
  shingles: Set<string>;
}

// Articles in the corpus are immutable objects; their fingerprints are computed once.
const fingerprints = new WeakMap<Article, Fingerprint>();

function fingerprintOf(paragraphs: string[]): Fingerprint {
  const tokens = words(paragraphs.join("\n"));
  const hash = createHash("sha256").update(tokens.join(" ")).digest("hex");
  const shingles = new Set<string>();
  for (let i = 0; i + SHINGLE_WORDS <= tokens.length; i++) {
    shingles.add(tokens.slice(i, i + SHINGLE_WORDS).join(" "));
  }
  if (shingles.size === 0 && tokens.length > 0) shingles.add(tokens.join(" "));
  return { hash, shingles };
}

function cachedFingerprint(article: Article): Fingerprint {
  let fingerprint = fingerprints.get(article);
  if (!fingerprint) {
    fingerprint = fingerprintOf(article.paragraphs);
    fingerprints.set(article, fingerprint);
  }
  return fingerprint;
}

export function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 && b.size === 0) return 1;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const item of small) if (large.has(item)) shared++;
  return shared / (a.size + b.size - shared);
}

export interface DuplicateCandidate {
  /** Every link the new article is known by (requested, after redirects, canonical). */
  urls: string[];
  paragraphs: string[];
}

export interface Duplicate {
  articleId: string;
  reason: "same link" | "same text" | "nearly the same text";
}

/** The existing article the candidate duplicates, if any. */
export function findDuplicate(candidate: DuplicateCandidate, existing: Article[]): Duplicate | undefined {
  return findSameLink(candidate.urls, existing) ?? findSameText(candidate.paragraphs, existing);
}

export function findSameLink(urls: string[], existing: Article[]): Duplicate | undefined {
  const links = new Set(urls.map(normaliseUrl).filter((u) => u !== undefined));
  for (const article of existing) {
    const link = article.url ? normaliseUrl(article.url) : undefined;
    if (link && links.has(link)) return { articleId: article.id, reason: "same link" };
  }
  return undefined;
}

export function findSameText(paragraphs: string[], existing: Article[]): Duplicate | undefined {
  const mine = fingerprintOf(paragraphs);
  for (const article of existing) {
    if (cachedFingerprint(article).hash === mine.hash) return { articleId: article.id, reason: "same text" };
  }
  for (const article of existing) {
    const theirs = cachedFingerprint(article);
    // Jaccard can only reach the threshold when the sizes are that close; skip the rest cheaply.
    const [smaller, larger] = [theirs.shingles.size, mine.shingles.size].sort((x, y) => x - y) as [
      number,
      number,
    ];
    if (smaller < NEAR_DUPLICATE_JACCARD * larger) continue;
    if (jaccard(theirs.shingles, mine.shingles) >= NEAR_DUPLICATE_JACCARD) {
      return { articleId: article.id, reason: "nearly the same text" };
    }
  }
  return undefined;
}
