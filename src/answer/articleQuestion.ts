// Questions about the article itself rather than the events it reports: who wrote it, which outlet
// published it, when, its headline, its link. They are answered from the headline passage, which
// holds these details as lines of their own (see corpus/splitPassages).

export type ArticleField = "byline" | "source" | "date" | "url" | "title";

// The question must be about the article ("who wrote the report", "who published it?"), not a thing
// in it ("who wrote the poem", "which news outlet described the meeting", "where did it occur").
const ARTICLE =
  /\b(?:article|story|report|piece|coverage)\b|\b(?:this|it)\s*[?.!]*\s*$|\b(?:wrote|write|writes|written|published|publish|publishes|ran|run|runs|posted|released|put out)\s+(?:this|it)\b/i;
const FIELDS: readonly { field: ArticleField; pattern: RegExp; needsArticle: boolean }[] = [
  { field: "url", pattern: /\b(?:link|url|web ?address|where (?:can|could) i read)\b/i, needsArticle: false },
  { field: "title", pattern: /\bheadline\b/i, needsArticle: false },
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
      /\b(?:outlet|publication|publisher|newspaper|paper|news ?(?:agency|site|service|organi[sz]ation)|agency|website|wire|published|publishes|ran)\b/i,
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

const LINES: Record<ArticleField, RegExp> = {
  byline: /^Written by /,
  source: /^Published by /,
  date: /^(?:Published (?:by .+ )?on |Filed from )/,
  url: /^Link to the article: /,
  title: /^/,
};

/**
 * The line of a headline passage's text that gives `field`, if the article has it; `closest` when it
 * is only the nearest thing the article has (its byline, asked for its outlet).
 */
export function fieldLine(
  headline: string,
  field: ArticleField,
): { line: string; closest: boolean } | undefined {
  const lines = headline.split("\n");
  const line = field === "title" ? lines[0] : lines.find((l) => LINES[field].test(l));
  if (line) return { line, closest: false };
  const byline = field === "source" ? lines.find((l) => LINES.byline.test(l)) : undefined;
  return byline ? { line: byline, closest: true } : undefined;
}
