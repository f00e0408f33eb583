// Runs benchChild.ts in a fresh node process and reads its figures: index build time and memory per
// corpus size, and start-up to ready (createCore, then the bot logged in to the tests' fake Discord).
import { spawn } from "node:child_process";
import { cp, mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Article } from "../src/types.ts";
import { startFakeDiscord } from "../tests/fakes/fakeDiscord.ts";
import type { BenchPlan } from "./benchPlan.ts";
import type { CellSpec } from "./questionCell.ts";
import { writeCorpus } from "./syntheticCorpus.ts";

const CHILD = fileURLToPath(new URL("./benchChild.ts", import.meta.url));
const CHILD_TIMEOUT_MS = 600_000;

async function runChild(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<Record<string, number>> {
  // The child runs with this process's own Node flags, which `npm run bench` sets as `npm start` does
  // for the bot (a small young generation, a heap grown by a fifth). --expose-gc: memory is read after
  // a collection. The larger heap limit only keeps the 10,000-article run from being cut short; it
  // does not change what is measured.
  const flags = [...process.execArgv, "--expose-gc", "--max-old-space-size=8192"];
  const child = spawn(process.execPath, [...flags, CHILD, ...args], {
    cwd,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const timer = setTimeout(() => child.kill(), CHILD_TIMEOUT_MS);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", resolve);
  }).finally(() => clearTimeout(timer));
  if (code !== 0) {
    throw new Error(`benchmark child (${args.join(" ")}) exited with ${code}: ${stderr.trim().slice(-2000)}`);
  }
  return JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as Record<string, number>;
}

/** Index build time, memory and median search time for a synthetic corpus of `count` articles. */
export function indexInChild(count: number, seed: number, searches: number): Promise<Record<string, number>> {
  return runChild(
    ["index", String(count), String(seed), String(searches)],
    { PATH: process.env.PATH },
    tmpdir(),
  );
}

/** One cell of the per-question matrix (see questionCell.ts), in a fresh process. */
export function cellInChild(plan: BenchPlan, cell: CellSpec): Promise<Record<string, number>> {
  return runChild(["cell", JSON.stringify(plan), JSON.stringify(cell)], { PATH: process.env.PATH }, tmpdir());
}

/**
 * `storybot start` as an operator runs it, from process start to the bot ready, with a data directory
 * holding `articles` (or a copy of the directory `articlesDir`) and a fresh database.
 */
export async function startupInChild(articles: readonly Article[] | string): Promise<Record<string, number>> {
  const dataDir = await mkdtemp(path.join(tmpdir(), "storybot-bench-start-"));
  const discord = await startFakeDiscord();
  try {
    const articlesDir = path.join(dataDir, "articles");
    if (typeof articles === "string") {
      await cp(articles, articlesDir, { recursive: true });
    } else {
      await mkdir(articlesDir);
      await writeCorpus(articlesDir, articles);
    }
    return await runChild(["startup"], botEnv(dataDir, discord), dataDir);
  } finally {
    await discord.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The C allocator's settings bin/storybot.ts starts the bot with (its first line), as the service runs. */
export const ALLOCATOR_ENV: Readonly<Record<string, string>> = {
  MALLOC_ARENA_MAX: "2",
  MALLOC_MMAP_THRESHOLD_: "131072",
  MALLOC_TRIM_THRESHOLD_: "131072",
};

/**
 * The environment of a bot process the bench starts: its data folder, the loopback Discord, no model
 * (set empty so that no .env can configure a remote model or embeddings for the run), and the C
 * allocator's settings the bin script gives the service.
 */
export function botEnv(
  dataDir: string,
  discord: { token: string; apiUrl: string },
): Record<string, string | undefined> {
  return {
    ...ALLOCATOR_ENV,
    PATH: process.env.PATH,
    DATA_DIR: dataDir,
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discord.apiUrl,
    OPENAI_API_KEY: "",
    LOG_LEVEL: "warn",
  };
}
