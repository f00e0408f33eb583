// Where storybot reads and writes: the shipped story stays read-only in the repository, runtime
// data (database, ingested articles, caches, health) goes under DATA_DIR, which git ignores, and
// relative paths mean the project, wherever the command is run from.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { jsonLines, ROOT, runCli } from "./runCli.ts";

// Each test runs real processes; on a busy machine (2 cores) they take a while to start.
vi.setConfig({ testTimeout: 120_000 });

const STORY_ID = "netanyahu-witkoff-iran-talks";
const FIXTURES = path.join(ROOT, "tests/fixtures/ingest");

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "storybot-layout-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sourceIds = async (dataDir: string) => {
  const { code, stdout } = await runCli(["sources", "--json"], { env: { DATA_DIR: dataDir } });
  expect(code).toBe(0);
  return jsonLines(stdout).map((a: { id: string }) => a.id);
};

describe("paths", () => {
  it("finds the shipped story when run from a subfolder with the default DATA_DIR", async () => {
    const { code, stdout } = await runCli(["sources", "--json"], { cwd: path.join(ROOT, "src"), env: {} });
    expect(code).toBe(0);
    expect(jsonLines(stdout).map((a: { id: string }) => a.id)).toContain(STORY_ID);
  });

  it("resolves a relative DATA_DIR against the project, not the working directory", async () => {
    const { stdout } = await runCli(["sources", "--json"], {
      cwd: path.join(ROOT, "src"),
      env: { DATA_DIR: "data" },
    });
    expect(jsonLines(stdout).map((a: { id: string }) => a.id)).toContain(STORY_ID);
  });
});

describe("the corpus: the story plus what was ingested", () => {
  it("serves the shipped story from a DATA_DIR that has no articles/ of its own, and adds ingested ones", async () => {
    const dataDir = path.join(dir, "service");
    expect(await sourceIds(dataDir)).toEqual([STORY_ID]);

    const { code } = await runCli(["ingest", path.join(FIXTURES, "harbour-wall.txt")], {
      env: { DATA_DIR: dataDir },
    });
    expect(code).toBe(0);
    expect(readdirSync(path.join(dataDir, "ingested"))).toEqual([
      "harbour-wall-repairs-delayed-until-autumn.md",
    ]);
    expect(await sourceIds(dataDir)).toEqual([STORY_ID, "harbour-wall-repairs-delayed-until-autumn"]);
  });

  it("reads DATA_DIR/articles instead of the shipped story when it exists", async () => {
    const dataDir = path.join(dir, "own-story");
    mkdirSync(path.join(dataDir, "articles"), { recursive: true });
    cpSync(path.join(FIXTURES, "market-hall.md"), path.join(dataDir, "articles/market-hall.md"));
    expect(await sourceIds(dataDir)).toEqual(["market-hall"]);
  });

  it("gives an ingested article an id no story article has", async () => {
    const dataDir = path.join(dir, "clash");
    const file = path.join(dir, "clash.txt");
    writeFileSync(
      file,
      "Netanyahu Witkoff Iran talks\nA standfirst\nA paragraph about something else entirely.\n",
    );
    await runCli(["ingest", file], { env: { DATA_DIR: dataDir } });
    expect(await sourceIds(dataDir)).toEqual([STORY_ID, `${STORY_ID}-2`]);
  });

  it("keeps a Markdown article's title clean", async () => {
    const dataDir = path.join(dir, "markdown");
    const file = path.join(dir, "lights.md");
    writeFileSync(file, "# Harbour lights return\n\nThe harbour lights were switched back on on Friday.\n");
    await runCli(["ingest", file], { env: { DATA_DIR: dataDir } });
    const { stdout } = await runCli(["sources", "--json"], { env: { DATA_DIR: dataDir } });
    const titles = jsonLines(stdout).map((a: { title: string }) => a.title);
    expect(titles).toContain("Harbour lights return");
  });
});

describe("git", () => {
  it("sees no change after ingesting and answering with a session", async () => {
    // A repository with the project's .gitignore and shipped data, used as it is by default.
    const repo = path.join(dir, "repo");
    mkdirSync(repo);
    cpSync(path.join(ROOT, ".gitignore"), path.join(repo, ".gitignore"));
    cpSync(path.join(ROOT, "data/articles"), path.join(repo, "data/articles"), { recursive: true });
    cpSync(path.join(ROOT, "data/eval-questions.json"), path.join(repo, "data/eval-questions.json"));
    const git = (...args: string[]) =>
      execFileSync("git", ["-c", "user.name=t", "-c", "user.email=t@example.com", ...args], {
        cwd: repo,
        encoding: "utf8",
      });
    git("init", "-q");
    git("add", ".");
    git("commit", "-qm", "shipped");

    const env = { DATA_DIR: path.join(repo, "data") };
    expect((await runCli(["ingest", path.join(FIXTURES, "market-hall.md")], { env })).code).toBe(0);
    expect((await runCli(["ask", "--session", "s", "Who is Israel's defense minister?"], { env })).code).toBe(
      0,
    );
    expect(existsSync(path.join(repo, "data/db.json"))).toBe(true);
    expect(git("status", "--porcelain", "--untracked-files=all")).toBe("");
  });
});
