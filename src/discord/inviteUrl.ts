// The OAuth2 link that adds the bot to a server, with what it needs and nothing more: the `bot` and
// `applications.commands` scopes, and permission to read and answer in channels and its threads.
import { OAuth2Scopes, PermissionFlagsBits } from "discord.js";

export const BOT_PERMISSIONS =
  PermissionFlagsBits.ViewChannel |
  PermissionFlagsBits.SendMessages |
  PermissionFlagsBits.SendMessagesInThreads |
  PermissionFlagsBits.CreatePublicThreads |
  PermissionFlagsBits.ReadMessageHistory;

export function inviteUrl(applicationId: string): string {
  const query = new URLSearchParams({
    client_id: applicationId,
    scope: [OAuth2Scopes.Bot, OAuth2Scopes.ApplicationsCommands].join(" "),
    permissions: BOT_PERMISSIONS.toString(),
  });
  return `https://discord.com/oauth2/authorize?${query}`;
}

/**
 * The application id a bot token belongs to, without asking Discord: a token's first part is the
 * bot user's id in base64, and a bot user's id is its application's id.
 */
export function applicationIdOfToken(token: string): string | undefined {
  const first = token.split(".")[0] ?? "";
  const id = Buffer.from(first, "base64").toString("utf8");
  return /^\d{17,20}$/.test(id) ? id : undefined;
}
