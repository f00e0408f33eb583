// How many shards Discord recommends for the bot. discord.js's own lookup always asks discord.com;
// this one goes through DISCORD_API_URL like every other request (a REST proxy, the loopback Discord).
import { REST, Routes } from "discord.js";

export async function recommendedShards(token: string, apiUrl: string | undefined): Promise<number> {
  const rest = new REST(apiUrl ? { api: apiUrl } : {}).setToken(token);
  const gateway = (await rest.get(Routes.gatewayBot())) as { shards?: unknown };
  const shards = Number(gateway.shards);
  if (!Number.isInteger(shards) || shards < 1) throw new Error("Discord recommended no shard count");
  return shards;
}
