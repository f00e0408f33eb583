// RSS 2.0, RSS 1.0 (RDF) and Atom feeds reduced to what ingest needs: a stable key per item, the
// link to fetch, and the title and date the feed gives.
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { UserError } from "../errors.ts";
import { normaliseDate } from "./extractArticle.ts";

export interface FeedItem {
  /** guid / id when the feed has one, else the link: what "seen before" is keyed on. */
  key: string;
  link: string;
  title?: string;
  published?: string;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  removeNSPrefix: true,
  parseTagValue: false,
  trimValues: true,
  isArray: (name) => name === "item" || name === "entry" || name === "link",
});

type Node = Record<string, unknown>;

/** Items of a feed, in feed order; throws UserError when the text is not an RSS or Atom feed. */
export function parseFeed(xml: string, feedUrl: string): FeedItem[] {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) {
    throw new UserError(`${feedUrl} is not a feed: not XML (${valid.err.msg} at line ${valid.err.line}).`);
  }
  const doc = parser.parse(xml) as Node;
  const rss = doc.rss as Node | undefined;
  const channel = rss?.channel as Node | undefined;
  const rdf = doc.RDF as Node | undefined;
  const atom = doc.feed as Node | undefined;
  const entries = (channel?.item ?? rdf?.item ?? atom?.entry) as Node[] | undefined;
  if (!channel && !rdf && !atom) throw new UserError(`${feedUrl} is XML but not an RSS or Atom feed.`);

  const items: FeedItem[] = [];
  for (const entry of entries ?? []) {
    const link = resolveLink(linkOf(entry), feedUrl);
    if (!link) continue;
    const title = text(entry.title);
    const date = normaliseDate(
      text(entry.pubDate) ?? text(entry.published) ?? text(entry.date) ?? text(entry.updated) ?? "",
    );
    items.push({
      key: text(entry.guid) ?? text(entry.id) ?? link,
      link,
      ...(title ? { title } : {}),
      ...(date ? { published: date } : {}),
    });
  }
  return items;
}

/** RSS `<link>text</link>`, Atom `<link rel="alternate" href>` (or the first link without rel). */
function linkOf(entry: Node): string | undefined {
  const links = (entry.link as unknown[] | undefined) ?? [];
  for (const link of links) {
    if (typeof link === "string") return link;
    const node = link as Node;
    const rel = node["@_rel"];
    if ((rel === undefined || rel === "alternate") && typeof node["@_href"] === "string")
      return node["@_href"];
    if (typeof node["#text"] === "string") return node["#text"];
  }
  // RSS items without <link> often carry the page in a permalink guid.
  const guid = entry.guid as Node | string | undefined;
  const permalink = typeof guid === "object" && guid["@_isPermaLink"] === "false" ? undefined : text(guid);
  return permalink && /^https?:\/\//i.test(permalink) ? permalink : undefined;
}

function resolveLink(link: string | undefined, base: string): string | undefined {
  if (!link) return undefined;
  try {
    const url = new URL(link.trim(), base);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : undefined;
  } catch {
    return undefined;
  }
}

function text(value: unknown): string | undefined {
  if (typeof value === "string") return value.trim() || undefined;
  if (typeof value === "number") return String(value);
  if (value && typeof value === "object") return text((value as Node)["#text"]);
  return undefined;
}
