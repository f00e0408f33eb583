// The shape of the code, kept: no import cycles among the product's files, and nothing under src/
// reaches up into commands/, bin/ or any other folder beside it (the adapter receives the command
// list instead). Type-only and lazy (`await import(…)`) imports count too: a cycle of types is still
// two modules leaning on each other.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const ROOT = path.resolve(import.meta.dirname, "..");
/** The product's folders. */
const FOLDERS = ["src", "commands", "bin", "bench"].filter((folder) => existsSync(path.join(ROOT, folder)));

// Statements at the start of a line, so that examples in comments are not read as imports; between
// the keyword and `from` only names, braces, commas and `*` (so a statement never runs into the next).
const IMPORTS = [
  /^\s*(?:import|export)\s[\w\s{},*$]*?\bfrom\s*["']([^"']+)["']/gm,
  /^\s*import\s*["']([^"']+)["']/gm,
  /\bimport\(\s*["']([^"']+)["']\s*\)/g,
];

type Graph = ReadonlyMap<string, readonly string[]>;

function sourceFiles(folder: string): string[] {
  return readdirSync(path.join(ROOT, folder), { recursive: true, encoding: "utf8" })
    .filter((file) => file.endsWith(".ts"))
    .map((file) => path.join(folder, file));
}

/** The relative imports in one file's text, as paths relative to ROOT. */
function importsOf(file: string, text: string): string[] {
  const targets = IMPORTS.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[1] ?? ""))
    .filter((specifier) => specifier.startsWith("."))
    .map((specifier) => path.normalize(path.join(path.dirname(file), specifier)));
  return [...new Set(targets)];
}

/** File → the project files it imports (relative to ROOT). */
function importGraph(): Graph {
  return new Map(
    FOLDERS.flatMap(sourceFiles).map((file) => [
      file,
      importsOf(file, readFileSync(path.join(ROOT, file), "utf8")),
    ]),
  );
}

/** Every cycle found by a depth-first walk, as "a -> b -> a". */
function cycles(graph: Graph): string[] {
  const found: string[] = [];
  const done = new Set<string>();
  const trail: string[] = [];
  const visit = (file: string) => {
    trail.push(file);
    for (const next of graph.get(file) ?? []) {
      const at = trail.indexOf(next);
      if (at >= 0) found.push([...trail.slice(at), next].join(" -> "));
      else if (!done.has(next) && graph.has(next)) visit(next);
    }
    trail.pop();
    done.add(file);
  };
  for (const file of graph.keys()) if (!done.has(file)) visit(file);
  return found;
}

/** Imports from a file under src/ of a file outside it, as "from -> to". */
function importsLeavingSrc(graph: Graph): string[] {
  const inSrc = (file: string) => file.startsWith(`src${path.sep}`);
  return [...graph].flatMap(([file, targets]) =>
    inSrc(file) ? targets.filter((t) => !inSrc(t)).map((t) => `${file} -> ${t}`) : [],
  );
}

describe("the checks themselves, on small graphs", () => {
  it("find a cycle, a module importing itself, and none in a diamond", () => {
    const triangle = new Map([
      ["a", ["b"]],
      ["b", ["c"]],
      ["c", ["a"]],
    ]);
    expect(cycles(triangle)).toEqual(["a -> b -> c -> a"]);
    expect(cycles(new Map([["a", ["a"]]]))).toEqual(["a -> a"]);
    const diamond = new Map([
      ["a", ["b", "c"]],
      ["b", ["d"]],
      ["c", ["d"]],
      ["d", []],
    ]);
    expect(cycles(diamond)).toEqual([]);
  });

  it("find src/ importing commands/", () => {
    const file = path.join("src", "discord", "createBot.ts");
    const text = 'import { commands } from "../../commands/index.ts";\n';
    expect(importsLeavingSrc(new Map([[file, importsOf(file, text)]]))).toEqual([
      `${file} -> ${path.join("commands", "index.ts")}`,
    ]);
  });

  it("read every form of import, and no example in a comment", () => {
    const text = [
      'import type { A, B } from "./types.ts";',
      "import {",
      "  c,",
      "  type D,",
      '} from "./multiLine.ts";',
      'export * from "./reexported.ts";',
      'import "./sideEffect.ts";',
      'const lazy = await import("./lazy.ts");',
      '// run it as: import { x } from "./inComment.ts"',
      'import { readFileSync } from "node:fs";',
    ].join("\n");
    expect(importsOf("x.ts", text).sort()).toEqual(
      ["types.ts", "multiLine.ts", "reexported.ts", "sideEffect.ts", "lazy.ts"].sort(),
    );
  });
});

describe("the import graph of src/, commands/, bin/ and bench/", () => {
  const graph = importGraph();

  it("reads the imports it checks", () => {
    // A guard against a pattern that silently finds nothing.
    expect(graph.get(path.join("bin", "storybot.ts"))).toContain(path.join("src", "cli", "main.ts"));
    expect(graph.get(path.join("commands", "index.ts"))).toContain(path.join("commands", "ask.ts"));
  });

  it("has no cycle", () => {
    expect(cycles(graph)).toEqual([]);
  });

  it("never leads from src/ to a folder beside it", () => {
    expect(importsLeavingSrc(graph)).toEqual([]);
  });
});
