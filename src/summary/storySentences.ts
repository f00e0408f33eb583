// The sentences a summary may quote, scored by TextRank. Only sentences that stand on their own
// qualify: not the headline, not an embedded post, not a piece of a quotation split over sentences,
// not an instruction planted in an article.
import { isNotReporting } from "../citations/notReporting.ts";
import { contentTerms } from "../text/words.ts";
import type { Article, Passage } from "../types.ts";
import { articleTime } from "./newArticles.ts";
import { quotedSentences } from "./quotedSentences.ts";
import { rankSentences } from "./rankSentences.ts";

export interface RankedSentence {
  text: string;
  passage: Passage;
  /** Position in the story: older articles first, then paragraph and sentence order. */
  order: number;
  score: number;
}

const MIN_CHARS = 40;
const MAX_CHARS = 320;
const MIN_TERMS = 4;
/** TextRank compares every pair, so a very large corpus is ranked over its most recent articles. */
const MAX_RANKED = 400;

const OPENING_QUOTE = /^[“"‘]/;
const CLOSING_QUOTE = /[”"’][.!?]?$/;

/** The newest articles whose sentences fit the ranking window, in story order (oldest first). */
function rankingWindow(articles: readonly Article[], passages: readonly Passage[]): Passage[][] {
  const byArticle = new Map<string, Passage[]>();
  for (const p of passages) byArticle.set(p.articleId, [...(byArticle.get(p.articleId) ?? []), p]);
  const newestFirst = [...articles].sort((a, b) => articleTime(b) - articleTime(a));
  const window: Passage[][] = [];
  let estimate = 0;
  for (const article of newestFirst) {
    const own = (byArticle.get(article.id) ?? []).sort((a, b) => a.paragraph - b.paragraph);
    estimate += own.reduce((n, p) => n + Math.max(1, p.text.split(/[.!?]\s/).length), 0);
    if (window.length > 0 && estimate > MAX_RANKED) break;
    window.unshift(own);
  }
  return window;
}

/** Sentences of one passage that read on their own: no quotation left open across sentences. */
function standaloneSentences(passage: Passage): string[] {
  return quotedSentences(passage.text)
    .filter(({ text, startsInQuote, endsInQuote }) => {
      const bareQuote = OPENING_QUOTE.test(text) && CLOSING_QUOTE.test(text);
      const fits = text.length >= MIN_CHARS && text.length <= MAX_CHARS;
      if (startsInQuote || endsInQuote || bareQuote || !fits || isNotReporting(text)) return false;
      return contentTerms(text).length >= MIN_TERMS;
    })
    .map((s) => s.text);
}

/** Every quotable body sentence of the (most recent) story, in story order, with its TextRank score. */
export function rankStory(articles: readonly Article[], passages: readonly Passage[]): RankedSentence[] {
  const sentences: Omit<RankedSentence, "score">[] = [];
  for (const articlePassages of rankingWindow(articles, passages)) {
    for (const passage of articlePassages) {
      if (passage.paragraph === 0 || passage.embeddedPost) continue;
      for (const text of standaloneSentences(passage))
        sentences.push({ text, passage, order: sentences.length });
    }
  }
  const scores = rankSentences(sentences.map((s) => s.text));
  return sentences.map((s, i) => ({ ...s, score: scores[i] ?? 0 }));
}
