// Passage embeddings for hybrid retrieval. Embedding costs money and time, so vectors are cached on
// disk by content hash (sha256 of model id and embedded text): a restart, or an article re-ingested
// unchanged, embeds nothing again. Failures never reach the reader: the caller falls back to BM25.
import { createHash, randomUUID } from "node:crypto";
import { readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { type EmbeddingModel, embed, embedMany } from "ai";
import { ensureDirectory } from "../ensureDirectory.ts";
import type { Logger } from "../log.ts";
import type { Passage } from "../types.ts";

// A reader is waiting on the question's embedding; BM25 answers alone rather than keep them waiting.
const QUERY_EMBEDDING_TIMEOUT_MS = 5_000;

export interface EmbeddingIndex {
  /** Embeds the passages that have no cached vector (all of them when the cache is empty). */
  add(passages: readonly Passage[]): Promise<void>;
  remove(ids: readonly string[]): void;
  /** Passage ids by cosine similarity to the query, best first; undefined when embedding failed. */
  rank(query: string, limit: number): Promise<string[] | undefined>;
}

export function createEmbeddingIndex(opts: {
  model: EmbeddingModel;
  cacheDir?: string;
  log: Logger;
}): EmbeddingIndex {
  const { model, log } = opts;
  const modelId = typeof model === "string" ? model : `${model.provider}:${model.modelId}`;
  const cacheFile =
    opts.cacheDir && join(opts.cacheDir, `embeddings-${modelId.replace(/[^\w.-]+/g, "_")}.json`);
  // Cached vectors by content hash (base64 of float32, compact and exact), and unit vectors by passage.
  let cache: Map<string, string> | undefined;
  const hashById = new Map<string, string>();
  const vectors = new Map<string, Float32Array>();

  const hashOf = (passage: Passage) =>
    createHash("sha256")
      .update(`${modelId}\n${embeddingInput(passage)}`)
      .digest("hex");

  async function loadCache(): Promise<Map<string, string>> {
    if (cache) return cache;
    cache = new Map();
    if (!cacheFile) return cache;
    try {
      const stored = JSON.parse(await readFile(cacheFile, "utf8")) as { vectors?: Record<string, string> };
      for (const [hash, vector] of Object.entries(stored.vectors ?? {})) {
        if (typeof vector === "string") cache.set(hash, vector);
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "ENOENT") {
        log.warn({ file: cacheFile, reason: reasonOf(error) }, "embedding cache unreadable; starting afresh");
      }
    }
    return cache;
  }

  async function saveCache(): Promise<void> {
    if (!cacheFile || !opts.cacheDir) return;
    // Only the vectors of current passages are kept, so the file does not grow with every edit.
    const current = new Set(hashById.values());
    const stored = Object.fromEntries([...(cache ?? [])].filter(([hash]) => current.has(hash)));
    const temporary = `${cacheFile}.${randomUUID()}.tmp`;
    try {
      await ensureDirectory(opts.cacheDir);
      await writeFile(temporary, JSON.stringify({ model: modelId, vectors: stored }));
      await rename(temporary, cacheFile);
    } catch (error) {
      log.warn({ file: cacheFile, reason: reasonOf(error) }, "embedding cache not saved");
    }
  }

  return {
    async add(passages) {
      const stored = await loadCache();
      const missing = new Map<string, Passage>();
      for (const passage of passages) {
        const hash = hashOf(passage);
        hashById.set(passage.id, hash);
        if (!stored.has(hash)) missing.set(hash, passage);
      }
      if (missing.size > 0) {
        try {
          const { embeddings } = await embedMany({
            model,
            values: [...missing.values()].map(embeddingInput),
          });
          [...missing.keys()].forEach((hash, i) => {
            const embedding = embeddings[i];
            if (embedding)
              stored.set(hash, Buffer.from(new Float32Array(embedding).buffer).toString("base64"));
          });
          await saveCache();
        } catch (error) {
          log.warn(
            { passages: missing.size, reason: reasonOf(error) },
            "embedding passages failed; they are found by keywords only until embedded",
          );
        }
      }
      for (const passage of passages) {
        const vector = stored.get(hashById.get(passage.id) ?? "");
        if (vector) vectors.set(passage.id, unit(decode(vector)));
        else vectors.delete(passage.id);
      }
    },

    remove(ids) {
      for (const id of ids) {
        vectors.delete(id);
        hashById.delete(id);
      }
    },

    async rank(query, limit) {
      if (vectors.size === 0) return undefined;
      let queryVector: Float32Array;
      try {
        const { embedding } = await embed({
          model,
          value: query,
          maxRetries: 1,
          abortSignal: AbortSignal.timeout(QUERY_EMBEDDING_TIMEOUT_MS),
        });
        queryVector = unit(new Float32Array(embedding));
      } catch (error) {
        log.warn({ reason: reasonOf(error) }, "embedding the question failed; using keyword retrieval only");
        return undefined;
      }
      const scored: { id: string; similarity: number }[] = [];
      for (const [id, vector] of vectors) {
        if (vector.length === queryVector.length) scored.push({ id, similarity: dot(vector, queryVector) });
      }
      scored.sort((a, b) => b.similarity - a.similarity);
      return scored.slice(0, limit).map((s) => s.id);
    },
  };
}

// Body passages carry their article's title, which tells the model what the paragraph is about.
function embeddingInput(passage: Passage): string {
  return passage.paragraph === 0 ? passage.text : `${passage.title}\n${passage.text}`;
}

function decode(base64: string): Float32Array {
  // Copied into a fresh buffer: a Float32Array view needs 4-byte alignment that Buffer does not promise.
  return new Float32Array(new Uint8Array(Buffer.from(base64, "base64")).buffer);
}

function unit(vector: Float32Array): Float32Array {
  const norm = Math.sqrt(dot(vector, vector)) || 1;
  return vector.map((x) => x / norm);
}

function dot(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] ?? 0) * (b[i] ?? 0);
  return sum;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
