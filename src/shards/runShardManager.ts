// `storybot start --shards auto|N`: discord.js's ShardingManager runs one bot process per gateway
// shard (this machine's share when SHARD_IDS splits them across machines). Every process shares the
// PostgreSQL store; this one only registers the slash commands once, starts the shards, restarts one
// that dies, and on SIGINT/SIGTERM asks every shard to stop gracefully and waits until all have.
import { once } from "node:events";
import path from "node:path";
import { type Shard, ShardingManager } from "discord.js";
import type { Config } from "../config.ts";
import type { Command } from "../discord/command.ts";
import { UserError } from "../errors.ts";
import type { Logger } from "../log.ts";
import { openStorage } from "../store/openStorage.ts";
import type { ShardPlan } from "./planShards.ts";
import { recommendedShards } from "./recommendedShards.ts";
import { registerCommandsOnce } from "./registerCommandsOnce.ts";
import { STOP_MESSAGE } from "./stopMessage.ts";

/** The script each shard process runs: the `storybot` command (it hands in the slash commands), as `storybot start`. */
const CLI = path.resolve(import.meta.dirname, "../../bin/storybot.ts");
/** Discord allows one IDENTIFY per 5 seconds (per concurrency bucket): shards start this far apart. */
const SPAWN_DELAY_MS = 5_500;
/** How long a shard has to log in and become ready. */
const READY_TIMEOUT_MS = 120_000;
/** How long a stopping shard may take (its own grace for answers in flight is 10 s) before it is killed. */
const DRAIN_TIMEOUT_MS = 30_000;

export async function runShardManager(
  config: Config,
  plan: ShardPlan,
  log: Logger,
  commands: readonly Command[],
): Promise<number> {
  const token = config.DISCORD_TOKEN;
  if (!token) throw new UserError("--shards needs DISCORD_TOKEN: shards are Discord gateway connections.");
  if (!config.DATABASE_URL) {
    throw new UserError(
      "--shards needs DATABASE_URL (PostgreSQL): the default lowdb database belongs to a single process.",
    );
  }
  const storage = await openStorage({
    dataDir: config.DATA_DIR,
    databaseUrl: config.DATABASE_URL,
    log,
    clock: () => new Date(),
  });
  try {
    const total = plan.total === "auto" ? await recommendedShards(token, config.DISCORD_API_URL) : plan.total;
    const ids = plan.ids === "all" ? [...Array(total).keys()] : plan.ids;
    await registerCommandsOnce(config, commands, storage.store, storage.coordination, log);

    const manager = new ShardingManager(CLI, {
      totalShards: total,
      shardList: ids,
      token,
      mode: "process",
      respawn: true,
      shardArgs: ["start"],
      execArgv: process.execArgv,
    });
    manager.on("shardCreate", (shard) => watch(shard, log));
    log.info({ shards: ids, of: total }, "starting shards");

    const stopRequested = nextStopSignal();
    const spawning = manager.spawn({ amount: total, delay: SPAWN_DELAY_MS, timeout: READY_TIMEOUT_MS });
    const first = await Promise.race([
      spawning.then(
        () => "ready" as const,
        (error: unknown) => error,
      ),
      stopRequested,
    ]);
    if (first === "ready") {
      log.info({ shards: ids.length }, "all shards ready");
      await stopRequested;
    } else if (!isSignal(first)) {
      log.error({ err: first }, "a shard could not start");
    }
    log.info("stopping every shard");
    manager.respawn = false;
    await drain(manager, log);
    // A shard still starting when the signal came is stopped once its start has settled.
    await spawning.catch(() => undefined);
    await drain(manager, log);
    return first === "ready" || isSignal(first) ? 0 : 1;
  } finally {
    await storage.close();
  }
}

function watch(shard: Shard, log: Logger): void {
  shard.on("ready", () => log.info({ shard: shard.id }, "shard ready"));
  shard.on("death", (child) => {
    const code = "exitCode" in child ? child.exitCode : undefined;
    log.warn({ shard: shard.id, code }, "shard process exited");
  });
  shard.on("error", (error) => log.error({ err: error, shard: shard.id }, "shard error"));
}

/** Asks every running shard to stop (as SIGTERM would) and waits for each process to exit. */
async function drain(manager: ShardingManager, log: Logger): Promise<void> {
  await Promise.all(
    [...manager.shards.values()].map(async (shard) => {
      const child = shard.process;
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      // A message, not a signal: a shard that already got Ctrl-C from the terminal must not take a
      // second signal as "exit without waiting".
      if (child.connected) child.send(STOP_MESSAGE);
      else child.kill("SIGTERM");
      const timer = setTimeout(() => {
        log.warn({ shard: shard.id }, "shard did not stop in time; killing it");
        child.kill("SIGKILL");
      }, DRAIN_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }),
  );
}

function nextStopSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      resolve(signal);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  });
}

function isSignal(value: unknown): value is NodeJS.Signals {
  return value === "SIGINT" || value === "SIGTERM";
}
