// /settings — per-server settings for admins: question channels, the daily summary's channel, time,
// time zone and quiet days. Discord hides the command from members without Manage Server, and the
// router checks the permission again because server admins can override who sees a command.
import {
  ChannelType,
  type ChatInputCommandInteraction,
  InteractionContextType,
  PermissionFlagsBits,
  SlashCommandBuilder,
} from "discord.js";
import { type BotContext, defineCommand, NO_MENTIONS } from "../src/discord/command.ts";
import type { CommandOptions } from "../src/discord/commandOptions.ts";
import { safeLiteral } from "../src/discord/sanitize.ts";
import type { GuildSettings, GuildSettingsPatch } from "../src/store/store.ts";

const TEXT_CHANNELS = [ChannelType.GuildText, ChannelType.GuildAnnouncement] as const;
const TIME_OF_DAY = /^([01]\d|2[0-3]):[0-5]\d$/;

/** The `channel` option of the channel subcommands: a text or announcement channel. */
const channelOption = <R extends boolean>(required: R) =>
  ({ type: "channel", description: "The channel", required, channelTypes: TEXT_CHANNELS }) as const;

const OPTIONS = {
  subcommands: {
    show: { description: "Show this server's settings" },
    "add-question-channel": {
      description: "Answer every message posted in a channel",
      options: { channel: channelOption(true) },
    },
    "remove-question-channel": {
      description: "Stop answering every message in a channel",
      options: { channel: channelOption(true) },
    },
    "summary-channel": {
      description: "Where the daily summary is posted (leave empty to stop posting it)",
      options: { channel: channelOption(false) },
    },
    "summary-time": {
      description: "When the daily summary is posted, in the server's time zone",
      options: {
        time: {
          type: "string",
          description: "24-hour time, HH:MM (e.g. 09:00)",
          required: true,
          maxLength: 5,
        },
      },
    },
    timezone: {
      description: "The time zone of the summary time",
      options: {
        zone: {
          type: "string",
          description: "An IANA time zone, e.g. Europe/Berlin or America/New_York",
          required: true,
          maxLength: 64,
        },
      },
    },
    "skip-quiet-days": {
      description: "Skip the daily summary on days with nothing new",
      options: { skip: { type: "boolean", description: "Skip quiet days?", required: true } },
    },
  },
} as const;

export default defineCommand({
  data: new SlashCommandBuilder()
    .setName("settings")
    .setDescription("Server settings for the bot (Manage Server permission)")
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setContexts(InteractionContextType.Guild),
  options: OPTIONS,
  preconditions: {
    guildOnly: "Settings belong to a server: use this command in one.",
    manageGuild: "change these settings",
  },
  defer: "ephemeral",

  async execute(interaction, ctx, options) {
    // guildOnly (above) lets no other interaction through; this tells the type checker so.
    if (!interaction.inGuild()) throw new Error("/settings reached its handler outside a server");
    const content = await applySetting(interaction, ctx, interaction.guildId, options);
    await interaction.editReply({ content, allowedMentions: NO_MENTIONS });
  },
});

/** Applies the subcommand and returns the line to show. */
async function applySetting(
  interaction: ChatInputCommandInteraction,
  ctx: BotContext,
  guildId: string,
  options: CommandOptions<typeof OPTIONS>,
): Promise<string> {
  const { store } = ctx.core;
  const current = (await store.guildSettings(guildId)) ?? { guildId };
  const update = (patch: GuildSettingsPatch) => store.updateGuildSettings(guildId, patch);

  switch (options.subcommand) {
    case "add-question-channel": {
      const { channel } = options;
      const ids = new Set(current.askChannelIds ?? []).add(channel.id);
      await update({ askChannelIds: [...ids] });
      return `Every message in <#${channel.id}> is now answered as a question.`;
    }
    case "remove-question-channel": {
      const { channel } = options;
      const ids = (current.askChannelIds ?? []).filter((id) => id !== channel.id);
      await update({ askChannelIds: ids });
      const fromConfig = ctx.core.config.ASK_CHANNEL_IDS.includes(channel.id)
        ? " It stays a question channel in the bot's own configuration (ASK_CHANNEL_IDS)."
        : "";
      return `<#${channel.id}> is no longer a question channel.${fromConfig}`;
    }
    case "summary-channel": {
      const { channel } = options;
      // A new channel gets a fresh start: the old problem was about the old channel.
      await update({
        summaryChannelId: channel?.id,
        summaryOff: channel ? undefined : true,
        summaryProblem: undefined,
      });
      return channel
        ? `The daily summary will be posted in <#${channel.id}>.`
        : "The daily summary will no longer be posted in this server.";
    }
    case "summary-time": {
      const time = options.time.trim();
      if (!TIME_OF_DAY.test(time))
        return "That time is not valid: use 24-hour HH:MM, for example 09:00 or 18:30.";
      await update({ summaryTime: time });
      return `The daily summary will be posted at ${time} (${current.summaryTimezone ?? ctx.core.config.SUMMARY_TIMEZONE}).`;
    }
    case "timezone": {
      const zone = options.zone.trim();
      const canonical = canonicalTimeZone(zone);
      if (!canonical) {
        return `"${safeLiteral(zone)}" is not a time zone I know: use an IANA name such as Europe/Berlin, America/New_York or UTC.`;
      }
      await update({ summaryTimezone: canonical });
      return `The summary time zone is now ${canonical}.`;
    }
    case "skip-quiet-days": {
      const { skip } = options;
      await update({ skipQuietDays: skip });
      return skip
        ? "The daily summary will be skipped on days with nothing new."
        : "The daily summary will be posted every day, even when nothing is new.";
    }
    case "show":
      return describeSettings(current, ctx, (id) => interaction.guild?.channels.cache.has(id) ?? false);
  }
}

/** The IANA name as the runtime spells it, or undefined when the zone is unknown. */
function canonicalTimeZone(zone: string): string | undefined {
  try {
    return new Intl.DateTimeFormat("en", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** The settings as a short message; configuration defaults count only for this server's channels. */
function describeSettings(
  settings: GuildSettings,
  ctx: BotContext,
  inGuild: (channelId: string) => boolean,
): string {
  const { config } = ctx.core;
  const channels = (ids: readonly string[]) => ids.map((id) => `<#${id}>`).join(", ");
  const ask = settings.askChannelIds ?? [];
  const configured = config.ASK_CHANNEL_IDS.filter(inGuild);
  const defaultSummary =
    config.SUMMARY_CHANNEL_ID && inGuild(config.SUMMARY_CHANNEL_ID) ? config.SUMMARY_CHANNEL_ID : undefined;
  const summaryChannel = settings.summaryChannelId ?? defaultSummary;
  const lines = [
    "**Settings for this server**",
    `Question channels: ${ask.length > 0 ? channels(ask) : "none"}${
      configured.length > 0 ? ` (plus, from the bot's configuration: ${channels(configured)})` : ""
    }`,
    `Daily summary channel: ${summaryChannel ? `<#${summaryChannel}>` : "none (not posted)"}`,
    `Summary time: ${settings.summaryTime ?? config.SUMMARY_TIME} (${settings.summaryTimezone ?? config.SUMMARY_TIMEZONE})`,
    `Skip quiet days: ${settings.skipQuietDays ? "yes" : "no"}`,
  ];
  if (settings.summaryProblem) lines.push(`⚠️ Last summary problem: ${safeLiteral(settings.summaryProblem)}`);
  return lines.join("\n");
}
