// Registers the slash commands it is given (the one list in commands/index.ts, handed in by the
// caller): in one guild (instant, for development) when DISCORD_GUILD_ID is set, else globally. Start-up registers only when the
// commands changed since the last registration (a hash kept in the store), since Discord limits
// how often commands may be registered.
import { createHash } from "node:crypto";
import { REST, type RESTPostAPIChatInputApplicationCommandsJSONBody, Routes } from "discord.js";
import type { Config } from "../config.ts";
import type { Logger } from "../log.ts";
import type { Store } from "../store/store.ts";
import type { Command } from "./command.ts";

export interface DeployTarget {
  rest: REST;
  applicationId: string;
  /** Register in this guild only; globally when absent. */
  guildId?: string;
}

export function commandsPayload(
  commands: readonly Command[],
): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return commands.map((command) => command.data.toJSON());
}

export function commandsHash(payload: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[]): string {
  return createHash("sha256").update(JSON.stringify(payload)).digest("hex");
}

/** Where the hash of the last registration at `target` is kept in the store. */
export function metaKey(target: DeployTarget): string {
  return `discord.commandsHash.${target.applicationId}.${target.guildId ?? "global"}`;
}

/** Replaces the application's commands with `payload` (a bulk overwrite: removed commands disappear). */
export async function putCommands(
  target: DeployTarget,
  payload: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[],
): Promise<void> {
  const route = target.guildId
    ? Routes.applicationGuildCommands(target.applicationId, target.guildId)
    : Routes.applicationCommands(target.applicationId);
  await target.rest.put(route, { body: payload });
}

/** Registers the commands when they differ from the last registration; true when it registered. */
export async function deployIfChanged(
  target: DeployTarget,
  commands: readonly Command[],
  store: Store,
  log: Logger,
): Promise<boolean> {
  const payload = commandsPayload(commands);
  const hash = commandsHash(payload);
  if ((await store.getMeta<string>(metaKey(target))) === hash) {
    log.debug("slash commands unchanged; not registering them again");
    return false;
  }
  await putCommands(target, payload);
  await store.setMeta(metaKey(target), hash);
  log.info({ commands: payload.length, guild: target.guildId ?? "global" }, "slash commands registered");
  return true;
}

/**
 * `storybot deploy-commands`: registers the commands now, whatever was registered before, and
 * returns a line saying where. Needs DISCORD_TOKEN.
 */
export async function deployCommands(
  config: Config,
  commands: readonly Command[],
  store?: Store,
): Promise<string> {
  if (!config.DISCORD_TOKEN) throw new Error("DISCORD_TOKEN is not set: it is needed to register commands");
  const rest = new REST(config.DISCORD_API_URL ? { api: config.DISCORD_API_URL } : {}).setToken(
    config.DISCORD_TOKEN,
  );
  const application = (await rest.get(Routes.currentApplication())) as { id: string };
  const target: DeployTarget = {
    rest,
    applicationId: application.id,
    ...(config.DISCORD_GUILD_ID ? { guildId: config.DISCORD_GUILD_ID } : {}),
  };
  const payload = commandsPayload(commands);
  await putCommands(target, payload);
  if (store) await store.setMeta(metaKey(target), commandsHash(payload));
  const names = payload.map((c) => `/${c.name}`).join(", ");
  return target.guildId
    ? `Registered ${names} in guild ${target.guildId} (available now).`
    : `Registered ${names} globally (Discord may take a few minutes to show changes).`;
}
