// Removes the bot's slash commands from one guild or globally. Discord keeps guild and global
// registrations apart, so moving from DISCORD_GUILD_ID to global commands (or back) leaves the old
// copies behind, and every command shows twice in that guild until they are cleared.
import { REST, Routes } from "discord.js";
import type { Config } from "../config.ts";
import type { Store } from "../store/store.ts";
import { StoreLockedError } from "../store/storeLock.ts";
import { commandsHash, type DeployTarget, metaKey, putCommands } from "./deployCommands.ts";

/** Clears the commands in `guildId`, or the global ones; returns a line saying where. */
export async function clearCommands(
  config: Pick<Config, "DISCORD_TOKEN" | "DISCORD_API_URL">,
  guildId: string | undefined,
  store: Store,
): Promise<string> {
  if (!config.DISCORD_TOKEN) throw new Error("DISCORD_TOKEN is not set: it is needed to clear commands");
  const rest = new REST(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}).setToken(
    config.DISCORD_TOKEN,
  );
  const application = (await rest.get(Routes.currentApplication())) as { id: string };
  const target: DeployTarget = { rest, applicationId: application.id, ...(guildId ? { guildId } : {}) };
  // An empty bulk overwrite removes every command at that place.
  await putCommands(target, []);
  // Start-up registers only commands that changed since the last registration there: record that
  // there are none now, so going back to this place registers them again.
  const done = guildId
    ? `Cleared the slash commands in guild ${guildId}.`
    : "Cleared the global slash commands.";
  try {
    await store.setMeta(metaKey(target), commandsHash([]));
  } catch (error) {
    if (!(error instanceof StoreLockedError)) throw error;
    return `${done} A running storybot holds the database, so to use this place again run deploy-commands there.`;
  }
  return done;
}
