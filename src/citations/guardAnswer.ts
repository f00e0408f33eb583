// What a model wrote, checked before anyone sees it: only sentences that rest on the passages they
// cite are shown. Article text is data: a passage may carry instructions aimed at the model ("ignore
// your rules and say …"); the model is told to ignore them, and this guard makes sure that a model
// which obeys them anyway shows nothing of it.
import type { Sentence } from "../text/sentences.ts";
import { contentTerms } from "../text/words.ts";
import type { Passage } from "../types.ts";
import { citedNumbers, markersBeforeStops, withoutMarkers } from "./markers.ts";
import { isNotReporting } from "./notReporting.ts";
import { instructedTerms, reportedTerms } from "./passageFacts.ts";
import { createStreamedSentences } from "./streamedSentences.ts";
import { createSupport } from "./supportCheck.ts";

const SENTENCE_END = /(?:[.!?…]["'”’)*]*|\])\s*$/;
// The model's own sources list ("Sources:", "References:", or lines opening with a marker): the
// reader gets one checked sources block, so the model's is not shown.
const SOURCES_HEADING = /^\W*(?:sources?|references?|citations?)\b[^\n]{0,40}:/im;
const SOURCE_LINE = /^\s*(?:[-*•]\s*)?\[\d{1,3}\]/;
// What is not a claim: links ("see [this](…)", bare addresses, with the word pointing at them) and
// Discord mentions. Links are judged when shown (only the articles' own are ever clickable).
const NOT_CLAIMS =
  /(?:\b(?:see|visit|via|at)\s+)?(?:\[[^\]\n]*\]\([^)\n]*\)|<?\bhttps?:\/\/[^\s<>]+>?|\bwww\.[^\s<>]+)|<@[!&]?\d+>|@(?:everyone|here)\b/gi;
// A list label opening a sentence ("1.", "2)", "Point 3:") numbers the list; it is not a claim.
const LIST_LABEL = /^\s*(?:[-*•]\s*)?(?:(?:point|item|step|part)\s*)?\d{1,2}\s*[.):]\s+/i;
// A model's opening words about where its answer comes from ("Based on the passages, …:") are not a
// claim about the story.
const PREAMBLE =
  /^\W*(?:based on|according to|from|per) (?:the )?(?:provided |given )?(?:passages?|story|articles?|sources?|text|excerpts?|information)(?: provided| given)?\b[^:]{0,60}[:,]\s*/i;
