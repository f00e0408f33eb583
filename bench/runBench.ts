// `storybot bench [--json] [--quick]`: measures where the time of an answer goes, apart from the model,
// and prints one table (or with --json one object of named figures, each with its unit in its name).
// Benchmarks measure; nothing here fails on a slow figure.
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Logger } from "../src/log.ts";
import { createRetriever } from "../src/retrieval/createRetriever.ts";
import type { Retriever } from "../src/types.ts";
import { measureAcks } from "./ackLatency.ts";
import {
  benchContext,
  benchCore,
  type CoreParts,
  filledStore,
  readerConversation,
  TURNS_PER_CONVERSATION,
} from "./benchFixtures.ts";
import { benchModel } from "./benchModel.ts";
import { indexInChild, startupInChild } from "./childMeasures.ts";
import { formatBenchTable } from "./formatBenchTable.ts";
import { POSTGRES_FULL_PLAN, POSTGRES_QUICK_PLAN, postgresFigures } from "./postgresBench.ts";
import { type QuestionPlan, questionTimes, stageTimes, throughput } from "./questionOverhead.ts";
import { retrievalQuality, retrievalSpeed } from "./retrievalQuality.ts";
import { percentile, round } from "./stats.ts";
import { type SyntheticStory, syntheticStory } from "./syntheticCorpus.ts";

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

export interface BenchPlan {
  /** Synthetic corpus sizes for index build time and memory (one child process each). */
  indexSizes: number[];
  /** Searches timed in each index child. */
  indexSearches: number;
  overheadArticles: number[];
  overheadMessages: number[];
  overheadQuestions: number;
  overheadWarmup: number;
  /** Synthetic articles for the start-up figures besides the shipped story's; 0 for none. */
  startupArticles: number;
  /** Questions for the zero-latency throughput (10 in flight); the 1 s model gets `slowRounds` × 50 (50 in flight). */
  throughputQuestions: number;
  slowRounds: number;
  ack: {
    /** Interactions at a steady pace, `steadyGapMs` apart, and then bursts of `burstSize` together. */
    steady: number;
    steadyGapMs: number;
    bursts: number;
    burstSize: number;
    burstGapMs: number;
    /** Bursts that each come after longer than the REST client keeps idle connections. */
    idleBursts: number;
    /** Bursts answered by the instant model, whose answers are nothing but our CPU work. */
    instantBursts: number;
    /** The model behind the answers: first word after `latencyMs`, then a word every `wordIntervalMs`. */
    model: { latencyMs: number; wordIntervalMs: number };
  };
  speedSearches: number;
}

export const FULL_PLAN: BenchPlan = {
  indexSizes: [1, 100, 1_000, 10_000],
  indexSearches: 30,
  overheadArticles: [1, 100, 1_000],
  overheadMessages: [1_000, 10_000, 100_000],
  overheadQuestions: 300,
  overheadWarmup: 30,
  startupArticles: 1_000,
  throughputQuestions: 500,
  slowRounds: 4,
  // 10 questions a second, each answer streaming for about 1.5 s: about 30 requests a second, under the
  // 50 a second discord.js allows itself.
  ack: {
    steady: 150,
    steadyGapMs: 100,
    bursts: 6,
    burstSize: 10,
    burstGapMs: 1_000,
    idleBursts: 2,
    instantBursts: 5,
    model: { latencyMs: 300, wordIntervalMs: 20 },
  },
  speedSearches: 40,
};

export const QUICK_PLAN: BenchPlan = {
  indexSizes: [20],
  indexSearches: 3,
  overheadArticles: [1, 20],
  overheadMessages: [1_000],
  overheadQuestions: 10,
  overheadWarmup: 2,
  startupArticles: 0,
  throughputQuestions: 20,
  slowRounds: 2,
  ack: {
    steady: 5,
    steadyGapMs: 10,
    bursts: 1,
    burstSize: 5,
    burstGapMs: 50,
    idleBursts: 0,
    instantBursts: 1,
    model: { latencyMs: 20, wordIntervalMs: 1 },
  },
  speedSearches: 3,
};

const SEED = 20_260_301;
const SLOW_MODEL_MS = 1_000;
const SLOW_CONCURRENCY = 50;
/** Longer than the REST client's keep-alive (about 4 s), so the burst after it needs new connections. */
const IDLE_MS = 5_000;

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

  await questionFigures(plan, stories, quiet, step, put);
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
 * The per-question matrix (corpus size × stored messages) with the instant model; at the largest
 * case also the step breakdown, throughput and acknowledgement latency.
 */
