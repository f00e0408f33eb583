// What WordNet's files say, as the rest of the lexicon reads it (wordnet.ts and the two file readers).

export type PartOfSpeech = "n" | "v" | "a" | "r";

export interface Pointer {
  /** WordNet's pointer symbol: "@" hypernym, "~" hyponym, "+" derivation, "&" similar, "\\" pertainym, … */
  symbol: string;
  offset: number;
  pos: PartOfSpeech;
  /** Word number (1-based) in the source synset the pointer is limited to; 0 for the whole synset. */
  source: number;
  /** Word number (1-based) in the target synset; 0 for the whole synset. */
  target: number;
}

export interface Synset {
  /** Lower-cased lemmas, multi-word ones with underscores ("pass_away"). */
  words: string[];
  /** WordNet's lexicographer file: the sense's broad kind (18 is noun.person, 15 noun.location, …). */
  lexFile: number;
  pointers: Pointer[];
}

/** A lemma's senses as one part of speech. */
export interface Entry {
  /** Synset offsets, most frequent sense first. */
  offsets: readonly number[];
  /** How many of them were seen in WordNet's tagged corpus. */
  tagged: number;
}
