// Article → passages, the units that are retrieved and cited.
//
// Numbering (part of the passage id `<articleId>#<paragraph>`, so it must stay stable):
// - 0 is the headline: title and standfirst, one per line, so they stay searchable and citable;
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
  const headline = article.standfirst ? `${article.title}\n${article.standfirst}` : article.title;
  const passages: Passage[] = [passageOf(article, 0, headline)];
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
