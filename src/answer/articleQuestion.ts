// Questions about the article itself rather than the events it reports: who wrote it, which outlet
// published it, when, its headline and subheadline, its link, what it is about. They are answered
// from the headline passage, which holds these details as lines of their own (see
// corpus/splitPassages).

export type ArticleField = "byline" | "source" | "date" | "url" | "title" | "subtitle" | "gist";

// The question must be about the article ("who wrote the report", "who published it?"), not a thing
// in it ("who wrote the poem", "which news outlet described the meeting", "where did it occur").
const ARTICLE =
  /\b(?:article|story|report|piece|coverage)\b|\b(?:this|it)\s*[?.!]*\s*$|\b(?:this|it)\s+from\b|\b(?:wrote|write|writes|written|published|publish|publishes|ran|run|runs|posted|released|put out)\s+(?:this|it)\b/i;
const FIELDS: readonly { field: ArticleField; pattern: RegExp; needsArticle: boolean }[] = [
  { field: "url", pattern: /\b(?:link|url|web ?address|where (?:can|could) i read)\b/i, needsArticle: false },
  {
    field: "subtitle",
    pattern: /\bsub[- ]?(?:headline|head|heading|title)s?\b|\bstandfirst\b|\bstrapline\b/i,
    needsArticle: false,
  },
  { field: "title", pattern: /\bheadline\b/i, needsArticle: false },
  // "What's this article about?", "tl;dr", "summarize the story": its headline and subheadline say.
  { field: "gist", pattern: /\btl;? ?dr\b/i, needsArticle: false },
  {
    field: "gist",
    pattern: /\babout\s*[?.!]*\s*$|\b(?:summar(?:y|ise|ize)|gist|main point)\b/i,
    needsArticle: true,
  },
  { field: "title", pattern: /\btitle\b/i, needsArticle: true },
  {
    field: "byline",
    pattern: /\b(?:byline|author(?:ed)?|writers?|journalists?|reporters?)\b/i,
    needsArticle: false,
  },
  { field: "byline", pattern: /\bwho\b.*\b(?:wrote|writes|written|write)\b/i, needsArticle: true },
  {
    field: "source",
    pattern:
      /\b(?:outlet|publication|publisher|newspaper|paper|news ?(?:agency|service|organi[sz]ation)|agency|(?:web ?)?site|wire|published|publishes|ran)\b/i,
    needsArticle: true,
  },
];
const DATE = /\b(?:when|what (?:date|day|time)|which (?:date|day))\b/i;
const FILED = /\b(?:published|posted|written|filed|released|dated|come out|came out)\b|\bdate\b/i;

/** The detail of the article a question asks for, if it asks about the article itself. */
export function articleField(question: string): ArticleField | undefined {
  const about = ARTICLE.test(question);
  if (about && DATE.test(question) && FILED.test(question)) return "date";
  for (const { field, pattern, needsArticle } of FIELDS) {
    if (pattern.test(question) && (about || !needsArticle)) return field;
  }
  return undefined;
}

const DETAIL_LINES: Record<"byline" | "source" | "date" | "url", RegExp> = {
  byline: /^Written by /,
  source: /^Published by /,
  date: /^(?:Published (?:by .+ )?on |Filed from )/,
  url: /^Link to the article: /,
};

/**
 * The lines of a headline passage's text that give `field`, if the article has them; `closest` when
 * they are only the nearest thing the article has (its byline, asked for its outlet). The headline
 * is the first line; a subheadline, the second when it is none of the details.
 */
export function fieldLines(
  headline: string,
  field: ArticleField,
): { lines: string[]; closest: boolean } | undefined {
  const lines = headline.split("\n");
  const subtitle = lines.slice(1, 2).filter((l) => !Object.values(DETAIL_LINES).some((p) => p.test(l)));
  const found =
    field === "title"
      ? lines.slice(0, 1)
      : field === "subtitle"
        ? subtitle
        : field === "gist"
          ? [...lines.slice(0, 1), ...subtitle]
          : lines.filter((l) => DETAIL_LINES[field].test(l)).slice(0, 1);
  if (found.length > 0) return { lines: found, closest: false };
  const byline = field === "source" ? lines.find((l) => DETAIL_LINES.byline.test(l)) : undefined;
  return byline ? { lines: [byline], closest: true } : undefined;
}
