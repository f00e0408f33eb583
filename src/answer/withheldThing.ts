// "Through which channel was Khamenei informed?" when the story says "I was informed through a certain
// channel": the story says there is one and withholds which, so it doesn't say. Likewise a person the
// story mentions only as one of a kind ("A senior diplomatic official later told Channel 12", "One IDF
// soldier was critically wounded"): news writes an unnamed source or victim so, and names a named one
// where it mentions them ("Mossad chief David Barnea").
import { nounKinds, usedMostlyAsNoun } from "../lexicon/nounKind.ts";
import { baseForms } from "../lexicon/relatedWords.ts";
import { type QuestionTerm, termKeys } from "./questionTerms.ts";

// "A certain channel", "an unnamed (senior) official", "undisclosed sources".
const WITHHELD =
  /\b(?:a certain|an unnamed|an unidentified|an undisclosed|unnamed|unidentified|undisclosed|unspecified)\s+([\p{L}-]+)(?:\s+(\p{L}+))?/giu;
// "Which channel", "through what channel", "what was the (certain) channel": the thing asked to be told apart.
const ASKS_WHICH = /\b(?:which|what)\s+(?:(?:was|is|were|are)\s+the\s+)?['‘"]?(?:certain\s+)?(\p{L}+)/iu;
// "Who is the senior diplomatic official who …", "who was Iran's foreign minister": the phrase after
// "is the" holds the person asked for.
const WHO_IS_THE = /^\W*who(?:['’]s|\s+(?:is|was|are|were))\s+(?:the|[\p{L}.-]+['’]s)\s+(.+)$/iu;
const PHRASE_WORDS = 5;
// Words that make a mention one of a kind, and how many describing words may follow them.
const INDEFINITE = /^(?:a|an|one|another)$/i;
const DESCRIBING_SPAN = 3;

/**
 * The thing a question asks which of, when the story mentions it only as withheld ("channel" for "a
 * certain channel", "official" for "a senior diplomatic official"); undefined otherwise. `sentences`
 * are those about the question, the one most about it first.
 */
export function withheldThing(
  question: string,
  sentences: readonly string[],
  terms: readonly QuestionTerm[],
): string | undefined {
  const sentence = sentences[0] ?? "";
  const asked = ASKS_WHICH.exec(question)?.[1]?.toLowerCase();
  const term = asked === undefined ? undefined : terms.find((t) => t.lower === asked);
  if (term) {
    // The noun right after, or after one describing word ("an unnamed senior official").
    for (const [, first, second] of sentence.matchAll(WITHHELD)) {
      for (const noun of [first, second]) {
        if (noun && termKeys(noun.toLowerCase()).some((key) => term.keys.get(key) === 1)) return term.lower;
      }
    }
  }
  const person = personAsked(question);
  if (person === undefined) return undefined;
  const verdict = unnamedOneOfKind(sentence, person.base, person.plural);
  if (verdict !== undefined) return verdict ? person.base : undefined;
  // Not mentioned in the sentence most about the question: in the others about it, then, only ever
  // as one of a kind ("to meet with a representative of Iran").
  const others = sentences.slice(1).map((s) => unnamedOneOfKind(s, person.base, person.plural));
  return others.includes(true) && !others.includes(false) ? person.base : undefined;
}

/** The person "which official …", "who is the soldier that …" asks to be named, as WordNet's noun. */
function personAsked(question: string): { base: string; plural: boolean } | undefined {
  const phrase = WHO_IS_THE.exec(question.trim())?.[1];
  if (phrase !== undefined) {
    // The person word that ends its run: "representative" in "the Iranian representative Witkoff is
    // meeting", "official" in "the senior diplomatic official who …".
    const words = phrase
      .toLowerCase()
      .split(/[^\p{L}-]+/u)
      .slice(0, PHRASE_WORDS);
    for (const [i, word] of words.entries()) {
      if (/^(?:who|whom|that|which|whose)$/.test(word)) break;
      const person = personNoun(word);
      if (person && !personNoun(words[i + 1] ?? "")) return person;
    }
    return undefined;
  }
  const which = ASKS_WHICH.exec(question);
  const noun = which?.[1]?.toLowerCase();
  // "What was the Iranian drone doing": a people's word before a noun describes the noun.
  const after = which
    ? question.slice((which.index ?? 0) + which[0].length).match(/^\s+(\p{L}+)/u)?.[1]
    : undefined;
  if (after !== undefined && nounAfter(after)) return undefined;
  return noun === undefined ? undefined : personNoun(noun);
}

/** A lower-case noun: the head of a phrase the word before it describes ("Iranian drone"). */
function nounAfter(word: string): boolean {
  return /^\p{Ll}/u.test(word) && usedMostlyAsNoun(word);
}

function personNoun(noun: string): { base: string; plural: boolean } | undefined {
  if (noun === "") return undefined;
  const base = baseForms(noun, "n")[0] ?? noun;
  return base === "official" || nounKinds(base).has("person") ? { base, plural: base !== noun } : undefined;
}

/**
 * Whether the sentence mentions the person only as one of a kind: "a/an/one/another", a few describing
 * words that name no one (a short acronym says whose: "One IDF soldier"), then the noun, with no name
 * after it ("an official, Yechiel Leiter," names them), and nowhere mentions them otherwise.
 * Undefined when it does not mention them.
 */
function unnamedOneOfKind(sentence: string, person: string, plural: boolean): boolean | undefined {
  const tokens = sentence.match(/[\p{L}\p{N}.'’-]+|[,;:—–()]/gu) ?? [];
  // In the number asked for: "the soldier" is not among "Israeli soldiers" the same sentence speaks of.
  const isPerson = (token: string) => {
    const lower = token.toLowerCase();
    const base = baseForms(lower, "n")[0] ?? lower;
    return base === person && (base !== lower) === plural;
  };
  // "An Iranian drone": the word describes the noun after it; no person is mentioned.
  const mentions = tokens.flatMap((token, i) =>
    isPerson(token) && !nounAfter(tokens[i + 1] ?? "") ? [i] : [],
  );
  if (mentions.length === 0) return undefined;
  return mentions.every((i) => {
    const after = tokens[i + 1] === "," ? tokens[i + 2] : tokens[i + 1];
    if (after !== undefined && /^\p{Lu}\p{Ll}/u.test(after)) return false;
    for (let j = i - 1; j >= Math.max(0, i - 1 - DESCRIBING_SPAN); j--) {
      const token = tokens[j] ?? "";
      if (INDEFINITE.test(token)) return true;
      const name = /^\p{Lu}/u.test(token) && !/^(?:\p{Lu}{2,3}|\p{Lu}\.(?:\p{Lu}\.)+)$/u.test(token);
      if (name || /^[,;:—–()]$/.test(token)) return false;
    }
    return false;
  });
}
