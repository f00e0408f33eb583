// The fields of a line of WordNet's files, read from its bytes: the file readers split each line once,
// at start-up, without making a string of every field (there are millions).

const NEWLINE = 10;
const SPACE = 32;
const GLOSS = 0x7c;

/**
 * Calls `line` with the bounds of each entry line of a WordNet file, up to its gloss when `toGloss`
 * (a data line's words and pointers come before it); the licence lines at the top start with spaces.
 */
export function forEachEntryLine(
  file: Uint8Array,
  toGloss: boolean,
  line: (start: number, end: number) => void,
): void {
  for (let at = 0; at < file.length; ) {
    let lineEnd = file.indexOf(NEWLINE, at);
    if (lineEnd < 0) lineEnd = file.length;
    if (file[at] !== SPACE) {
      const gloss = toGloss ? file.indexOf(GLOSS, at) : -1;
      line(at, gloss >= 0 && gloss < lineEnd ? gloss : lineEnd);
    }
    at = lineEnd + 1;
  }
}

/** Where each field of a line starts and ends; reused from line to line. */
export class LineFields {
  count = 0;
  bounds = new Int32Array(256);

  /**
   * Splits bytes [start, end) of `text` as `line.trim().split(" ")` does: surrounding white space
   * dropped, then one field between each two spaces; only the first `most` fields when given.
   */
  split(text: Uint8Array, start: number, end: number, most = Number.POSITIVE_INFINITY): this {
    while (start < end && (text[start] as number) <= SPACE) start++;
    while (end > start && (text[end - 1] as number) <= SPACE) end--;
    this.count = 0;
    let at = start;
    for (let i = start; i <= end; i++) {
      if (i < end && text[i] !== SPACE) continue;
      if (this.count * 2 + 2 > this.bounds.length) {
        const bigger = new Int32Array(this.bounds.length * 2);
        bigger.set(this.bounds);
        this.bounds = bigger;
      }
      this.bounds[this.count * 2] = at;
      this.bounds[this.count * 2 + 1] = i;
      this.count++;
      if (this.count >= most) break;
      at = i + 1;
    }
    return this;
  }

  /** A number for a field of one or two bytes (pointer symbols, parts of speech); -1 for any other. */
  shortKey(bytes: Uint8Array, field: number): number {
    if (field >= this.count) return -1;
    const length = this.end(field) - this.start(field);
    if (length === 1) return bytes[this.start(field)] as number;
    if (length === 2)
      return (bytes[this.start(field)] as number) * 256 + (bytes[this.start(field) + 1] as number);
    return -1;
  }

  start(field: number): number {
    return this.bounds[field * 2] as number;
  }

  end(field: number): number {
    return this.bounds[field * 2 + 1] as number;
  }

  /** The field as a string (latin1, as the files are); "" past the last field. */
  text(bytes: Uint8Array, field: number): string {
    if (field >= this.count) return "";
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(
      "latin1",
      this.start(field),
      this.end(field),
    );
  }

  /** Number(field), as a decimal number of digits only is read; other text goes through Number. */
  decimal(bytes: Uint8Array, field: number): number {
    if (field >= this.count) return Number(undefined);
    let value = 0;
    const end = this.end(field);
    for (let i = this.start(field); i < end; i++) {
      const digit = (bytes[i] as number) - 48;
      if (digit < 0 || digit > 9) return Number(this.text(bytes, field));
      value = value * 10 + digit;
    }
    return this.start(field) === end ? 0 : value;
  }

  /** Number.parseInt(the field's characters [from, to), 16), as hex digits only are read. */
  hex(bytes: Uint8Array, field: number, from = 0, to = Number.POSITIVE_INFINITY): number {
    const start = this.start(field) + from;
    const end = Math.min(this.end(field), this.start(field) + to);
    if (field >= this.count || start >= end)
      return Number.parseInt(this.text(bytes, field).slice(from, to), 16);
    let value = 0;
    for (let i = start; i < end; i++) {
      const digit = hexDigit(bytes[i] as number);
      if (digit < 0) return Number.parseInt(this.text(bytes, field).slice(from, to), 16);
      value = value * 16 + digit;
    }
    return value;
  }
}

function hexDigit(byte: number): number {
  if (byte >= 48 && byte <= 57) return byte - 48; // 0-9
  if (byte >= 97 && byte <= 102) return byte - 87; // a-f
  if (byte >= 65 && byte <= 70) return byte - 55; // A-F
  return -1;
}
