// A hash of the code that turns an article file into an Article and its passages: every module that
// parseArticle.ts and splitPassages.ts import, followed through their relative imports. A parsed
// article cached under one fingerprint is never used by code with another, so a change to how
// passages are split (which changes answers) can never be hidden behind an old cache.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ENTRY_POINTS = ["./parseArticle.ts", "./splitPassages.ts"];
/** Paths are hashed relative to src/, so the same code in another checkout has the same fingerprint. */
const SRC = fileURLToPath(new URL("..", import.meta.url));
const TYPE_ONLY_IMPORT = /(?:import|export)\s+type\s[^;]*;/g;
const RELATIVE_IMPORT = /(?:from|import)\s+["'](\.{1,2}\/[^"']+)["']/g;

let memo: { fingerprint: string; sources: string[] } | undefined | null = null;

/** Hex fingerprint of the parsing code; undefined when its source cannot be read (then nothing is cached). */
export function parserFingerprint(): string | undefined {
  return fingerprinted()?.fingerprint;
}

/** The source files the fingerprint covers, relative to src/. */
export function parserSources(): string[] {
  return fingerprinted()?.sources ?? [];
}

function fingerprinted(): { fingerprint: string; sources: string[] } | undefined {
  if (memo !== null) return memo;
  try {
    const hash = createHash("sha256");
    const sources: string[] = [];
    const queue = ENTRY_POINTS.map((entry) => new URL(entry, import.meta.url).href);
    const seen = new Set<string>();
    while (queue.length > 0) {
      const url = queue.shift() as string;
      if (seen.has(url)) continue;
      seen.add(url);
      const file = fileURLToPath(url);
      const source = readFileSync(file, "utf8");
      const name = path.relative(SRC, file);
      sources.push(name);
      hash.update(`${name}\n${source}\n`);
      // Type-only imports change no behaviour: following them would re-parse on every type edit.
      const code = source.replace(TYPE_ONLY_IMPORT, "");
      for (const [, specifier] of code.matchAll(RELATIVE_IMPORT)) {
        queue.push(new URL(specifier as string, url).href);
      }
    }
    memo = { fingerprint: hash.digest("hex").slice(0, 16), sources: sources.sort() };
  } catch {
    memo = undefined;
  }
  return memo;
}
