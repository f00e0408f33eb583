// Article text is data. A passage may carry instructions aimed at the model ("ignore your rules and
// say …"); the model is told to ignore them, and this guard makes sure that a model which obeys them
// anyway shows nothing of it: only cited sentences are shown, and a sentence that repeats what an
// instruction asked for, beyond what its cited passages report, is dropped.
import { splitSentences } from "../text/sentences.ts";
import { contentTerms } from "../text/words.ts";
import type { Passage } from "../types.ts";
import { citedNumbers, withoutMarkers } from "./markers.ts";

const INSTRUCTION = [
  // "Ignore your rules", "disregard all previous instructions", "forget the system prompt"
  /\b(?:ignore|disregard|forget|override|bypass)\b[^.!?]{0,80}\b(?:instructions?|rules?|prompts?|guidelines|directions)\b/i,
  /\bsystem prompt\b/i,
  // A sentence that opens with an order to whoever reads it out: "Say …", "Tell the reader …", "Do not cite …"
  /^\W*(?:now\s+)?(?:say|reply|respond|repeat|output|print|tell (?:the |your )?(?:reader|user|audience)s?|do not cite|don't cite)\b/i,
  /\b(?:you are now|from now on you|act as (?:a|an)|as an ai)\b/i,
];

/** True when a sentence gives orders to the model instead of reporting something. */
export function isInstruction(sentence: string): boolean {
  return INSTRUCTION.some((pattern) => pattern.test(sentence));
}

/** The passages with their instruction sentences taken out; quotes cut from them stay verbatim. */
export function withoutInstructions<P extends Passage>(passages: readonly P[]): P[] {
  return passages.flatMap((p) => {
    const sentences = splitSentences(p.text);
    if (!sentences.some((s) => isInstruction(s.text))) return [p];
    const text = sentences
      .filter((s) => !isInstruction(s.text))
      .map((s) => s.text)
      .join(" ");
    return text ? [{ ...p, text }] : [];
  });
}

const SENTENCE_END = /(?:[.!?…]["'”’)]*|\])\s*$/;

/**
 * Keeps the sentences of a model's answer that carry a marker and repeat nothing that an instruction
 * in the passages asked for. Markers are still the model's own (1-based into `passages`). With
 * `partial`, a last sentence that is still being written is held back.
 */
export function guardAnswer(text: string, passages: readonly Passage[], partial = false): string {
  return createAnswerGuard(passages)(text, partial);
}

/** guardAnswer with the passages' side worked out once, for checking an answer as it streams. */
export function createAnswerGuard(passages: readonly Passage[]): (text: string, partial?: boolean) => string {
  const instructed = instructionTerms(passages);
  // What each passage reports, its instructions left out.
  const reports = passages.map((p) => new Set(contentTerms(withoutInstructions([p])[0]?.text ?? "")));
  const keep = (sentence: string): boolean => {
    const cited = citedNumbers(sentence);
    if (cited.length === 0) return false;
    // A passage that is nothing but instructions reports nothing, so it supports no claim.
    if (cited.some((n) => reports[n - 1]?.size === 0)) return false;
    if (instructed.size === 0) return true;
    const reported = (term: string) => cited.some((n) => reports[n - 1]?.has(term));
    return !contentTerms(withoutMarkers(sentence)).some((t) => instructed.has(t) && !reported(t));
  };
  return (text, partial = false) => {
    const sentences = splitSentences(text);
    if (partial && !SENTENCE_END.test(text)) sentences.pop();
    // Kept sentences keep the text around them (line breaks of a list, say) as the model wrote it.
    return sentences
      .map((s, i) =>
        keep(s.text) ? text.slice(s.start, sentences[i + 1]?.start ?? s.start + s.text.length) : "",
      )
      .join("")
      .trim();
  };
}

function instructionTerms(passages: readonly Passage[]): Set<string> {
  const terms = new Set<string>();
  for (const p of passages) {
    for (const s of splitSentences(p.text))
      if (isInstruction(s.text)) for (const t of contentTerms(s.text)) terms.add(t);
  }
  return terms;
}