async function questionFigures(
  plan: BenchPlan,
  stories: Map<number, SyntheticStory>,
  log: Logger,
  step: Step,
  put: Put,
): Promise<void> {
  const retrievers = new Map<number, Retriever>();
  for (const [size, { articles }] of stories) retrievers.set(size, await createRetriever({ articles, log }));
  const instant = benchModel({ latencyMs: 0 });
  const largest = { articles: Math.max(...retrievers.keys()), messages: Math.max(...plan.overheadMessages) };
  let first = true;
  for (const messages of plan.overheadMessages) {
    step(`database with ${messages} stored messages`);
    const filled = await filledStore(messages, log);
    put(`dbSaveMs.messages${messages}`, filled.saveMs);
    put(`dbSaveLoopBlockMs.messages${messages}`, filled.saveLoopBlockMs);
    put(`dbOpenMs.messages${messages}`, filled.openMs);
    put(`dbFileMb.messages${messages}`, filled.fileMb);
    const conversations = Math.ceil(messages / TURNS_PER_CONVERSATION);
    try {
      for (const [size, retriever] of retrievers) {
        step(`per-question work, ${size} articles, ${messages} messages`);
        const parts = { retriever, store: filled.store, log };
        const ctx = benchContext(benchCore({ ...parts, model: instant }));
        const questionPlan: QuestionPlan = {
          questions: storyOf(stories, size).questions,
          count: plan.overheadQuestions,
          // The first case also warms the code up for all the others.
          warmup: plan.overheadWarmup * (first ? 4 : 1),
          // Follow-ups in existing conversations: history is read, the question rewritten, turns added.
          conversation: (i) => readerConversation(i % conversations),
        };
        first = false;
        const { times, gcMsPerQuestion } = await questionTimes(ctx, questionPlan);
        const where = `articles${size}.messages${messages}`;
        put(`questionOverheadMs.p50.${where}`, percentile(times, 50));
        put(`questionOverheadMs.p99.${where}`, percentile(times, 99));
        if (size !== largest.articles || messages !== largest.messages) continue;

        put(`gcMsPerQuestion.${where}`, gcMsPerQuestion);
        step("where the per-question time goes");
        const stages = await stageTimes(ctx, questionPlan);
        for (const [stage, values] of Object.entries(stages))
          put(`stageMs.p50.${stage}.${where}`, percentile(values, 50));
        step("throughput");
        await throughputFigures(plan, parts, questionPlan, put);
        step("acknowledgement latency (real bot, loopback Discord)");
        await ackFigures(plan, parts, questionPlan.questions, put);
      }
    } finally {
      await filled.close();
    }
  }
}

async function throughputFigures(
  plan: BenchPlan,
  parts: Omit<CoreParts, "model" | "env">,
  questionPlan: QuestionPlan,
  put: Put,
): Promise<void> {
  // New conversations: one model call per question, so a 1 s model means 1 s per question.
  const fresh = (offset: number) => (i: number) => readerConversation(1_000_000 + offset + i);
  const instant = benchContext(benchCore({ ...parts, model: benchModel({ latencyMs: 0 }) }));
  put(
    "throughputQps.zeroLatency",
    await throughput(
      instant,
      { ...questionPlan, count: plan.throughputQuestions, conversation: fresh(0) },
      10,
      0,
    ),
  );
  const slow = benchContext(benchCore({ ...parts, model: benchModel({ latencyMs: SLOW_MODEL_MS }) }));
  put(
    `throughputQps.model1s.concurrency${SLOW_CONCURRENCY}`,
    await throughput(
      slow,
      { ...questionPlan, count: plan.slowRounds * SLOW_CONCURRENCY, conversation: fresh(100_000) },
      SLOW_CONCURRENCY,
      SLOW_MODEL_MS / SLOW_CONCURRENCY,
    ),
  );
}

async function ackFigures(
  plan: BenchPlan,
  parts: Omit<CoreParts, "model" | "env">,
  questions: readonly string[],
  put: Put,
): Promise<void> {
  const { idleBursts, instantBursts, model, ...pace } = plan.ack;
  const streaming = { ...parts, model: benchModel(model) };
  const main = await measureAcks(streaming, { questions, ...pace });
  // One interaction first, so that the idle gap is what the bursts come after.
  const idle =
    idleBursts > 0
      ? await measureAcks(streaming, {
          ...pace,
          questions,
          steady: 1,
          bursts: idleBursts,
          burstGapMs: IDLE_MS,
        })
      : undefined;
  const instant = await measureAcks(
    { ...parts, model: benchModel({ latencyMs: 0 }) },
    { ...pace, questions, steady: 1, bursts: instantBursts },
  );
  const idleMs = idle?.burstMs ?? [];
  const all = [...main.steadyMs, ...main.burstMs, ...idleMs];
  put("ackInteractions.count", all.length);
  put("ackMs.p50", percentile(all, 50));
  put("ackMs.p99", percentile(all, 99));
  put("ackMs.max", Math.max(...all));
  put("ackMs.p99.steady", percentile(main.steadyMs, 99));
  put("ackMs.p99.burst", percentile(main.burstMs, 99));
  if (idle) put("ackMs.p99.burstAfterIdle", percentile(idleMs, 99));
  put("ackMs.p99.burst.instantModel", percentile(instant.burstMs, 99));
  put(
    "ackRestRateLimitWaits.count",
    main.restRateLimited + (idle?.restRateLimited ?? 0) + instant.restRateLimited,
  );
}
