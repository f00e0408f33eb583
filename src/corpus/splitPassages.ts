// Article → passages, the units that are retrieved and cited.
//
// Numbering (part of the passage id `<articleId>#<paragraph>`, so it must stay stable):
// - 0 is the headline: title, standfirst and what is known of who wrote it, who published it, when
//   and where it was filed, and its link, one per line, so they are searchable and citable;
// - body passages count from 1 in reading order;
// - an embedded social-media post spread over several lines (post text, author line, a continuation
//   ending with its picture link) is ONE passage, numbered as its first line would be; numbering then
//   continues consecutively, so the numbers are the blocks a reader sees, with no gaps.
import { onlyReporting } from "../citations/notReporting.ts";
import type { Article, EmbeddedPost, Passage } from "../types.ts";
import { normalizeDate } from "./parseArticle.ts";

// The signature X (Twitter) puts under an embedded post: "— Name (@handle) February 3, 2026".
const POST_SIGNATURE =
  /(?:^|\s)[—–]\s*([^\s—–(][^—–(]*?)\s*\(@(\w{1,15})\)\s*([A-Z][a-z]+\.? \d{1,2}, \d{4})\s*$/u;
// A line of the post that ends with the post's own media or status link.
const POST_LINK = /(?:pic\.twitter\.com|pic\.x\.com|t\.co|(?:twitter|x)\.com\/\w+\/status)\/\S+$/;

export function splitPassages(article: Article): Passage[] {
  // Sentences that speak to the reader or ask for an action are not the story: they never become
  // part of a passage, so nothing can retrieve, quote, summarise or show them.
  return onlyReporting(allPassages(article));
}

function allPassages(article: Article): Passage[] {
  const passages: Passage[] = [passageOf(article, 0, headlineText(article))];
  const body = article.paragraphs;

  for (let i = 0; i < body.length; i++) {
    const paragraph = body[i] ?? "";
    const next = body[i + 1];
    const signature = next === undefined ? null : POST_SIGNATURE.exec(next);
    if (next !== undefined && signature && signature.index === 0) {
      // This paragraph is the post's text and the next one is its signature line alone.
      const lines = [paragraph, next];
      const continuation = body[i + 2];
      if (continuation !== undefined && POST_LINK.test(continuation)) lines.push(continuation);
      passages.push(passageOf(article, passages.length, lines.join("\n"), postOf(signature)));
      i += lines.length - 1;
      continue;
    }
    const own = POST_SIGNATURE.exec(paragraph);
    // A whole embedded post on one line ends with its signature; a bare signature has no post text.
    const post = own && own.index > 0 ? postOf(own) : undefined;
    passages.push(passageOf(article, passages.length, paragraph, post));
  }
  return passages;
}

/**
 * The headline passage: title and standfirst, then the article's details as sentences a question's
 * words meet ("written by", "published by … on …", "link").
 */
export function headlineText(article: Article): string {
  const lines = [article.title];
  if (article.standfirst) lines.push(article.standfirst);
  if (article.byline) lines.push(`Written by ${article.byline}.`);
  const date = article.published ? readableDate(article.published) : undefined;
  if (article.source && date) lines.push(`Published by ${article.source} on ${date}.`);
  else if (article.source) lines.push(`Published by ${article.source}.`);
  else if (date) lines.push(`Published on ${date}.`);
  if (article.dateline) {
    const [place, ...when] = article.dateline.split(", ");
    lines.push(`Filed from ${place} on ${when.join(", ")}.`);
  }
  if (article.url) lines.push(`Link to the article: ${article.url}`);
  return lines.join("\n");
}

const MONTHS = "January February March April May June July August September October November December".split(
  " ",
);

/** "3 February 2026", or "3 February 2026, 14:05 UTC" for a date-time (by hand: Intl is slow at 1,000 articles). */
function readableDate(iso: string): string {
  const date = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(date.getTime())) return iso;
  const day = `${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
  if (iso.length === 10) return day;
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${day}, ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())} UTC`;
}

function postOf(signature: RegExpExecArray): EmbeddedPost {
  const [, author = "", handle = "", date = ""] = signature;
  return { platform: "X (Twitter)", author: author.trim(), handle, date: normalizeDate(date) ?? date };
}

function passageOf(article: Article, paragraph: number, text: string, embeddedPost?: EmbeddedPost): Passage {
  return {
    id: `${article.id}#${paragraph}`,
    articleId: article.id,
    title: article.title,
    paragraph,
    text,
    ...(article.url !== undefined && { url: article.url }),
    ...(embeddedPost && { embeddedPost }),
  };
}
