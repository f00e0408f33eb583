// The bot as it runs in production, in a process of its own (`storybot start`'s code path, with the
// bench model instead of a remote one), logged in to the loopback Discord run here. Two things are
// measured on it:
// - acknowledgement latency with the sender off the bot's event loop: the fake Discord stamps each
//   interaction when it sends it, so a stall in the bot before it reads the frame counts;
// - the bot's resident memory after it has answered `answers` questions over the corpus.
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { startFakeDiscord } from "../tests/fakes/fakeDiscord.ts";
import { sendAckPlan } from "./ackLatency.ts";
import type { BenchPlan } from "./benchPlan.ts";
import { botEnv } from "./childMeasures.ts";
import { percentile } from "./stats.ts";
import { syntheticStory, writeCorpus } from "./syntheticCorpus.ts";

const CHILD = fileURLToPath(new URL("./benchChild.ts", import.meta.url));
const READY_TIMEOUT_MS = 120_000;

export async function runningBotFigures(plan: BenchPlan, seed: number): Promise<Record<string, number>> {
  const { answers, articles, concurrency } = plan.bot;
  const story = syntheticStory(articles, seed);
  const dataDir = await mkdtemp(path.join(tmpdir(), "storybot-bench-bot-"));
  const discord = await startFakeDiscord();
  await mkdir(path.join(dataDir, "articles"));
  await writeCorpus(path.join(dataDir, "articles"), story.articles);
  // The bot's own Node flags, as `npm start` sets them (this process was started the same way).
  const child = spawn(process.execPath, [...process.execArgv, CHILD, "bot"], {
    cwd: dataDir,
    env: { ...botEnv(dataDir, discord), BENCH_MODEL: JSON.stringify(plan.ack.model) },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const nextLine = async (): Promise<Record<string, number | boolean>> => {
    const timeout = new Promise<never>((_, reject) =>
      setTimeout(
        () => reject(new Error(`the bot process did not answer: ${stderr.slice(-2000)}`)),
        READY_TIMEOUT_MS,
      ).unref(),
    );
    const line = await Promise.race([lines.next(), timeout]);
    if (line.done) throw new Error(`the bot process ended: ${stderr.slice(-2000)}`);
    return JSON.parse(line.value);
  };
  const figures: Record<string, number> = {};
  try {
    await nextLine();
    await discord.waitForIdentify(READY_TIMEOUT_MS);
    const { idleBursts: _idle, instantBursts: _instant, model: _model, ...pace } = plan.ack;
    const acks = await sendAckPlan(discord, { questions: story.questions, ...pace });
    const all = [...acks.steadyMs, ...acks.burstMs];
    figures["ackMs.offLoop.p50"] = percentile(all, 50);
    figures["ackMs.offLoop.p99"] = percentile(all, 99);
    figures["ackMs.offLoop.max"] = Math.max(...all);
    figures["ackMs.offLoop.p99.steady"] = percentile(acks.steadyMs, 99);
    figures["ackMs.offLoop.p99.burst"] = percentile(acks.burstMs, 99);
    // Then more questions, `concurrency` at a time, until `answers` have been answered in all.
    const left = Math.max(0, answers - all.length);
    await sendAckPlan(discord, {
      questions: story.questions,
      steady: 0,
      steadyGapMs: 0,
      bursts: Math.ceil(left / concurrency),
      burstSize: concurrency,
      burstGapMs: 0,
    });
    child.stdin.write("memory\n");
    const memory = await nextLine();
    figures[`botRssMb.answers${answers}.articles${articles}`] = memory.rssMb as number;
    figures[`botHeapUsedMb.answers${answers}.articles${articles}`] = memory.heapUsedMb as number;
    figures[`botRssMbAfterGc.answers${answers}.articles${articles}`] = memory.rssAfterGcMb as number;
    figures[`botHeapUsedMbAfterGc.answers${answers}.articles${articles}`] =
      memory.heapUsedAfterGcMb as number;
    figures[`botHeapTotalMb.answers${answers}.articles${articles}`] = memory.heapTotalMb as number;
    figures[`botExternalMb.answers${answers}.articles${articles}`] = memory.externalMb as number;
  } finally {
    child.stdin.end();
    const code = await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 30_000).unref())]);
    if (code === undefined) child.kill();
    await discord.close();
    await rm(dataDir, { recursive: true, force: true });
  }
  return figures;
}