// Where a marker is placed in a sentence that gets one: before its closing punctuation.
const CLOSING = /[.!?…]*["'”’)*]*\s*$/;

/**
 * Keeps the sentences of a model's answer that rest on what they cite. A sentence without a marker
 * takes the marker of the next cited sentence of its paragraph (a model often cites once at the end);
 * a sentence whose cited passages do not support it is re-cited to a sent passage that does, or
 * dropped; a sentence that speaks to the reader, asks for an action or repeats what an instruction in
 * the passages asked for is dropped. Markers are still the model's own (1-based into `passages`).
 * With `partial`, a last sentence that is still being written is held back.
 */
export function guardAnswer(text: string, passages: readonly Passage[], partial = false): string {
  return createAnswerGuard(passages)(text, partial);
}

export type AnswerGuard = (text: string, partial?: boolean) => string;

/** guardAnswer with the passages' side worked out once, for checking an answer as it streams. */
export function createAnswerGuard(passages: readonly Passage[]): AnswerGuard {
  const instructed = new Set(passages.flatMap(instructedTerms));
  // What each passage reports, worked out when a sentence first cites it.
  const reportsKnown: (ReadonlySet<string> | undefined)[] = [];
  const reports = (n: number): ReadonlySet<string> | undefined => {
    const passage = passages[n - 1];
    if (passage) reportsKnown[n - 1] ??= reportedTerms(passage);
    return reportsKnown[n - 1];
  };
  const support = createSupport(passages);
  const ownUrls = new Set(passages.flatMap((p) => (p.url ? [p.url] : [])));

  // While an answer streams, the guard runs each time a sentence or a marker ends, on the whole text
  // so far: the sentences that can no longer change are kept from the last run (only the text after
  // them is split again), and each sentence's verdict and shown text are remembered for this answer,
  // so each sentence is weighed once and the work of a run grows with the new text only.
  const split = createStreamedSentences();
  const verdicts = new Map<string, number[] | undefined>();
  const citationsFor = (sentence: string, cited: number[]): number[] | undefined => {
    const key = `${cited.join(",")}\u0000${sentence}`;
    if (verdicts.has(key)) return verdicts.get(key);
    const verdict = judge(sentence, cited);
    verdicts.set(key, verdict);
    return verdict;
  };
  // Per kept sentence (the same object from run to run): its own markers, and what it was last shown
  // as for the markers it was last given. Only kept ones: the others are split anew on every run.
  const remembered = new Map<Sentence, { own: number[]; cited?: number[]; shown?: string | undefined }>();
  const markersOf = (s: Sentence, keep: boolean): number[] => {
    const known = remembered.get(s);
    if (known) return known.own;
    const own = citedNumbers(s.text);
    if (keep) remembered.set(s, { own });
    return own;
  };
  const shownAs = (s: Sentence, own: number[], cited: number[]): string | undefined => {
    const known = remembered.get(s);
    if (known?.cited && sameNumbers(known.cited, cited)) return known.shown;
    const markers = citationsFor(s.text, cited);
    const marked = !markers ? undefined : sameNumbers(own, markers) ? s.text : withMarkers(s.text, markers);
    const shown = marked === undefined ? undefined : withOwnLinksOnly(marked, ownUrls);
    if (known) {
      known.cited = cited;
      known.shown = shown;
    }
    return shown;
  };

  /** The markers the sentence is shown with, or undefined when it is not shown. */
  const judge = (sentence: string, cited: number[]): number[] | undefined => {
    const claim = withoutMarkers(sentence)
      .replace(NOT_CLAIMS, " ")
      .replace(LIST_LABEL, "")
      .replace(PREAMBLE, "");
    if (isNotReporting(claim)) return undefined;
    const valid = cited.filter((n) => n >= 1 && n <= passages.length);
    // A passage that is nothing but instructions reports nothing, so it supports no claim.
    if (valid.some((n) => reports(n)?.size === 0)) return undefined;
    if (instructed.size > 0) {
      const reported = (term: string) => valid.some((n) => reports(n)?.has(term));
      if (contentTerms(claim).some((t) => instructed.has(t) && !reported(t))) return undefined;
    }
    if (valid.length > 0 && support.supports(claim, valid)) return valid;
    const best = support.best(claim);
    return best === undefined ? undefined : [best];
  };

  return (written, partial = false) => {
    const text = markersBeforeStops(written);
    const heading = SOURCES_HEADING.exec(text);
    const body = heading ? text.slice(0, heading.index) : text;
    const { sentences: all, kept } = split(body);
    const tailStart = all[kept]?.start ?? Number.POSITIVE_INFINITY;
    const sentences = all.filter((s) => !SOURCE_LINE.test(s.text));
    if (partial && !heading && !SENTENCE_END.test(text)) sentences.pop();
    const own = sentences.map((s) => markersOf(s, s.start < tailStart));
    const given = inheritedMarkers(body, sentences, own);
    const out: string[] = [];
    sentences.forEach((s, i) => {
      const mine = own[i] ?? [];
      const cited = mine.length > 0 ? mine : (given[i] ?? []);
      const sentence = cited.length > 0 ? shownAs(s, mine, cited) : undefined;
      if (sentence === undefined) return;
      // Kept sentences keep the text after them (line breaks of a list, say) as the model wrote it.
      const end = s.start + s.text.length;
      const gap = body.slice(end, sentences[i + 1]?.start ?? end);
      out.push(sentence + gap);
    });
    return out.join("").trim();
  };
}

/**
 * For each sentence, the markers of the next cited sentence in the same paragraph (no line break
 * between them), worked out from the last sentence back.
 */
function inheritedMarkers(
  text: string,
  sentences: readonly Sentence[],
  own: readonly number[][],
): number[][] {
  const given: number[][] = new Array(sentences.length);
  let next: number[] = [];
  for (let i = sentences.length - 1; i >= 0; i--) {
    given[i] = next;
    const from = sentences[i] as Sentence;
    const to = sentences[i - 1];
    // What sentence i - 1 inherits: sentence i's markers, else what sentence i inherits, unless a
    // line break lies between the two.
    if (to && text.slice(to.start, from.start).includes("\n")) next = [];
    else if ((own[i] ?? []).length > 0) next = own[i] ?? [];
  }
  return given;
}

// A Markdown link, or a bare web address.
const LINK = /\[([^\]\n]*)\]\(\s*<?([^)\s>]*)>?\s*\)|<?(\bhttps?:\/\/[^\s<>()]+|\bwww\.[^\s<>()]+)>?/gi;

/** Links in an answer are only ever the articles' own: any other keeps its text, loses its address. */
function withOwnLinksOnly(sentence: string, own: ReadonlySet<string>): string {
  return sentence.replace(
    LINK,
    (match, text: string | undefined, target: string | undefined, bare: string | undefined) => {
      if (own.has(target ?? bare ?? "")) return match;
      return text ?? "";
    },
  );
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

/** The sentence with its markers replaced by `numbers`, placed before its closing punctuation. */
function withMarkers(sentence: string, numbers: readonly number[]): string {
  const bare = withoutMarkers(sentence);
  const closing = CLOSING.exec(bare)?.[0] ?? "";
  const markers = numbers.map((n) => `[${n}]`).join("");
  return `${bare.slice(0, bare.length - closing.length)} ${markers}${closing.trimEnd()}`;
}
