// Acknowledgement latency with two bot processes sharing one PostgreSQL database: the real
// `storybot start --shards 2` (a discord.js ShardingManager and two shard processes) logged in to the
// loopback Discord in this process, answering from the shipped story with a loopback OpenAI-compatible
// model that streams its answers over time. /ask interactions go to a server on each shard in turn,
// at a steady pace and then in bursts; each is timed from its INTERACTION_CREATE frame being written
// to its deferral arriving (both stamped by the fake Discord, on this process's clock).
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { cp, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { PROJECT_ROOT } from "../src/projectRoot.ts";
import { startFakeDiscord } from "../tests/fakes/fakeDiscord.ts";
import { type FakeRequest, startFakeOpenAI } from "../tests/fakes/fakeOpenAI.ts";
import { ackOf, doneOf } from "./interactionOutcome.ts";

export interface ShardAckPlan {
  /**
   * Interactions answered in full before any is timed, spread over both shards: freshly started
   * processes compile their code on the first questions, which a running bot has long done.
   */
  warmup: number;
  steady: number;
  steadyGapMs: number;
  bursts: number;
  burstSize: number;
  burstGapMs: number;
  /** How the loopback model streams: `chunkChars` characters every `chunkDelayMs`. */
  chunkChars: number;
  chunkDelayMs: number;
}

export interface ShardAckResult {
  /** Milliseconds per interaction sent at a steady pace, and per interaction of a burst; half on each shard. */
  steadyMs: number[];
  burstMs: number[];
}

const SHARDS = 2;
/** Both shards start 5.5 s apart (Discord's IDENTIFY pace) and each loads the story: generous. */
const READY_MS = 180_000;
const ANSWER_MS = 120_000;
/** A shard drains its answers in flight for up to 10 s on SIGTERM; the manager waits for both. */
const STOP_MS = 45_000;

export async function measureShardAcks(databaseUrl: string, plan: ShardAckPlan): Promise<ShardAckResult> {
  const questions = await storyQuestions();
  const discord = await startFakeDiscord({ shards: SHARDS });
  const servers = [0, 1].map((shard) => discord.addGuild(`Bench shard ${shard}`, { shard: [shard, SHARDS] }));
  const model = await startFakeOpenAI({
    responder: (request) => ({
      kind: "text",
      text: answerFrom(request),
      chunkChars: plan.chunkChars,
      delayMs: plan.chunkDelayMs,
    }),
  });
  const dir = await mkdtemp(path.join(tmpdir(), "storybot-bench-shards-"));
  let manager: ChildProcess | undefined;
  let output = "";
  try {
    await cp(path.join(PROJECT_ROOT, "data", "articles"), path.join(dir, "articles"), { recursive: true });
    // The `storybot` command as installed (bin/), the entry every process of the bot goes through.
    manager = spawn(
      process.execPath,
      [...process.execArgv, path.join(PROJECT_ROOT, "bin/storybot.ts"), "start", "--shards", String(SHARDS)],
      {
        cwd: dir,
        env: {
          PATH: process.env.PATH ?? "",
          // No developer's .env: this run is configured here alone.
          STORYBOT_ENV_FILE: path.join(dir, "no.env"),
          DATA_DIR: dir,
          DATABASE_URL: databaseUrl,
          DISCORD_TOKEN: discord.token,
          DISCORD_API_URL: discord.apiUrl,
          OPENAI_API_KEY: "bench",
          OPENAI_BASE_URL: model.url,
          LOG_LEVEL: "warn",
        },
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    manager.stdout?.on("data", (chunk) => (output += chunk));
    manager.stderr?.on("data", (chunk) => (output += chunk));
    const exited = once(manager, "exit").then(([code]) => {
      throw new Error(
        `storybot start --shards exited (${code}) during the benchmark: ${output.slice(-2000)}`,
      );
    });
    exited.catch(() => {});
    await Promise.race([discord.waitForShards(SHARDS, READY_MS), exited]);

    const failures: string[] = [];
    let asked = 0;
    // Every interaction from another reader, so none meets the per-user rate limit; servers alternate.
    const ask = async () => {
      const shard = asked % SHARDS;
      const server = servers[shard] as (typeof servers)[number];
      const user = discord.addUser(`reader${asked}`, [], [server.guild]);
      const question = questions[asked++ % questions.length] as string;
      const interaction = await discord.sendSlashCommand(
        "ask",
        { question },
        { user, channel: server.general },
      );
      const sent = {
        acked: ackOf(discord, interaction, ANSWER_MS),
        done: doneOf(discord, interaction, failures, ANSWER_MS),
      };
      sent.acked.catch(() => {});
      sent.done.catch(() => {});
      return sent;
    };
    const warm = await Promise.all(Array.from({ length: plan.warmup }, ask));
    await Promise.race([Promise.all(warm.map((s) => s.done)), exited]);
    const steadyMs: number[] = [];
    const burstMs: number[] = [];
    const steady = [];
    for (let i = 0; i < plan.steady; i++) {
      if (i > 0) await sleep(plan.steadyGapMs);
      steady.push(await ask());
    }
    steadyMs.push(...(await Promise.race([Promise.all(steady.map((s) => s.acked)), exited])));
    await Promise.race([Promise.all(steady.map((s) => s.done)), exited]);
    for (let b = 0; b < plan.bursts; b++) {
      await sleep(plan.burstGapMs);
      const burst = await Promise.all(Array.from({ length: plan.burstSize }, ask));
      burstMs.push(...(await Promise.race([Promise.all(burst.map((s) => s.acked)), exited])));
      await Promise.race([Promise.all(burst.map((s) => s.done)), exited]);
    }
    const refused = discord.requests
      .filter((request) => request.status >= 400)
      .map((request) => `${request.method} ${request.path} answered ${request.status}`);
    const problems = [...discord.problems, ...refused, ...failures];
    if (problems.length > 0)
      throw new Error(`the two-process acknowledgement benchmark went wrong: ${problems.join("; ")}`);
    return { steadyMs, burstMs };
  } finally {
    if (manager) await stop(manager);
    await model.close();
    await discord.close();
    await rm(dir, { recursive: true, force: true });
  }
}

/** SIGTERM, as an operator stops it: the manager drains both shards; killed if that takes too long. */
async function stop(manager: ChildProcess): Promise<void> {
  if (manager.exitCode !== null || manager.signalCode !== null) return;
  const exited = once(manager, "exit");
  manager.kill("SIGTERM");
  const timer = setTimeout(() => manager.kill("SIGKILL"), STOP_MS);
  await exited.finally(() => clearTimeout(timer));
}

/** The development set's answerable questions about the shipped story. */
async function storyQuestions(): Promise<string[]> {
  const file = path.join(PROJECT_ROOT, "data", "eval-questions.json");
  const { questions } = JSON.parse(await readFile(file, "utf8")) as {
    questions: { kind: string; q: string }[];
  };
  return questions.filter((q) => q.kind === "answerable").map((q) => q.q);
}

/** Restates the first passage's first sentence with its marker, as a model answering from it does. */
function answerFrom(request: FakeRequest): string {
  const passage = /^\[1\] \(.*\)\n(.+)$/m.exec(request.text)?.[1] ?? "";
  const sentence = /^.*?[.!?](?=\s|$)/.exec(passage)?.[0] ?? passage;
  return sentence ? `${sentence.replace(/[.!?]$/, "")} [1].` : "The story doesn't say.";
}
