// With several processes, the slash commands are registered by the shard manager, not by each shard:
// once per start on this machine, and under a lock, so machines starting together register once.
import { REST, Routes } from "discord.js";
import type { Config } from "../config.ts";
import type { Command } from "../discord/command.ts";
import { deployIfChanged } from "../discord/deployCommands.ts";
import type { Logger } from "../log.ts";
import type { Coordination } from "../store/coordination.ts";
import type { Store } from "../store/store.ts";

export async function registerCommandsOnce(
  config: Config,
  commands: readonly Command[],
  store: Store,
  coordination: Coordination,
  log: Logger,
): Promise<void> {
  const token = config.DISCORD_TOKEN;
  if (!token) throw new Error("DISCORD_TOKEN is not set");
  const rest = new REST(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}).setToken(token);
  try {
    const application = (await rest.get(Routes.currentApplication())) as { id: string };
    await coordination.runAlone("commands", () =>
      deployIfChanged(
        {
          rest,
          applicationId: application.id,
          ...(config.DISCORD_GUILD_ID ? { guildId: config.DISCORD_GUILD_ID } : {}),
        },
        commands,
        store,
        log,
      ),
    );
  } catch (error) {
    // The commands registered before keep working; the next start tries again.
    log.error({ err: error }, "could not register the slash commands");
  }
}
