// A WordNet index file held as compact columns: the lemmas (one buffer, sorted as the file is), and
// per lemma how many of its senses were tagged and its synset offsets. The pointer symbols and counts
// of each line, which nothing reads, are not kept: the four files (6.3 MB) take about 4 MB this way.
import { forEachEntryLine, LineFields } from "./wordnetFields.ts";
import type { Entry } from "./wordnetTypes.ts";

const SPACE = 32;

export interface LemmaTable {
  /** Lemma i is [lemmaStarts[i], lemmaStarts[i + 1]) of `lemmas`. */
  lemmas: Buffer;
  lemmaStarts: Int32Array;
  tagged: Int32Array;
  /** Lemma i's offsets are [senseStarts[i], senseStarts[i + 1]) of `senses`. */
  senseStarts: Int32Array;
  senses: Int32Array;
}

// lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt synset_offset...
const SYNSET_COUNT = 2;

/** Reads an index file: one pass to size the columns, one to fill them. */
export function readLemmas(file: Buffer): LemmaTable {
  const fields = new LineFields();
  let lines = 0;
  let lemmaBytes = 0;
  let senses = 0;
  forEachEntryLine(file, false, (start, end) => {
    fields.split(file, start, end);
    lines++;
    lemmaBytes += fields.end(0) - fields.start(0);
    senses += sensesOf(file, fields);
  });
  const table: LemmaTable = {
    lemmas: Buffer.allocUnsafeSlow(lemmaBytes),
    lemmaStarts: new Int32Array(lines + 1),
    tagged: new Int32Array(lines),
    senseStarts: new Int32Array(lines + 1),
    senses: new Int32Array(senses),
  };
  let line = 0;
  let lemmaAt = 0;
  let sense = 0;
  forEachEntryLine(file, false, (start, end) => {
    fields.split(file, start, end);
    lemmaAt += file.copy(table.lemmas, lemmaAt, fields.start(0), fields.end(0));
    const count = sensesOf(file, fields);
    const first = fields.count - count;
    table.tagged[line] = fields.decimal(file, first - 1);
    for (let i = first; i < fields.count; i++) table.senses[sense++] = fields.decimal(file, i);
    line++;
    table.lemmaStarts[line] = lemmaAt;
    table.senseStarts[line] = sense;
  });
  return table;
}

/** The lemma's entry, by bisection over the lemmas (sorted by byte; lemmas are ASCII). */
export function lemmaEntry(table: LemmaTable, lemma: string): Entry | undefined {
  const { lemmas, lemmaStarts } = table;
  let low = 0;
  let high = lemmaStarts.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const start = lemmaStarts[middle] as number;
    const length = (lemmaStarts[middle + 1] as number) - start;
    // Compares the stored lemma, followed by a space as on its line, with `lemma` followed by one.
    let order = 0;
    for (let i = 0; ; i++) {
      const byte = i < length ? (lemmas[start + i] as number) : SPACE;
      const code = i < lemma.length ? lemma.charCodeAt(i) : SPACE;
      if (byte !== code) {
        order = byte < code ? -1 : 1;
        break;
      }
      if (code === SPACE) break;
    }
    if (order === 0) {
      return {
        offsets: Array.from(table.senses.subarray(table.senseStarts[middle], table.senseStarts[middle + 1])),
        tagged: table.tagged[middle] as number,
      };
    }
    if (order < 0) low = middle + 1;
    else high = middle;
  }
  return undefined;
}

/** How many synset offsets end the line (its synset_cnt, no more than its fields after the lemma). */
function sensesOf(file: Buffer, fields: LineFields): number {
  const count = fields.decimal(file, SYNSET_COUNT);
  return Number.isInteger(count) && count > 0 ? Math.min(count, fields.count - 1) : 0;
}
