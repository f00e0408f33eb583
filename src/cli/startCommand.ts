// `storybot start` (`npm start`): serve Discord when a token is set, else the local chat.
import type { Core } from "../app.ts";
import { runBot } from "../discord/runBot.ts";
import { ingestDepsFor } from "../ingest/ingestSource.ts";
import { startFeedPolling } from "../ingest/pollFeeds.ts";
import { chatCommand } from "./chatCommand.ts";

export async function startCommand(core: Core): Promise<number> {
  if (!core.config.DISCORD_TOKEN) {
    process.stderr.write(
      "storybot: no DISCORD_TOKEN set, so this is the local chat. Set DISCORD_TOKEN to serve Discord and OPENAI_API_KEY (or OPENAI_BASE_URL) for LLM answers; see README.md.\n",
    );
    return chatCommand(core);
  }
  const feeds = startFeedPolling({
    ...ingestDepsFor(core),
    store: core.store,
    feedUrls: core.config.FEED_URLS,
    minutes: core.config.FEED_POLL_MINUTES,
  });
  try {
    await runBot(core);
  } finally {
    await feeds.stop();
  }
  return 0;
}
