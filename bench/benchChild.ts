// Measurements that need a process of their own, so that memory and start-up time are the process's
// alone: run as `node benchChild.ts index COUNT SEED`, `node benchChild.ts cell PLAN CELL` (JSON), or
// `node benchChild.ts startup` (configured by the environment, as `storybot start` is). Prints one JSON
// object on stdout. `node benchChild.ts bot` runs the bot as `storybot start` does but with the bench
// model (BENCH_MODEL, JSON options) and stays up: it prints a line when ready, and its memory for each
// "memory" line on stdin, until stdin ends.
import { performance } from "node:perf_hooks";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { megabytes } from "./stats.ts";

// Untimed searches before the timed ones in an index child, the first of them reported apart.
const WARMUP_SEARCHES = 5;

async function measureIndex(count: number, seed: number, searches: number): Promise<Record<string, number>> {
  const { createRetriever } = await import("../src/retrieval/createRetriever.ts");
  const { silentLogger } = await import("../src/log.ts");
  const { syntheticStory } = await import("./syntheticCorpus.ts");
  const { percentile } = await import("./stats.ts");
  const story = syntheticStory(count, seed);
  const started = performance.now();
  const retriever = await createRetriever({ articles: story.articles, log: silentLogger() });
  const indexBuildMs = performance.now() - started;
  // The first searches of a process run code not yet compiled (the very first one took over 100 ms
  // at 50,000 articles, later ones a few): it is reported apart, and the timed searches come after
  // the same untimed ones as the retrieval settings' figures, so that the percentiles are of a warm
  // process. Some structures are filled by the first searches; memory is measured with the index in use.
  const firstStart = performance.now();
  await retriever.search(story.questions[0] as string, 6);
  const firstSearchMs = performance.now() - firstStart;
  for (let i = 1; i < WARMUP_SEARCHES; i++) {
    await retriever.search(story.questions[i % story.questions.length] as string, 6);
  }
  const times: number[] = [];
  for (let i = 0; i < searches; i++) {
    const question = story.questions[i % story.questions.length] as string;
    const start = performance.now();
    await retriever.search(question, 6);
    times.push(performance.now() - start);
  }
  globalThis.gc?.();
  const memory = process.memoryUsage();
  return {
    indexBuildMs,
    firstSearchMs,
    retrieveMsP50: percentile(times, 50),
    retrieveMsP99: percentile(times, 99),
    rssMb: megabytes(memory.rss),
    heapUsedMb: megabytes(memory.heapUsed),
    passages: retriever.passages().length,
  };
}

async function measureStartup(): Promise<Record<string, number>> {
  // performance.now() counts from the start of the process: node's own start-up and module loading
  // are part of the figure, as they are for `storybot start`.
  const { loadConfig } = await import("../src/config.ts");
  const { createLogger } = await import("../src/log.ts");
  const { createCore } = await import("../src/app.ts");
  const { createBot } = await import("../src/discord/createBot.ts");
  const { commands } = await import("../commands/index.ts");
  const loadedAt = performance.now();
  const config = loadConfig();
  const core = await createCore(config, createLogger(config.LOG_LEVEL));
  const coreAt = performance.now();
  const bot = createBot(core, commands);
  await bot.start();
  const readyAt = performance.now();
  globalThis.gc?.();
  const memory = process.memoryUsage();
  await bot.stop();
  await core.close();
  return {
    modulesLoadedMs: loadedAt,
    coreMs: coreAt - loadedAt,
    readyMs: readyAt,
    rssMb: megabytes(memory.rss),
    heapUsedMb: megabytes(memory.heapUsed),
  };
}

async function measureCellHere(planJson: string, cellJson: string): Promise<Record<string, number>> {
  const { measureCell } = await import("./questionCell.ts");
  const { silentLogger } = await import("../src/log.ts");
  return measureCell(JSON.parse(planJson), JSON.parse(cellJson), silentLogger());
}

async function runBot(): Promise<void> {
  const { loadConfig } = await import("../src/config.ts");
  const { createLogger } = await import("../src/log.ts");
  const { createCore } = await import("../src/app.ts");
  const { createBot } = await import("../src/discord/createBot.ts");
  const { commands } = await import("../commands/index.ts");
  const { benchModel } = await import("./benchModel.ts");
  const { createInterface } = await import("node:readline");
  const config = loadConfig();
  const core = await createCore(config, createLogger(config.LOG_LEVEL));
  const bot = createBot(
    { ...core, model: benchModel(JSON.parse(process.env.BENCH_MODEL ?? "{}")) },
    commands,
  );
  await bot.start();
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  for await (const line of createInterface({ input: process.stdin })) {
    if (line.trim() !== "memory") continue;
    // As it is, without a collection forced: what the machine gives the running bot. Then after a
    // full collection, which tells garbage not yet collected from memory the bot holds on to.
    const memory = process.memoryUsage();
    collectGarbage();
    const collected = process.memoryUsage();
    process.stdout.write(
      `${JSON.stringify({
        rssMb: megabytes(memory.rss),
        heapUsedMb: megabytes(memory.heapUsed),
        rssAfterGcMb: megabytes(collected.rss),
        heapUsedAfterGcMb: megabytes(collected.heapUsed),
        // Where the resident size goes besides live objects: the heap V8 has grown and keeps (used
        // or not), and memory outside it (buffers such as WordNet's dictionary).
        heapTotalMb: megabytes(memory.heapTotal),
        externalMb: megabytes(memory.external),
      })}\n`,
    );
  }
  await bot.stop();
  await core.close();
}

/** A full collection without starting node with --expose-gc (which the bot is not started with). */
function collectGarbage(): void {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
}

const [mode, count = "0", seed = "1", searches = "0"] = process.argv.slice(2);
if (mode === "bot") {
  await runBot();
} else {
  let result: Record<string, number>;
  if (mode === "index") result = await measureIndex(Number(count), Number(seed), Number(searches));
  else if (mode === "cell") result = await measureCellHere(count, seed);
  else if (mode === "startup") result = await measureStartup();
  else throw new Error(`unknown benchmark child mode: ${mode}`);
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
