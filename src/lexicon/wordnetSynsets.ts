// A WordNet data file held as compact columns: per synset its lexicographer file, its words (as the
// file spells them, one buffer for all) and its pointers (symbol, target offset, part of speech, word
// numbers: 8 bytes each instead of about 18 as text). The file's lines (22 MB for the four parts of
// speech, 12 MB without their glosses) take about 7 MB this way, and a synset is built from them
// exactly as from its line. The glosses and verb frames are never read.
import { forEachEntryLine, LineFields } from "./wordnetFields.ts";
import type { PartOfSpeech, Pointer, Synset } from "./wordnetTypes.ts";

const SPACE = 32;

export interface SynsetTable {
  /** Each synset's offset in the data file, ascending. */
  offsets: Int32Array;
  lexFiles: Int32Array;
  /** The synset's words, space-separated, are [wordStarts[i], wordStarts[i + 1]) of `words`. */
  words: Buffer;
  wordStarts: Int32Array;
  /** The synset's pointers are [pointerStarts[i], pointerStarts[i + 1]) of the pointer columns. */
  pointerStarts: Int32Array;
  pointerSymbols: Uint8Array;
  pointerOffsets: Int32Array;
  pointerParts: Uint8Array;
  /** Source word number × 256 + target word number. */
  pointerWords: Uint16Array;
  /** The distinct pointer symbols and parts of speech the columns number. */
  symbols: string[];
  parts: PartOfSpeech[];
}

// synset_offset lex_filenum ss_type w_cnt word lex_id [word lex_id...] p_cnt [ptr...] [frames] | gloss
const WORD_COUNT = 3;
const FIRST_WORD = 4;

/** Reads a data file: one pass to size the columns, one to fill them. */
export function readSynsets(file: Buffer): SynsetTable {
  const fields = new LineFields();
  let synsets = 0;
  let wordBytes = 0;
  let pointers = 0;
  forEachEntryLine(file, true, (start, end) => {
    // Up to the pointer count: the words and the count of pointers.
    const wordCount = fields.split(file, start, end, WORD_COUNT + 1).hex(file, WORD_COUNT);
    fields.split(file, start, end, FIRST_WORD + 2 * wordCount + 1);
    synsets++;
    // The words, a space between each two.
    for (let i = 0; i < wordCount; i++)
      wordBytes += fieldLength(fields, FIRST_WORD + 2 * i) + (i > 0 ? 1 : 0);
    pointers += fields.decimal(file, FIRST_WORD + 2 * wordCount) || 0;
  });
  const table: SynsetTable = {
    offsets: new Int32Array(synsets),
    lexFiles: new Int32Array(synsets),
    words: Buffer.allocUnsafeSlow(wordBytes),
    wordStarts: new Int32Array(synsets + 1),
    pointerStarts: new Int32Array(synsets + 1),
    pointerSymbols: new Uint8Array(pointers),
    pointerOffsets: new Int32Array(pointers),
    pointerParts: new Uint8Array(pointers),
    pointerWords: new Uint16Array(pointers),
    symbols: [],
    parts: [],
  };
  const symbolCodes = new Map<number | string, number>();
  const partCodes = new Map<number | string, number>();
  let synset = 0;
  let wordAt = 0;
  let pointer = 0;
  forEachEntryLine(file, true, (start, end) => {
    fields.split(file, start, end);
    table.offsets[synset] = start;
    table.lexFiles[synset] = fields.decimal(file, 1);
    const wordCount = fields.hex(file, WORD_COUNT);
    for (let i = 0; i < wordCount; i++) {
      const field = FIRST_WORD + 2 * i;
      if (i > 0) table.words[wordAt++] = SPACE;
      if (field < fields.count)
        wordAt += file.copy(table.words, wordAt, fields.start(field), fields.end(field));
    }
    let at = FIRST_WORD + 2 * wordCount;
    const pointerCount = fields.decimal(file, at++) || 0;
    for (let i = 0; i < pointerCount; i++, at += 4, pointer++) {
      table.pointerSymbols[pointer] = code(symbolCodes, table.symbols, fields, file, at, (name) => name);
      table.pointerOffsets[pointer] = fields.decimal(file, at + 1);
      // "s" is an adjective satellite, stored in the adjective files.
      table.pointerParts[pointer] = code(partCodes, table.parts, fields, file, at + 2, (part) =>
        part === "s" ? "a" : (part as PartOfSpeech),
      );
      const words = at + 3 < fields.count;
      table.pointerWords[pointer] =
        (words ? fields.hex(file, at + 3, 0, 2) : 0) * 256 + (words ? fields.hex(file, at + 3, 2) : 0);
    }
    synset++;
    table.wordStarts[synset] = wordAt;
    table.pointerStarts[synset] = pointer;
  });
  return table;
}

/** The synset whose line starts at `offset`, as its line reads; an offset no line starts at has none. */
export function synsetAt(table: SynsetTable, offset: number): Synset {
  let low = 0;
  let high = table.offsets.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((table.offsets[middle] as number) < offset) low = middle + 1;
    else high = middle;
  }
  if (table.offsets[low] !== offset || low >= table.offsets.length)
    return { words: [], lexFile: Number.NaN, pointers: [] };
  const wordsFrom = table.wordStarts[low] as number;
  const wordsTo = table.wordStarts[low + 1] as number;
  const words =
    wordsTo > wordsFrom
      ? table.words
          .toString("latin1", wordsFrom, wordsTo)
          .split(" ")
          // Adjectives may carry a syntactic marker: "galore(ip)".
          .map((word) => word.replace(/\(\w+\)$/, "").toLowerCase())
      : [];
  const pointers: Pointer[] = [];
  for (let p = table.pointerStarts[low] as number; p < (table.pointerStarts[low + 1] as number); p++) {
    const sourceTarget = table.pointerWords[p] as number;
    pointers.push({
      symbol: table.symbols[table.pointerSymbols[p] as number] as string,
      offset: table.pointerOffsets[p] as number,
      pos: table.parts[table.pointerParts[p] as number] as PartOfSpeech,
      source: sourceTarget >> 8,
      target: sourceTarget & 0xff,
    });
  }
  return { words, lexFile: table.lexFiles[low] as number, pointers };
}

function fieldLength(fields: LineFields, field: number): number {
  return field < fields.count ? fields.end(field) - fields.start(field) : 0;
}

/**
 * The column number of a field's value among `names`, adding it when new; short fields are looked up
 * by their bytes, without making a string of each.
 */
function code<T extends string>(
  codes: Map<number | string, number>,
  names: T[],
  fields: LineFields,
  file: Buffer,
  field: number,
  name: (text: string) => T,
): number {
  const short = fields.shortKey(file, field);
  const key = short >= 0 ? short : fields.text(file, field);
  let found = codes.get(key);
  if (found === undefined) {
    found = names.length;
    codes.set(key, found);
    names.push(name(fields.text(file, field)));
  }
  return found;
}
