// `storybot start` with a token: serve Discord until SIGINT or SIGTERM, then stop gracefully.
// A second signal during the graceful stop exits at once.
import type { BotCore } from "./command.ts";
import { type Bot, type BotOptions, createBot } from "./createBot.ts";

/**
 * Runs the bot, with its daily summaries, until a termination signal; resolves once it has stopped
 * (the caller then closes the core). `onStarted` sees the bot once it is logged in (the health file).
 */
export async function runBot(
  core: BotCore,
  options: BotOptions = {},
  onStarted?: (bot: Bot) => void,
): Promise<void> {
  const bot = createBot(core, { dailySummaries: true, ...options });
  try {
    await bot.start();
  } catch (error) {
    await bot.stop().catch(() => undefined);
    throw error;
  }
  onStarted?.(bot);
  const signal = await new Promise<NodeJS.Signals>((resolve) => {
    const onSignal = (received: NodeJS.Signals) => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      resolve(received);
    };
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
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
  }
}
