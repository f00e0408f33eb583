// Measurements that need a process of their own, so that memory and start-up time are the process's
// alone: run as `node benchChild.ts index COUNT SEED` or `node benchChild.ts startup` (configured by
// the environment, as `storybot start` is). Prints one JSON object on stdout.
import { performance } from "node:perf_hooks";
import { megabytes } from "./stats.ts";

async function measureIndex(count: number, seed: number, searches: number): Promise<Record<string, number>> {
  const { createRetriever } = await import("../src/retrieval/createRetriever.ts");
  const { silentLogger } = await import("../src/log.ts");
  const { syntheticStory } = await import("./syntheticCorpus.ts");
  const { percentile } = await import("./stats.ts");
  const story = syntheticStory(count, seed);
  const started = performance.now();
  const retriever = await createRetriever({ articles: story.articles, log: silentLogger() });
  const indexBuildMs = performance.now() - started;
  // Some structures are filled by the first searches; memory is measured with the index in use.
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
    retrieveMsP50: percentile(times, 50),
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

const [mode, count = "0", seed = "1", searches = "0"] = process.argv.slice(2);
if (mode !== "index" && mode !== "startup") throw new Error(`unknown benchmark child mode: ${mode}`);
const result =
  mode === "index"
    ? await measureIndex(Number(count), Number(seed), Number(searches))
    : await measureStartup();
process.stdout.write(`${JSON.stringify(result)}\n`);
