// The citation check: nothing reaches a reader until every [n] marker is proven to name a passage
// that was sent, and every quote shown is cut verbatim from that passage.
import { splitSentences } from "../text/sentences.ts";
import { contentTerms } from "../text/words.ts";
import type { Citation, Passage } from "../types.ts";
import { markerNumbers, spacedMarkerPattern } from "./markers.ts";
import { notReportingSentences } from "./notReporting.ts";
import { sentencesOf } from "./sentencesOf.ts";

/** Longest quote shown in a source line; longer sentences are cut at a word boundary. */
export const MAX_QUOTE_CHARS = 220;

export interface CheckedText {
  answer: string;
  citations: Citation[];
}

/**
 * Keeps the markers that name a sent passage (1-based, in prompt order), drops the rest, renumbers
 * the kept ones 1..m in order of first appearance and builds a citation for each.
 */
export function checkCitations(text: string, passages: readonly Passage[]): CheckedText {
  const { answer, renumbered, claims } = renumberMarkers(text, passages.length, true);
  const citations: Citation[] = [];
  for (const [sent, n] of renumbered) {
    const passage = passages[sent - 1];
    if (passage) citations.push(citationFor(n, passage, (claims.get(sent) ?? []).join(" ")));
  }
  return { answer, citations };
}

interface Renumbered {
  answer: string;
  /** Sent passage number → number shown. */
  renumbered: Map<number, number>;
  /** Sent passage number → the sentences that cite it. */
  claims: Map<number, string[]>;
}

/**
 * The marker half of the check: the text as it will be shown, without building citations. The
 * sentences that cite each passage are gathered only `withClaims`: the text shown while an answer
 * streams needs none, and splitting it into sentences at every step would cost more than the rest.
 */
function renumberMarkers(text: string, passageCount: number, withClaims: boolean): Renumbered {
  const renumbered = new Map<number, number>();
  const claims = new Map<number, string[]>();
  const sentences = withClaims ? splitSentences(text) : [];

  const answer = text.replace(spacedMarkerPattern(), (match, group: string, offset: number) => {
    const kept: number[] = [];
    for (const sent of markerNumbers(group)) {
      if (!Number.isInteger(sent) || sent < 1 || sent > passageCount) continue;
      let n = renumbered.get(sent);
      if (n === undefined) {
        n = renumbered.size + 1;
        renumbered.set(sent, n);
      }
      if (!kept.includes(n)) kept.push(n);
      if (!withClaims) continue;
      const claim = sentences.findLast((s) => s.start <= offset)?.text ?? text;
      claims.set(sent, [...(claims.get(sent) ?? []), claim]);
    }
    if (kept.length === 0) return "";
    const space = match.startsWith(" ") || match.startsWith("\n") ? match.match(/^\s*/)?.[0] : "";
    return `${space ? " " : ""}${kept.map((n) => `[${n}]`).join("")}`;
  });
  return { answer: tidy(answer), renumbered, claims };
}

/** Builds the citation of one passage, quoting its sentence closest to the claim. */
export function citationFor(n: number, passage: Passage, claim: string): Citation {
  const citation: Citation = {
    n,
    passageId: passage.id,
    title: passage.title,
    paragraph: passage.paragraph,
    quote: quoteFor(passage.text, claim),
  };
  if (passage.url) citation.url = passage.url;
  if (passage.embeddedPost) citation.embeddedPost = passage.embeddedPost;
  return citation;
}

/**
 * The sentence of `text` sharing most content words with `claim`. A sentence longer than
 * MAX_QUOTE_CHARS is cut, verbatim and at word boundaries, to the stretch that holds most of those
 * words, so the quote shows what the claim rests on.
 */
export function quoteFor(text: string, claim: string): string {
  const wanted = new Set(contentTerms(claim));
  let best = "";
  let bestScore = -1;
  const planted = notReportingSentences(text);
  for (const [i, sentence] of sentencesOf(text).entries()) {
    // An instruction planted in an article is never put in front of a reader as a quote.
    if (planted[i]) continue;
    const score = contentTerms(sentence.text).filter((t) => wanted.has(t)).length;
    if (score > bestScore) {
      best = sentence.text;
      bestScore = score;
    }
  }
  return focusOn(best, wanted, MAX_QUOTE_CHARS);
}

// Words kept before the first shared word of a cut quote, so that it does not open on the match.
const LEAD_WORDS = 2;
const NEAR_START = 40;

interface Token {
  start: number;
  end: number;
  /** Content words it shares with the claim. */
  hits: number;
}

function focusOn(sentence: string, wanted: ReadonlySet<string>, max: number): string {
  if (sentence.length <= max) return sentence;
  const tokens: Token[] = [...sentence.matchAll(/\S+/g)].map((m) => ({
    start: m.index,
    end: m.index + m[0].length,
    hits: contentTerms(m[0]).filter((t) => wanted.has(t)).length,
  }));
  // Candidate openings: the sentence's start, and a little before each word the claim shares.
  const openings = new Set([0]);
  tokens.forEach((t, i) => {
    if (t.hits > 0) openings.add(Math.max(0, i - LEAD_WORDS));
  });
  // Most shared words wins; between equals, one that comes to them within NEAR_START characters (so
  // a shortened quote still shows them), the earliest such.
  let best = { first: tokens[0], last: tokens[0], hits: -1, lead: Number.POSITIVE_INFINITY };
  for (const from of openings) {
    const first = tokens[from] as Token;
    let last = first;
    let hits = 0;
    let lead = Number.POSITIVE_INFINITY;
    for (const token of tokens.slice(from)) {
      if (token.end - first.start > max) break;
      last = token;
      hits += token.hits;
      if (token.hits > 0) lead = Math.min(lead, token.start - first.start);
    }
    if (lead <= NEAR_START) lead = 0;
    if (hits > best.hits || (hits === best.hits && lead < best.lead)) best = { first, last, hits, lead };
  }
  if (!best.first || !best.last) return sentence.slice(0, max);
  return sentence.slice(best.first.start, best.last.end).replace(/[\s,;:–—-]+$/, "");
}

/** Removes the space a dropped marker leaves before punctuation, and doubled spaces. */
function tidy(text: string): string {
  return text
    .replace(/[ \t]+([.,;:!?])/g, "$1")
    .replace(/[ \t]{2,}/g, " ")
    .trim();
}

/**
 * Text that is safe to show while an answer is still streaming: checked and numbered exactly as the
 * final answer will be, with a marker still being written ("... [1") held back until complete.
 */
export function visiblePartial(text: string, passages: readonly Passage[]): string {
  return renumberMarkers(text.replace(/\s*\[[\d,;\s]*$/, ""), passages.length, false).answer;
}

/** True when every quote is a verbatim substring of the passage it names. */
export function quotesAreVerbatim(citations: readonly Citation[], passages: readonly Passage[]): boolean {
  const byId = new Map(passages.map((p) => [p.id, p.text]));
  return citations.every((c) => byId.get(c.passageId)?.includes(c.quote) ?? false);
}
