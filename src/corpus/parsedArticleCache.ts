// Parsed articles and their passages, cached in one file under DATA_DIR/cache, each entry keyed by a
// hash of everything it is made from: the article file's content, id and time. Like git's index, an
// entry also remembers its file's size and modification time, and a file whose size and time (to the
// nanosecond) are unchanged is taken as unchanged without being read again. The file also names
// the parsing code it was made by (parserFingerprint), and is ignored under any other code, so a
// change to how passages are split can never hide behind an old cache. Start-up then reads unchanged
// articles' passages in one go instead of working them out again.
//
// A cache is only ever a shortcut: a missing, torn or foreign file is an empty cache, and one that
// cannot be written (a full disk) is logged once and otherwise ignored.
import { createHash, randomUUID } from "node:crypto";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { ensureDirectory } from "../ensureDirectory.ts";
import { fileErrorCause } from "../fileErrorCause.ts";
import type { Logger } from "../log.ts";
import type { Article, Passage } from "../types.ts";
import { parserFingerprint } from "./parserFingerprint.ts";

export interface ParsedArticle {
  article: Article;
  passages: Passage[];
}

/** What tells that an article file is unchanged without reading it. */
export interface FileStamp {
  name: string;
  size: number;
  mtimeMs: number;
}

export interface ParsedArticleCache {
  /** The entry's key for an article file's inputs. */
  keyFor(id: string, ingestedAt: string, content: string): string;
  get(key: string): ParsedArticle | undefined;
  /** The key of the entry made from this very file, if its size and time are unchanged. */
  keyOfFile(stamp: FileStamp): string | undefined;
  put(key: string, parsed: ParsedArticle, stamp: FileStamp): void;
  /** Writes the cache, keeping only the entries whose keys are in `used`, when that changes it. */
  save(used: ReadonlySet<string>): Promise<void>;
}

interface CacheEntry extends ParsedArticle {
  key: string;
  file: FileStamp;
}

interface CacheFile {
  fingerprint: string;
  entries: CacheEntry[];
}

const FILE_NAME = "parsed-articles.json";

/** The cache in `cacheDir`, read now; undefined when the parsing code cannot be fingerprinted. */
export async function openParsedArticleCache(
  cacheDir: string,
  log: Logger,
): Promise<ParsedArticleCache | undefined> {
  const fingerprint = parserFingerprint();
  if (!fingerprint) return undefined;
  const file = path.join(cacheDir, FILE_NAME);
  const entries = new Map<string, CacheEntry>();
  try {
    const cached = JSON.parse(await readFile(file, "utf8")) as CacheFile;
    if (cached.fingerprint === fingerprint && Array.isArray(cached.entries)) {
      for (const entry of cached.entries) {
        if (
          typeof entry?.key === "string" &&
          Array.isArray(entry.article?.paragraphs) &&
          Array.isArray(entry.passages)
        ) {
          entries.set(entry.key, entry);
        }
      }
    }
  } catch {
    // No cache yet, or one that cannot be read: everything is parsed, and the cache written anew.
  }
  const keyByFile = new Map([...entries.values()].map((entry) => [entry.file?.name, entry]));
  let added = false;

  return {
    keyFor(id, ingestedAt, content) {
      return createHash("sha256").update(`${id}\n${ingestedAt}\n`).update(content).digest("hex");
    },

    get: (key) => entries.get(key),

    keyOfFile({ name, size, mtimeMs }) {
      const entry = keyByFile.get(name);
      return entry && entry.file.size === size && entry.file.mtimeMs === mtimeMs ? entry.key : undefined;
    },

    put(key, { article, passages }, stamp) {
      entries.set(key, { key, file: stamp, article, passages });
      added = true;
    },

    async save(used) {
      const kept = [...entries].filter(([key]) => used.has(key));
      if (!added && kept.length === entries.size) return;
      const content: CacheFile = {
        fingerprint,
        entries: kept.map(([, entry]) => entry),
      };
      // Temp file, then rename: a reader never sees half a cache. No fsync: a lost cache is a re-parse.
      const temp = path.join(cacheDir, `.${FILE_NAME}.${randomUUID()}.tmp`);
      try {
        await ensureDirectory(cacheDir);
        await writeFile(temp, JSON.stringify(content));
        await rename(temp, file);
        added = false;
      } catch (error) {
        await rm(temp, { force: true }).catch(() => undefined);
        log.warn(
          { file, cause: fileErrorCause(error) ?? String(error) },
          "Could not write the parsed-article cache; articles are parsed again at the next start",
        );
      }
    },
  };
}
