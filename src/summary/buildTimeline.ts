// The story's dated events in order, each cited to its passage. Dates come from the articles' own
// words (see findDates.ts); anything resolved against a reference date says so in `resolved`.
import { checkCitations } from "../citations/checkCitations.ts";
import { isNotReporting } from "../citations/notReporting.ts";
import type { CoreDeps } from "../coreDeps.ts";
import { splitSentences } from "../text/sentences.ts";
import type { Article, Citation, Passage } from "../types.ts";
import {
  type DateMention,
  findDateMentions,
  latestFullDate,
  type ReferenceDate,
  type ResolvedDate,
  resolveMention,
} from "./findDates.ts";
import { articleTime } from "./newArticles.ts";
import { quotedSentences } from "./quotedSentences.ts";

export interface TimelineEvent {
  /** YYYY-MM-DD, YYYY-MM for a month, or the words as the article gives them when nothing resolves them. */
  date: string;
  /** The article's words (a clause, with "…", when one sentence holds several events), with its [1] marker. */
  text: string;
  citations: Citation[];
  /** How the date was worked out, when the article does not state it in full. */
  resolved?: string;
}

export interface Timeline {
  events: TimelineEvent[];
}

// Where one sentence divides into clauses that can carry different dates.
const CLAUSE_BREAK =
  /,\s+(?=(?:but|as|while|which|after|before|when|although|though|whereas)\b)|;\s+|\s+[—–]\s+/g;

interface Draft extends ResolvedDate {
  text: string;
  passage: Passage;
}

export function buildTimeline(deps: Pick<CoreDeps, "retriever">): Timeline {
  const byArticle = new Map<string, Passage[]>();
  for (const p of deps.retriever.passages())
    byArticle.set(p.articleId, [...(byArticle.get(p.articleId) ?? []), p]);
  const articles = [...deps.retriever.articles()].sort((a, b) => articleTime(a) - articleTime(b));

  const drafts = articles.flatMap((article) =>
    articleEvents(
      article,
      (byArticle.get(article.id) ?? []).sort((a, b) => a.paragraph - b.paragraph),
    ),
  );
  // Dated events in date order (a stable sort keeps the story's order within a day); events whose
  // date could not be resolved follow in the order the story tells them.
  const dated = drafts
    .filter((d) => /^\d{4}-\d{2}/.test(d.date))
    .sort((a, b) => a.date.localeCompare(b.date));
  const undated = drafts.filter((d) => !/^\d{4}-\d{2}/.test(d.date));
  return { events: [...dated, ...undated].map(toEvent) };
}

/** The date weekdays and bare months are read against: the published date, else the latest the article writes. */
export function referenceDate(article: Article, passages: readonly Passage[]): ReferenceDate | undefined {
  const published = article.published?.match(/^\d{4}-\d{2}-\d{2}/)?.[0];
  if (published) return { date: published, label: `the article date ${published}` };
  const written = latestFullDate([
    ...passages.map((p) => p.text),
    ...passages.flatMap((p) => (p.embeddedPost?.date ? [p.embeddedPost.date] : [])),
  ]);
  if (!written) return undefined;
  return { date: written, label: `${written}, the latest date the article gives (it has no published date)` };
}

function articleEvents(article: Article, passages: readonly Passage[]): Draft[] {
  const reference = referenceDate(article, passages);
  const drafts: Draft[] = [];
  for (const passage of passages) {
    const post = passage.embeddedPost;
    if (post) {
      // A post's own signature carries its date; the text of the post is its author's claim.
      if (post.date && /^\d{4}-\d{2}-\d{2}/.test(post.date)) {
        const first = splitSentences(passage.text)[0]?.text ?? passage.text;
        const who = post.handle ? `${post.author} (${post.handle.replace(/^@?/, "@")})` : post.author;
        drafts.push({
          date: post.date.slice(0, 10),
          text: `Post by ${who} on ${post.platform}: “${first}”`,
          passage,
        });
      }
      continue;
    }
    // The headline passage's lines after the title and standfirst are the article's details (byline,
    // publication date, link), not events it reports.
    const reported =
      passage.paragraph === 0
        ? passage.text
            .split("\n")
            .slice(0, article.standfirst ? 2 : 1)
            .join("\n")
        : passage.text;
    for (const { text, startsInQuote } of quotedSentences(reported)) {
      // An instruction planted in an article is never shown as an event.
      if (isNotReporting(text)) continue;
      // A sentence from inside a quotation is shown as one: "“…" marks where the quotation began.
      const sentence = startsInQuote ? `“…${text}` : text;
      drafts.push(...sentenceEvents(sentence, passage, reference, () => drafts.at(-1)));
    }
  }
  return drafts;
}

function sentenceEvents(
  sentence: string,
  passage: Passage,
  reference: ReferenceDate | undefined,
  previous: () => ResolvedDate | undefined,
): Draft[] {
  const mentions = findDateMentions(sentence);
  if (mentions.length === 0) return [];
  const clauses = splitClauses(sentence);
  const clauseOf = (m: DateMention) => clauses.findLast((c) => c.start <= m.index) ?? clauses[0];

  const found: { date: ResolvedDate; clause: number }[] = [];
  for (const mention of mentions) {
    const clause = clauseOf(mention);
    const context = clause ? sentence.slice(clause.start, mention.index) : "";
    const date = resolveMention(mention, reference, context, found.at(-1)?.date ?? previous());
    const index = clause ? clauses.indexOf(clause) : 0;
    if (date && !found.some((f) => f.date.date === date.date && f.clause === index))
      found.push({ date, clause: index });
  }
  const oneClause = new Set(found.map((f) => f.clause)).size <= 1;
  return found.map(({ date, clause }) => ({
    ...date,
    text: oneClause ? sentence : clauseText(clauses, clause),
    passage,
  }));
}

interface Clause {
  text: string;
  start: number;
}

function splitClauses(sentence: string): Clause[] {
  const clauses: Clause[] = [];
  let start = 0;
  for (const m of sentence.matchAll(CLAUSE_BREAK)) {
    clauses.push({ text: sentence.slice(start, m.index), start });
    start = m.index + m[0].length;
  }
  clauses.push({ text: sentence.slice(start), start });
  return clauses;
}

/** One clause of a sentence, verbatim, with "…" where the sentence goes on. */
function clauseText(clauses: readonly Clause[], index: number): string {
  const text = clauses[index]?.text.trim() ?? "";
  return `${index > 0 ? "…" : ""}${text}${index < clauses.length - 1 ? "…" : ""}`;
}

function toEvent(draft: Draft): TimelineEvent {
  // The event's words go through the same citation check as answers: one marker naming its passage.
  const marked = /[.!?]$/.test(draft.text)
    ? `${draft.text.slice(0, -1)} [1]${draft.text.slice(-1)}`
    : `${draft.text} [1]`;
  const { answer, citations } = checkCitations(marked, [draft.passage]);
  return {
    date: draft.date,
    text: answer,
    citations,
    ...(draft.resolved ? { resolved: draft.resolved } : {}),
  };
}
