// How large db.json may grow. The whole file is read back as one string and parsed in one piece, so
// a file past V8's longest string (about 512 MiB, in UTF-8 bytes as Node decodes it) can be written
// but never opened again. The store therefore refuses to write past a limit well below that:
// a sixteenth of it (32 MiB, above the ~25 MB of 100k stored messages where docs/scaling.md advises
// PostgreSQL). The limit also bounds what grows with the file. Measured by scripts/measureDbOpen.ts
// on a 2-core machine that others kept busy (load 10): reading and parsing 32 MiB took 0.8–1.4 s and
// a whole save 0.3–0.6 s, against 1.5–3.3 s and 1.0–1.5 s at 64 MiB; a save must stay under about
// half a second for WriteBehind's one-second loss bound to hold.
import { constants } from "node:buffer";

export const DEFAULT_MAX_DATABASE_BYTES = Math.floor(constants.MAX_STRING_LENGTH / 16);

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
