// The Discord bot's health file: "ready" while its gateway connection is up, "connecting" while
// discord.js reconnects, "stopped" once it has shut down.
import type { Bot } from "../discord/createBot.ts";
import { type HealthWriter, healthFile, startHealthFile } from "./healthFile.ts";

export function startBotHealth(dataDir: string, bot: Bot): HealthWriter {
  return startHealthFile(healthFile(dataDir), () => {
    const client = bot.client;
    return client.isReady()
      ? { state: "ready", user: client.user.tag, guilds: client.guilds.cache.size }
      : { state: "connecting" };
  });
}
