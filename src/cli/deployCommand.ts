// `storybot deploy-commands [--guild ID | --global] [--clear]`: registers the slash commands now
// (in DISCORD_GUILD_ID, else globally), or clears stale ones; then prints the invite link.
import type { Core } from "../app.ts";
import { clearCommands } from "../discord/clearCommands.ts";
import type { Command } from "../discord/command.ts";
import { deployCommands } from "../discord/deployCommands.ts";
import { applicationIdOfToken, inviteUrl } from "../discord/inviteUrl.ts";
import { UsageError } from "../errors.ts";

export interface DeployOptions {
  guild?: string;
  global?: boolean;
  clear?: boolean;
}

export async function deployCommand(
  core: Core,
  slashCommands: readonly Command[],
  options: DeployOptions = {},
): Promise<number> {
  if (!core.config.DISCORD_TOKEN)
    throw new UsageError("DISCORD_TOKEN is not set: it is needed to register commands.");
  const guildId = options.global ? undefined : (options.guild ?? core.config.DISCORD_GUILD_ID);
  if (options.clear) {
    process.stdout.write(`${await clearCommands(core.config, guildId, core.store)}\n`);
    return 0;
  }
  const config = { ...core.config, DISCORD_GUILD_ID: guildId };
  process.stdout.write(`${await deployCommands(config, slashCommands, core.store)}\n`);
  const id = applicationIdOfToken(core.config.DISCORD_TOKEN);
  if (id) process.stdout.write(`Invite the bot to a server: ${inviteUrl(id)}\n`);
  return 0;
}
