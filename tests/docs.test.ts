// The README and docs/ stay true: every file they name exists, every test they cite as proof
// exists with the test names quoted, and the README's headline figures are the ones measured in
// docs/. (The configuration table is checked against the schema in config.test.ts.)
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "./runCli.ts";

const read = (file: string) => readFileSync(path.join(ROOT, file), "utf8");
const DOCS = ["README.md", ...readdirSync(path.join(ROOT, "docs")).map((f) => `docs/${f}`)];

describe("README and docs/", () => {
  it("name only files and folders that exist", () => {
    for (const doc of DOCS) {
      const text = read(doc);
      const named = [
        ...text.matchAll(/(?<![\w/.])((?:src|tests|commands|deploy|docs|scripts|bin|bench)\/[\w./-]*[\w/])/g),
      ].map((m) => m[1] ?? "");
      const linked = [...text.matchAll(/\]\(((?!https?:|#)[^)#]+)\)/g)].map((m) =>
        path.join(path.dirname(doc), m[1] ?? ""),
      );
      for (const file of [...named, ...linked])
        expect(existsSync(path.join(ROOT, file)), `${doc}: ${file}`).toBe(true);
    }
  });

  it("cite as proof tests that exist, under the names quoted", () => {
    const reliability = read("docs/reliability.md");
    let cited = 0;
    for (const row of reliability.split("\n").filter((l) => l.startsWith("|"))) {
      const proof = row.split("|").at(-2) ?? "";
      // `tests/x.test.ts` "name…", "other name": each quoted name belongs to the file named before it.
      let file: string | undefined;
      for (const [, named, quoted] of proof.matchAll(/`(tests\/[\w.-]+\.ts)`|"([^"]+)"/g)) {
        if (named) {
          file = named;
          expect(existsSync(path.join(ROOT, named)), named).toBe(true);
          continue;
        }
        if (!file || !quoted) continue;
        const source = read(file);
        for (const fragment of quoted
          .split("…")
          .map((f) => f.trim())
          .filter((f) => f.length > 3)) {
          expect(source, `${file}: "${fragment}"`).toContain(fragment);
          cited++;
        }
      }
    }
    expect(cited).toBeGreaterThan(10);
  });

  it("give the README's headline benchmark figures as docs/benchmark.md measured them", () => {
    const readme = read("README.md");
    const section = readme.slice(readme.indexOf("## Performance"), readme.indexOf("## Reliability"));
    const benchmark = read("docs/benchmark.md");
    const figures = [...section.matchAll(/\|\s*([\d.,]+) (?:ms|MB)\s*\|/g)].map((m) => m[1] ?? "");
    expect(figures.length).toBeGreaterThanOrEqual(4);
    for (const figure of figures)
      expect(benchmark, figure).toMatch(new RegExp(`\\(${figure.replace(".", "\\.")}\\)`));
  });

  it("give the README's quality figures as docs/quality.md has them", () => {
    const readme = read("README.md");
    const section = readme.slice(readme.indexOf("## Quality"), readme.indexOf("## Performance"));
    const quality = read("docs/quality.md");
    const figures = [...section.matchAll(/(\d+(?:\.\d+)?) %/g)].map((m) => m[1] ?? "");
    expect(figures.length).toBeGreaterThanOrEqual(3);
    for (const figure of figures) expect(quality, figure).toContain(`${figure} %`);
  });

  it("keep the README's first screen short: what it is, the two commands", () => {
    const readme = read("README.md");
    const firstScreen = readme.split("\n").slice(0, 25).join("\n");
    expect(firstScreen).toContain("npm ci && npm start");
    expect(firstScreen).toContain("npm test");
    expect(readme.length).toBeLessThan(25_000);
  });
});
