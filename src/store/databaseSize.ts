// How large db.json may grow. The whole file is read back as one string and parsed in one piece, so
// a file past V8's longest string (about 512 MiB, in UTF-8 bytes as Node decodes it) can be written
// but never opened again. The store therefore refuses to write past a limit well below that:
// an eighth of it (64 MiB). Beyond the headroom, the limit bounds the things that grow with the
// file: opening it blocks the process for about a second at that size on a busy 2-core machine
// (scripts/measureDbOpen.ts), and each whole-file save takes a few hundred milliseconds.
import { constants } from "node:buffer";

export const DEFAULT_MAX_DATABASE_BYTES = Math.floor(constants.MAX_STRING_LENGTH / 8);

/** The longest file that can be read back as one string at all. */
export const READABLE_DATABASE_BYTES = constants.MAX_STRING_LENGTH;

/** A save refused because the file would pass the limit; db.json keeps the last good save. */
export class DatabaseTooLargeError extends Error {
  override name = "DatabaseTooLargeError";
  readonly limitBytes: number;
  constructor(file: string, limitBytes: number) {
    super(`${file} would be larger than ${megabytes(limitBytes)}, more than the store writes`);
    this.limitBytes = limitBytes;
  }
}

export function megabytes(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(bytes < 2 ** 20 ? 2 : 0)} MiB`;
}
