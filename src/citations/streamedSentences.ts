// The sentences of an answer as it streams. The guard runs each time a sentence or a marker ends, and
// splitting the whole text so far each time costs the square of the answer's length (a long answer
// is split a hundred times over). Sentences that can no longer change are kept; only the text after
// them is split again, and the result is exactly what splitting the whole text gives.
//
// When a sentence start cannot move: Intl.Segmenter follows the Unicode sentence rules (UAX #29),
// which break after a full stop, its closing quotes or brackets and the white space after it, unless
// the next letter is lower case (the only rule that reads further ahead, across digits and
// punctuation, stops at the first letter). So where a finished sentence is followed by white space
// and a capital letter, the break before the capital is decided by the text up to that letter, and
// so is every break before it. The segmenter starts afresh at each break, so the text after it
// splits the same on its own. splitSentences then joins back breaks after an abbreviation (decided by
// the text before the break) and before a clock time's zone ("9 p.m. EDT", decided by what follows):
// no sentence ending in a single letter and a full stop is kept as finished, so that join cannot
// change either.
import { type Sentence, splitSentences } from "../text/sentences.ts";

// A finished sentence whose end cannot be joined to what follows: it ends in a word of two or more
// letters or digits, or in a marker, then its closing punctuation.
const FINAL_ENDING = /(?:[\p{L}\p{N}]{2}|\])[.!?]["'”’)]*$/u;
// White space between two sentences across which the segmenter's break is where the next one starts:
// spaces and tabs alone, or ending in line breaks.
const BREAKING_GAP = /^(?:[ \t]+|[ \t]*\n+)$/;
const CAPITAL = /^\p{Lu}/u;

export interface StreamedSplit {
  /** What splitSentences(text) gives. */
  sentences: Readonly<Sentence>[];
  /** How many of the first sentences are kept: the same objects in every later split of a longer text. */
  kept: number;
}

/**
 * splitSentences for a text that grows at its end. A text that does not extend the kept part is
 * split whole. Sentences are shared between calls, so they are frozen.
 */
export function createStreamedSentences(): (text: string) => StreamedSplit {
  // Finished sentences, and the text up to and including the first letter after them.
  let kept: Readonly<Sentence>[] = [];
  let keptText = "";
  let tailStart = 0;

  return (text) => {
    if (!text.startsWith(keptText)) {
      kept = [];
      keptText = "";
      tailStart = 0;
    }
    const tail = splitSentences(text.slice(tailStart)).map((s) =>
      Object.freeze({ text: s.text, start: s.start + tailStart }),
    );
    const sentences = kept.length > 0 ? kept.concat(tail) : tail;
    const before = kept.length;
    // Keep every sentence before the last start that cannot move.
    for (let i = sentences.length - 1; i > kept.length; i--) {
      const previous = sentences[i - 1] as Sentence;
      const next = sentences[i] as Sentence;
      const capital = startsForGood(text, previous, next);
      if (!capital) continue;
      kept = sentences.slice(0, i);
      tailStart = next.start;
      keptText = text.slice(0, next.start + capital.length);
      break;
    }
    // Sentences kept only now are new objects: callers can remember things about them from the next
    // split on.
    return { sentences, kept: before };
  };
}

/** The capital letter `next` opens with, when the break before it cannot move; else undefined. */
function startsForGood(text: string, previous: Sentence, next: Sentence): string | undefined {
  const end = previous.start + previous.text.length;
  if (!FINAL_ENDING.test(previous.text) || !BREAKING_GAP.test(text.slice(end, next.start))) return undefined;
  return CAPITAL.exec(text.slice(next.start, next.start + 2))?.[0];
}
