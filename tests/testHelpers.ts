// Small helpers several test files share.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterEach } from "vitest";
import { createLogger } from "../src/log.ts";
import type { Store } from "../src/store/store.ts";

/** A pino logger whose JSON lines land in an array, for asserting what was reported. */
export function capturingLogger(level = "info") {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { log: createLogger(level, stream), lines };
}

/**
 * Temporary data folders and the stores opened in them, all closed and removed after each test.
 * Call once at the top of a test file.
 */
export function useTempStores(prefix: string) {
  const dirs: string[] = [];
  const stores: Store[] = [];
  afterEach(async () => {
    for (const store of stores.splice(0)) await store.close().catch(() => {});
    for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
  });
  return {
    async tempDir(): Promise<string> {
      const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
    /** Closes the store after the test, whatever happens in it. */
    track<S extends Store>(store: S): S {
      stores.push(store);
      return store;
    },
  };
}
