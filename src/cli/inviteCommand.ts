// `storybot invite [--client-id ID]`: the link that adds the bot to a server.
import type { Config } from "../config.ts";
import { applicationIdOfToken, inviteUrl } from "../discord/inviteUrl.ts";
import { UsageError } from "../errors.ts";

export async function inviteCommand(config: Config, options: { clientId?: string }): Promise<number> {
  const id = options.clientId ?? (config.DISCORD_TOKEN && applicationIdOfToken(config.DISCORD_TOKEN));
  if (!id)
    throw new UsageError(
      config.DISCORD_TOKEN
        ? "DISCORD_TOKEN does not look like a bot token; pass the application id with --client-id."
        : "Set DISCORD_TOKEN, or pass the application id with --client-id.",
    );
  process.stdout.write(`${inviteUrl(id)}\n`);
  return 0;
}
