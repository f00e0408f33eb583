// How answers look on Discord: the answer, the notice in small text, then a compact sources block,
// split into messages within Discord's limit. Link previews are suppressed on the messages instead
// of using embeds (suppressing previews hides embeds too).
import type { Article, Citation, Retriever } from "../types.ts";
import { isLinkable, safeLiteral, safeText } from "./sanitize.ts";
import { MESSAGE_LIMIT, splitMessage } from "./splitMessage.ts";

/** Quotes in the compact sources block are cut to about this length; the Sources button shows them whole. */
const COMPACT_QUOTE_CHARS = 100;

export interface AnswerView {
  answer: string;
  citations: readonly Citation[];
  notice?: string;
}

// The linkable URLs of one list of articles: the retriever hands out a new list whenever articles
// change, so the set is worked out once per change instead of once per question.
const urlsByArticles = new WeakMap<readonly Article[], ReadonlySet<string>>();

/** Links the bot may show: the articles' own. */
export function articleUrls(retriever: Retriever): ReadonlySet<string> {
  const articles = retriever.articles();
  let urls = urlsByArticles.get(articles);
  if (!urls) {
    const linkable = new Set<string>();
    for (const article of articles) if (article.url && isLinkable(article.url)) linkable.add(article.url);
    urls = linkable;
    urlsByArticles.set(articles, urls);
  }
  return urls;
}

/** The final answer as message contents, each within the limit, sources never cut. */
export function renderAnswer(view: AnswerView, allowedUrls: ReadonlySet<string>): string[] {
  const parts = [safeText(view.answer, allowedUrls)];
  if (view.notice) parts.push(`-# ${safeLiteral(view.notice)}`);
  if (view.citations.length > 0) {
    parts.push(sourcesBlock(view.citations, COMPACT_QUOTE_CHARS).join("\n"));
  }
  return splitMessage(parts.join("\n\n"));
}

/** The answer so far, while it streams: one message, cut short with an ellipsis. */
export function renderProgress(text: string, allowedUrls: ReadonlySet<string>): string {
  const shown = safeText(text, allowedUrls);
  const room = MESSAGE_LIMIT - 2;
  if (shown.length <= room) return `${shown} …`;
  return `${splitMessage(shown, room - 2)[0] ?? ""} …`;
}

/** Every source with its whole quote, for the Sources button. */
export function renderFullSources(citations: readonly Citation[]): string[] {
  if (citations.length === 0) return ["This answer cites no sources."];
  return splitMessage(sourcesBlock(citations).join("\n"));
}

/**
 * "**Sources**", then each article's title (linked when it has a link) once, followed by its cited
 * passages: many citations of one article cost one title, not one each.
 */
export function sourcesBlock(citations: readonly Citation[], maxQuote = Number.POSITIVE_INFINITY): string[] {
  if (citations.length === 0) return [];
  const byArticle = new Map<string, Citation[]>();
  for (const c of citations) {
    const article = c.passageId.split("#")[0] ?? c.passageId;
    byArticle.set(article, [...(byArticle.get(article) ?? []), c]);
  }
  const lines = ["**Sources**"];
  for (const group of byArticle.values()) {
    const first = group[0] as Citation;
    const title = safeLiteral(first.title);
    lines.push(first.url && isLinkable(first.url) ? `[${title}](<${first.url}>)` : `*${title}*`);
    for (const c of group) lines.push(sourceLine(c, maxQuote));
  }
  return lines;
}

/** `[1] ¶3: “quote”`, under its article's title; a quote of 0 characters is left out. */
export function sourceLine(citation: Citation, maxQuote = Number.POSITIVE_INFINITY): string {
  const where = citation.paragraph === 0 ? "headline" : `¶${citation.paragraph}`;
  const post = citation.embeddedPost;
  const from = post
    ? `, embedded post by ${safeLiteral(post.handle ? `${post.author} (${post.handle})` : post.author)}`
    : "";
  const quote = maxQuote > 0 ? `: “${safeLiteral(shorten(citation.quote, maxQuote))}”` : "";
  return `[${citation.n}] ${where}${from}${quote}`;
}

/** Cuts at a word boundary and marks the cut; the kept part stays verbatim. */
function shorten(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const space = cut.lastIndexOf(" ");
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:–—-]+$/, "")}…`;
}
