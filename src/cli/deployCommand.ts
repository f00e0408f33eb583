// `storybot deploy-commands`: registers the slash commands now (in DISCORD_GUILD_ID, else globally).
import type { Core } from "../app.ts";
import { deployCommands } from "../discord/deployCommands.ts";
import { UserError } from "../errors.ts";

export async function deployCommand(core: Core): Promise<number> {
  if (!core.config.DISCORD_TOKEN)
    throw new UserError("DISCORD_TOKEN is not set: it is needed to register commands.");
  process.stdout.write(`${await deployCommands(core.config, core.store)}\n`);
  return 0;
}
