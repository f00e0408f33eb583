// `storybot start` (`npm start`): serve Discord when a token is set, else the local chat.
import type { Core } from "../app.ts";
import type { Command } from "../discord/command.ts";
import { runBot } from "../discord/runBot.ts";
import { startBotHealth } from "../health/botHealth.ts";
import type { HealthWriter } from "../health/healthFile.ts";
import { ingestDepsFor } from "../ingest/ingestSource.ts";
import { startFeedPolling } from "../ingest/pollFeeds.ts";
import { describeModel } from "../llm/describeModel.ts";
import { chatCommand } from "./chatCommand.ts";

export async function startCommand(core: Core, slashCommands: readonly Command[]): Promise<number> {
  if (!core.config.DISCORD_TOKEN) {
    process.stderr.write(
      `storybot: no DISCORD_TOKEN set, so this is the local chat with ${describeModel(core.config)}. Set DISCORD_TOKEN to serve Discord; see README.md.\n`,
    );
    return chatCommand(core);
  }
  const feeds = startFeedPolling({
    ...ingestDepsFor(core),
    store: core.store,
    feedUrls: core.config.FEED_URLS,
    minutes: core.config.FEED_POLL_MINUTES,
    // Other processes may share a PostgreSQL store: one of them polls per interval.
    ...(core.config.DATABASE_URL ? { shared: core.coordination } : {}),
  });
  core.log.info(`answering with ${describeModel(core.config)}`);
  let health: HealthWriter | undefined;
  try {
    await runBot(core, slashCommands, {}, (bot) => {
      health = startBotHealth(core.config.DATA_DIR, bot);
    });
  } finally {
    await health?.stop();
    await feeds.stop();
  }
  return 0;
}
