// Replaces a file so that a crash, a power cut or a full disk leaves either the old file or the new
// one, whole: the text goes to a temporary file, which is flushed to the disk (fsync), renamed over
// the old file, and then the directory is flushed too, because the rename lives in the directory: until
// the directory is on disk, a power cut can bring the old file back.
//
// The file system calls go through `AtomicWriteIo`, so tests can play a disk that fills up.
import { open, rename, rm } from "node:fs/promises";
import path from "node:path";

export interface FileSink {
  write(text: string): Promise<unknown>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

export interface AtomicWriteIo {
  /** Opens (creating or truncating) a file for writing. */
  create(file: string): Promise<FileSink>;
  rename(from: string, to: string): Promise<void>;
  /** Removes a file; a missing file is fine. */
  remove(file: string): Promise<void>;
  /** Flushes a directory's entries (renames, new files) to the disk. */
  syncDirectory(dir: string): Promise<void>;
}

/** Where an unfinished write is left: the same name lowdb's steno writer uses. */
export function tempPathFor(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.tmp`);
}

export const nodeIo: AtomicWriteIo = {
  create: (file) => open(file, "w"),
  rename,
  remove: (file) => rm(file, { force: true }),
  async syncDirectory(dir) {
    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(dir, "r");
    } catch (error) {
      // Some platforms (Windows) cannot open a directory: there the rename is as durable as it gets.
      if (["EISDIR", "EPERM", "EACCES"].includes((error as NodeJS.ErrnoException).code ?? "")) return;
      throw error;
    }
    try {
      await handle.sync();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EINVAL") throw error;
    } finally {
      await handle.close();
    }
  },
};

/**
 * Writes `pieces` to `file` atomically and durably; resolves once the new file and its name are on the
 * disk. Pieces are gathered into chunks of about `chunkChars`, with the event loop free between chunks.
 * On failure the temporary file is removed (on a full disk it holds the space that is left) and the old
 * file stays as it was.
 */
export async function writeAtomically(
  file: string,
  pieces: Iterable<string>,
  io: AtomicWriteIo = nodeIo,
  chunkChars = 64 * 1024,
): Promise<void> {
  const temp = tempPathFor(file);
  try {
    const sink = await io.create(temp);
    try {
      let chunk = "";
      for (const piece of pieces) {
        chunk += piece;
        if (chunk.length >= chunkChars) {
          await sink.write(chunk);
          chunk = "";
        }
      }
      await sink.write(chunk);
      // On disk before the rename, so the name never points at a file whose content is not.
      await sink.sync();
    } finally {
      await sink.close();
    }
    await io.rename(temp, file);
  } catch (error) {
    await io.remove(temp).catch(() => undefined);
    throw error;
  }
  await io.syncDirectory(path.dirname(file));
}
