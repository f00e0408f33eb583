// A passage's side of the answer guard: what it reports, and the terms of any instructions planted in
// it. Worked out per passage text, not per answer, and only as far as an answer needs: a question
// sends dozens of passages and its answer cites a few, so what a passage reports is worked out for the
// passages cited; the planted terms are needed for every passage sent, and mayNotReport settles them
// without splitting the text for nearly all of them (plain reporting has none).
import { contentTerms } from "../text/words.ts";
import type { Passage } from "../types.ts";
import { mayNotReport, notReportingSentences, type ReportingContext } from "./notReporting.ts";
import { rememberedPerText, sentencesOf } from "./sentencesOf.ts";

const NONE: readonly string[] = Object.freeze([]);

function contextOf(passage: Passage): ReportingContext {
  return { ownUrl: passage.url, speech: passage.embeddedPost !== undefined };
}

function contextKey(context: ReportingContext): string {
  return `${context.ownUrl ?? ""}\u0000${context.speech ? "speech" : ""}`;
}

// Bounded more tightly than the sentence caches: each entry holds a set of terms, and the passages an
// answer cites are few.
const REPORTED_CACHE = 1_000;

const plantedByText = rememberedPerText(
  (text: string, context: ReportingContext): readonly string[] => {
    const planted = notReportingSentences(text, context);
    const terms = sentencesOf(text)
      .filter((_, i) => planted[i])
      .flatMap((s) => contentTerms(s.text));
    return terms.length > 0 ? Object.freeze(terms) : NONE;
  },
  contextKey,
  2_000,
);

const reportedByText = rememberedPerText(
  (text: string, context: ReportingContext): ReadonlySet<string> => {
    const planted = notReportingSentences(text, context);
    return new Set(
      sentencesOf(text)
        .filter((_, i) => !planted[i])
        .flatMap((s) => contentTerms(s.text)),
    );
  },
  contextKey,
  REPORTED_CACHE,
);

/** The content terms of the passage's sentences that are not reporting (planted instructions), in order. */
export function instructedTerms(passage: Passage): readonly string[] {
  const context = contextOf(passage);
  if (!mayNotReport(passage.text, context)) return NONE;
  return plantedByText(passage.text, context);
}

/** The content terms of what the passage reports, its instructions left out. Shared: not to be changed. */
export function reportedTerms(passage: Passage): ReadonlySet<string> {
  return reportedByText(passage.text, contextOf(passage));
}
