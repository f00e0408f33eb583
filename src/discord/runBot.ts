// `storybot start` with a token: serve Discord until SIGINT or SIGTERM, then stop gracefully.
// A second signal during the graceful stop exits at once. A shard process (started by the shard
// manager, see shards/) also stops when the manager asks over IPC, or when the manager is gone.
import { isStopMessage } from "../shards/stopMessage.ts";
import type { BotCore, Command } from "./command.ts";
import { type Bot, type BotOptions, createBot } from "./createBot.ts";

/**
 * Runs the bot, with its daily summaries, until a termination signal; resolves once it has stopped
 * (the caller then closes the core). `onStarted` sees the bot once it is logged in (the health file).
 */
export async function runBot(
  core: BotCore,
  commands: readonly Command[],
  options: BotOptions = {},
  onStarted?: (bot: Bot) => void,
): Promise<void> {
  const bot = createBot(core, commands, { dailySummaries: true, ...options });
  try {
    await bot.start();
  } catch (error) {
    await bot.stop().catch(() => undefined);
    throw error;
  }
  onStarted?.(bot);
  const managed = bot.client.shard !== null && process.send !== undefined;
  const signal = await new Promise<string>((resolve) => {
    const done = (reason: string) => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      process.off("message", onMessage);
      process.off("disconnect", onDisconnect);
      resolve(reason);
    };
    const onSignal = (received: NodeJS.Signals) => done(received);
    const onMessage = (message: unknown) => {
      if (isStopMessage(message)) done("stop requested by the shard manager");
    };
    const onDisconnect = () => done("the shard manager is gone");
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    if (managed) {
      process.on("message", onMessage);
      process.on("disconnect", onDisconnect);
    }
  });
  core.log.info({ signal }, "stopping");
  const force = () => {
    core.log.warn("second signal: exiting without waiting");
    process.exit(1);
  };
  process.once("SIGINT", force);
  process.once("SIGTERM", force);
  try {
    await bot.stop();
  } finally {
    process.off("SIGINT", force);
    process.off("SIGTERM", force);
    // The IPC channel would keep a shard process alive after its work is done.
    if (managed && process.connected) process.disconnect();
  }
}
