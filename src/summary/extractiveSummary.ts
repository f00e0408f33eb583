// The offline summary: the lead sentence of each new article, then the story's most central
// sentences (TextRank), each cited to the passage it is cut from.
import { contentTerms } from "../text/words.ts";
import type { Article, Passage } from "../types.ts";
import { STORY_SO_FAR } from "./openingLine.ts";
import { isolatedScore } from "./rankSentences.ts";
import type { RankedSentence } from "./storySentences.ts";

/** Text with [n] markers, where [n] names passages[n - 1]; the citation check runs on it next. */
export interface DraftSummary {
  text: string;
  passages: Passage[];
}

/** Room for the sentences themselves, so the post with its sources fits one Discord message. */
export const SUMMARY_BODY_CHARS = 1_100;
const MAX_LEADS = 5;
const STORY_SENTENCES = 4;
const QUIET_STORY_SENTENCES = 2;
/** Two sentences sharing more than this share of their terms say the same thing. */
const REDUNDANT = 0.5;

function jaccard(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  return shared / (a.size + b.size - shared || 1);
}

export function extractiveSummary(input: {
  opening: string;
  newArticles: readonly Article[];
  ranked: readonly RankedSentence[];
}): DraftSummary {
  const { opening, newArticles, ranked } = input;
  if (ranked.length === 0)
    return { text: `${opening}\nThe story has no articles to summarise yet.`, passages: [] };

  const passages: Passage[] = [];
  const cite = (s: RankedSentence) => {
    let n = passages.findIndex((p) => p.id === s.passage.id) + 1;
    if (n === 0) n = passages.push(s.passage);
    return `${s.text.replace(/\s*([.!?])$/, "")} [${n}]${s.text.match(/[.!?]$/)?.[0] ?? "."}`;
  };

  let budget = SUMMARY_BODY_CHARS;
  const chosen: RankedSentence[] = [];
  const leads: RankedSentence[] = [];
  for (const article of newArticles.slice(0, MAX_LEADS)) {
    const lead = ranked.find((s) => s.passage.articleId === article.id);
    if (!lead || (leads.length > 0 && lead.text.length > budget)) continue;
    leads.push(lead);
    budget -= lead.text.length;
  }
  chosen.push(...leads);

  const wanted = newArticles.length === 0 ? QUIET_STORY_SENTENCES : STORY_SENTENCES;
  const terms = new Map(ranked.map((s) => [s, new Set(contentTerms(s.text))]));
  const termsOf = (s: RankedSentence) => terms.get(s) ?? new Set<string>();
  // A sentence sharing nothing with the rest (a newsroom's boilerplate line) is not central at all.
  const unconnected = isolatedScore(ranked.length) * (1 + 1e-9);
  const story: RankedSentence[] = [];
  for (const s of [...ranked].sort((a, b) => b.score - a.score || a.order - b.order)) {
    if (story.length >= wanted) break;
    if (chosen.includes(s) || s.text.length > budget || s.score <= unconnected) continue;
    if (chosen.some((c) => jaccard(termsOf(c), termsOf(s)) > REDUNDANT)) continue;
    story.push(s);
    chosen.push(s);
    budget -= s.text.length;
  }
  story.sort((a, b) => a.order - b.order);

  const lines = [opening, ...leads.map((s) => `• ${cite(s)}`)];
  const more = newArticles.length - leads.length;
  if (more > 0) lines.push(`…and ${more} more new article${more === 1 ? "" : "s"}.`);
  if (story.length > 0) lines.push(STORY_SO_FAR, story.map(cite).join(" "));
  return { text: lines.join("\n"), passages };
}
