// `storybot bench [--json] [--quick]`: measures where the time of an answer goes, apart from the model,
// and prints one table (or with --json one object of named figures, each with its unit in its name).
// Benchmarks measure; nothing here fails on a slow figure.
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "../src/log.ts";
import { type BenchPlan, FULL_PLAN, QUICK_PLAN } from "./benchPlan.ts";
import { cellInChild, indexInChild, startupInChild } from "./childMeasures.ts";
import { formatBenchTable } from "./formatBenchTable.ts";
import { POSTGRES_FULL_PLAN, POSTGRES_QUICK_PLAN, postgresFigures } from "./postgresBench.ts";
import type { CellSpec } from "./questionCell.ts";
import { retrievalQuality, retrievalSpeed } from "./retrievalQuality.ts";
import { runningBotFigures } from "./runningBot.ts";
import { round } from "./stats.ts";
import { createRandom, type SyntheticStory, syntheticStory } from "./syntheticCorpus.ts";

export { type BenchPlan, FULL_PLAN, QUICK_PLAN } from "./benchPlan.ts";
export { formatBenchTable } from "./formatBenchTable.ts";

export interface BenchOptions {
  json: boolean;
  /** Tiny sizes, a few seconds in all: a smoke test of the benchmark itself, not a measurement. */
  quick?: boolean;
  log: Logger;
  /** Holds articles/ and eval-questions.json for the quality figures; the repository's data/ by default. */
  dataDir?: string;
  /** Where the table or JSON goes; stdout by default. */
  out?: NodeJS.WritableStream;
  /** A PostgreSQL server (administrative URL) for the PostgreSQL cells; skipped without one. */
  postgresUrl?: string | undefined;
}

const SEED = 20_260_301;
type Put = (name: string, value: number) => void;
type Step = (what: string) => void;

export async function runBench(opts: BenchOptions): Promise<Record<string, number>> {
  const plan = opts.quick ? QUICK_PLAN : FULL_PLAN;
  const log = opts.log;
  // The bot's own logging stays at warn during the runs, so progress lines are not buried.
  const quiet = log.levelVal < 40 ? log.child({}, { level: "warn" }) : log;
  const dataDir = opts.dataDir ?? fileURLToPath(new URL("../data/", import.meta.url));
  const started = performance.now();
  const figures: Record<string, number> = {};
  const put: Put = (name, value) => {
    figures[name] = round(value);
  };
  const putAll = (measured: Record<string, number>) => {
    for (const [name, value] of Object.entries(measured)) put(name, value);
  };
  const step: Step = (what) => log.info(`bench: ${what}`);

  step("retrieval quality on the development set");
  putAll(await retrievalQuality(dataDir, quiet));
  const stories = new Map(plan.overheadArticles.map((n) => [n, syntheticStory(n, SEED)]));
  const largest = storyOf(stories, Math.max(...plan.overheadArticles));
  step(`search time per retrieval setting (${largest.articles.length} articles)`);
  putAll(await retrievalSpeed(largest.articles, largest.questions, plan.speedSearches, quiet));

  for (const size of plan.indexSizes) {
    step(`index build and memory, ${size} articles (own process)`);
    const index = await indexInChild(size, SEED, plan.indexSearches);
    put(`indexBuildMs.articles${size}`, index.indexBuildMs ?? Number.NaN);
    put(`rssMb.articles${size}`, index.rssMb ?? Number.NaN);
    put(`heapUsedMb.articles${size}`, index.heapUsedMb ?? Number.NaN);
    put(`retrieveMs.p50.articles${size}`, index.retrieveMsP50 ?? Number.NaN);
    put(`retrieveMs.p99.articles${size}`, index.retrieveMsP99 ?? Number.NaN);
    put(`retrieveMs.first.articles${size}`, index.firstSearchMs ?? Number.NaN);
  }

  step("start-up to ready (own process, loopback Discord)");
  const story = await startupInChild(path.join(dataDir, "articles"));
  put("startupToReadyMs.story", story.readyMs ?? Number.NaN);
  if (plan.startupArticles > 0) {
    const n = plan.startupArticles;
    const synthetic = await startupInChild(storyOf(stories, n).articles);
    put(`startupToReadyMs.articles${n}`, synthetic.readyMs ?? Number.NaN);
    put(`startupModuleLoadMs.articles${n}`, synthetic.modulesLoadedMs ?? Number.NaN);
    put(`startupCoreMs.articles${n}`, synthetic.coreMs ?? Number.NaN);
    put(`startupRssMb.articles${n}`, synthetic.rssMb ?? Number.NaN);
  }

  await questionFigures(plan, step, put);
  step(`the running bot in its own process: acknowledgements, memory after ${plan.bot.answers} answers`);
  putAll(await runningBotFigures(plan, SEED));
  const postgresPlan = opts.quick ? POSTGRES_QUICK_PLAN : POSTGRES_FULL_PLAN;
  putAll(await postgresFigures({ url: opts.postgresUrl, plan: postgresPlan, log: quiet, step }));

  put("benchSeconds.total", (performance.now() - started) / 1000);
  const out = opts.out ?? process.stdout;
  out.write(opts.json ? `${JSON.stringify(figures)}\n` : `${formatBenchTable(figures)}\n`);
  return figures;
}

function storyOf(stories: Map<number, SyntheticStory>, articles: number): SyntheticStory {
  return stories.get(articles) ?? syntheticStory(articles, SEED);
}

/**
 * The per-question matrix (corpus size × stored messages) with the instant model, each cell in a fresh
 * process and the cells in a shuffled order, so that no cell is measured warmer than another; the
 * headline cell (the largest) also measures the step breakdown, throughput and acknowledgements.
 */
async function questionFigures(plan: BenchPlan, step: Step, put: Put): Promise<void> {
  const largest = {
    articles: Math.max(...plan.overheadArticles),
    messages: Math.max(...plan.overheadMessages),
  };
  const cells = plan.overheadMessages.flatMap((messages) =>
    plan.overheadArticles.map((articles) => ({
      articles,
      messages,
      seed: SEED,
      details: articles === largest.articles && messages === largest.messages,
    })),
  );
  const random = createRandom(Date.now());
  for (let i = cells.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [cells[i], cells[j]] = [cells[j] as CellSpec, cells[i] as CellSpec];
  }
  for (const cell of cells) {
    step(`per-question work, ${cell.articles} articles, ${cell.messages} messages (own process)`);
    for (const [name, value] of Object.entries(await cellInChild(plan, cell))) put(name, value);
  }
}
