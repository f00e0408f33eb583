// A question → the concepts it asks about. Each content word is one concept; with expansion, the
// concept also accepts the words the news vocabulary says stand for it, at a lower weight, so a
// passage that says "chief" answers a question that says "heads" without outranking one that says
// "heads". A question opening that asks for a kind of answer ("how long", "when") becomes a concept
// of its own whose words are those such answers use ("lasted", "hours"); its own words ("long")
// stop counting, since answers seldom repeat them.
import { relatedWords } from "../lexicon/relatedWords.ts";
import { wordKeys } from "../lexicon/wordKeys.ts";
import { STOP_WORDS } from "../text/words.ts";
import { ANSWER_CUES, SYNONYMS } from "./newsVocabulary.ts";
import { NUMBER_TERM, normalizedWords, searchTerms, stemOf } from "./searchTerms.ts";

export interface QueryConcept {
  /** Stemmed term → weight: 1 for the question's own word, at most EXPANSION_WEIGHT for synonyms. */
  terms: Map<string, number>;
}

export const EXPANSION_WEIGHT = 0.5;
// WordNet's relatives count less than the news vocabulary's synonyms: they are many, and general.
const WORDNET_WEIGHT = 0.35;
const MIN_WORDNET_STRENGTH = 0.75;
// Answer cues are looked for among the first words only: "when" opens a question about a date but
// is a mere conjunction in "Where was he when he spoke?".
const CUE_START_WORDS = 3;

type Triggers = Map<string, Map<string, number>>;

const phraseKey = (phrase: string) => normalizedWords(phrase).map(stemOf).join(" ");

// Phrase (stemmed words joined by spaces) → the terms it expands to, with their weights. An expansion
// of several words shares the weight among its words, so it counts as much as one word.
function addTrigger(triggers: Triggers, phrase: string, expansions: readonly string[], weight: number) {
  const own = new Set(searchTerms(phrase));
  const terms = triggers.get(phraseKey(phrase)) ?? new Map<string, number>();
  for (const expansion of expansions) {
    const expansionTerms = expansion === NUMBER_TERM ? [NUMBER_TERM] : searchTerms(expansion);
    const share = weight / expansionTerms.length;
    for (const term of expansionTerms) {
      if (!own.has(term) && share > (terms.get(term) ?? 0)) terms.set(term, share);
    }
  }
  triggers.set(phraseKey(phrase), terms);
}

const SYNONYM_TRIGGERS: Triggers = new Map();
for (const group of SYNONYMS) {
  for (const member of group) addTrigger(SYNONYM_TRIGGERS, member, group, EXPANSION_WEIGHT);
}
const CUE_TRIGGERS: Triggers = new Map();
for (const cue of ANSWER_CUES) {
  for (const ask of cue.ask) addTrigger(CUE_TRIGGERS, ask, cue.answer, 1);
}
const longest = (triggers: Triggers) => Math.max(...[...triggers.keys()].map((key) => key.split(" ").length));
const LONGEST_SYNONYM = longest(SYNONYM_TRIGGERS);
const LONGEST_CUE = longest(CUE_TRIGGERS);

export interface Expansion {
  /** The news vocabulary's synonyms and abbreviations, and the answer cues. */
  news: boolean;
  /** WordNet's synonyms, derived, narrower and broader words (lexicon/relatedWords), for words that are not names. */
  wordnet: boolean;
}

export function expandQuery(query: string, { news: expand, wordnet }: Expansion): QueryConcept[] {
  const queryWords = normalizedWords(query);
  const stems = queryWords.map(stemOf);
  const names = wordnet ? capitalised(query) : new Set<string>();
  const concepts: QueryConcept[] = [];

  // Positions of the words that name the kind of answer wanted.
  const cueWords = new Set<number>();
  if (expand) {
    const cue = findPhrase(stems, CUE_TRIGGERS, LONGEST_CUE, 0, CUE_START_WORDS);
    if (cue) {
      concepts.push({ terms: new Map(cue.terms) });
      for (let i = cue.start; i < cue.end; i++) cueWords.add(i);
    }
  }

  const byStem = new Map<string, QueryConcept>();
  const conceptAt = queryWords.map((word, i) => {
    if (STOP_WORDS.has(word) || cueWords.has(i)) return undefined;
    const term = stems[i] ?? "";
    let concept = byStem.get(term);
    if (!concept) {
      // Every form of the word counts as the word ("wrote" is also "write").
      concept = { terms: new Map(wordKeys(word).map((key) => [key, 1])) };
      if (wordnet && !names.has(word)) {
        for (const [key, strength] of relatedWords(word).keys) {
          // Broader words ("gunboat" → "boat") bring in too much to find a passage by.
          if (strength < MIN_WORDNET_STRENGTH) continue;
          const weight = strength * WORDNET_WEIGHT;
          if (weight > (concept.terms.get(key) ?? 0)) concept.terms.set(key, strength === 1 ? 1 : weight);
        }
      }
      byStem.set(term, concept);
      concepts.push(concept);
    }
    return concept;
  });
  if (!expand) return concepts;

  for (let i = 0; i < stems.length; ) {
    const match = findPhrase(stems, SYNONYM_TRIGGERS, LONGEST_SYNONYM, i, i + 1);
    if (!match) {
      i++;
      continue;
    }
    for (const concept of new Set(conceptAt.slice(match.start, match.end))) {
      if (!concept) continue;
      for (const [term, weight] of match.terms) {
        if (weight > (concept.terms.get(term) ?? 0)) concept.terms.set(term, weight);
      }
    }
    i = match.end;
  }
  return concepts;
}

/** Lower-cased words a query writes with a capital after its first word: names, whose senses are no guide. */
function capitalised(query: string): Set<string> {
  const tokens = query.match(/[\p{L}\p{N}]+(?:['’]\p{L}+)?/gu) ?? [];
  const names = new Set<string>();
  tokens.forEach((token, i) => {
    if ((i > 0 && /^\p{Lu}/u.test(token)) || /^\p{Lu}{2,}$/u.test(token))
      names.add(normalizedWords(token)[0] ?? "");
  });
  return names;
}

/** The longest trigger phrase starting at a position in [from, to). */
function findPhrase(
  stems: readonly string[],
  triggers: Triggers,
  longestPhrase: number,
  from: number,
  to: number,
) {
  for (let start = from; start < Math.min(to, stems.length); start++) {
    for (let length = Math.min(longestPhrase, stems.length - start); length > 0; length--) {
      const terms = triggers.get(stems.slice(start, start + length).join(" "));
      if (terms) return { start, end: start + length, terms };
    }
  }
  return undefined;
}
