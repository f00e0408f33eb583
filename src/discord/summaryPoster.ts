// The daily summary on Discord: discord.js adapted to the core's SummaryPoster, and how summaries
// and timelines look in a message (sanitised like answers, every post within one message).
import { type Client, DiscordAPIError, MessageFlags, RESTJSONErrorCodes, ShardClientUtil } from "discord.js";
import type { SummaryResult } from "../summary/buildSummary.ts";
import type { Timeline } from "../summary/buildTimeline.ts";
import { type SummaryPoster, type SummarySchedule, scheduleSummaries } from "../summary/scheduleSummaries.ts";
import type { Citation } from "../types.ts";
import { type BotCore, NO_MENTIONS } from "./command.ts";
import { articleUrls, sourcesBlock } from "./formatAnswer.ts";
import { safeLiteral, safeText } from "./sanitize.ts";
import { MESSAGE_LIMIT, splitMessage } from "./splitMessage.ts";

/** What an admin reads in /settings when a post fails, by Discord error code. */
const PROBLEMS: ReadonlyMap<unknown, string> = new Map([
  [RESTJSONErrorCodes.UnknownChannel, "the channel no longer exists"],
  [RESTJSONErrorCodes.MissingAccess, "the bot cannot see the channel"],
  [RESTJSONErrorCodes.MissingPermissions, "the bot lacks permission to post there"],
]);

function readable(error: unknown): Error {
  if (error instanceof DiscordAPIError) {
    return new Error(PROBLEMS.get(error.code) ?? `Discord refused (${error.code}): ${error.message}`, {
      cause: error,
    });
  }
  return error instanceof Error ? error : new Error(String(error));
}

export function createSummaryPoster(client: Client): SummaryPoster {
  async function textChannel(channelId: string) {
    const channel = await client.channels.fetch(channelId).catch((error: unknown) => {
      throw readable(error);
    });
    if (!channel?.isTextBased() || !channel.isSendable()) {
      throw new Error("the channel is not a text channel the bot can post in");
    }
    return channel;
  }

  return {
    async send(channelId, content) {
      const channel = await textChannel(channelId);
      try {
        const message = await channel.send({
          content,
          allowedMentions: NO_MENTIONS,
          flags: MessageFlags.SuppressEmbeds,
        });
        return message.id;
      } catch (error) {
        throw readable(error);
      }
    },

    async recentMessages(channelId, limit) {
      const channel = await textChannel(channelId);
      const messages = await channel.messages.fetch({ limit }).catch((error: unknown) => {
        throw readable(error);
      });
      return [...messages.values()].map((m) => ({
        id: m.id,
        content: m.content,
        authorIsMe: m.author.id === client.user?.id,
        createdAt: m.createdAt,
      }));
    },

    async guildOf(channelId) {
      try {
        const channel = await client.channels.fetch(channelId);
        return channel && "guildId" in channel && channel.guildId ? channel.guildId : undefined;
      } catch {
        return undefined;
      }
    },
  };
}

/** Starts the daily posts for a logged-in client; stop() before the client is destroyed. */
export function startSummarySchedule(client: Client, core: BotCore): SummarySchedule {
  const { config } = core;
  return scheduleSummaries(core, {
    poster: createSummaryPoster(client),
    defaults: {
      ...(config.SUMMARY_CHANNEL_ID ? { channelId: config.SUMMARY_CHANNEL_ID } : {}),
      time: config.SUMMARY_TIME,
      timeZone: config.SUMMARY_TIMEZONE,
    },
    render: (summary, heading) => renderSummary(summary, heading, articleUrls(core.retriever)),
    // Each shard posts for its own servers, so two shards never race over one server's post.
    servesGuild: (guildId) => {
      const shard = client.shard;
      return !shard || shard.ids.includes(ShardClientUtil.shardIdForGuildId(guildId, shard.count));
    },
  });
}

/**
 * The summary as ONE message (a daily post is one message id): heading, summary, notice, sources.
 * Quotes are shortened until it fits, and left out only as a last resort.
 */
export function renderSummary(
  summary: SummaryResult,
  heading: string,
  allowedUrls: ReadonlySet<string>,
): string {
  const head = [heading, safeText(summary.summary, allowedUrls)];
  if (summary.notice) head.push(`-# ${safeLiteral(summary.notice)}`);
  let content = "";
  for (const quoteChars of [120, 80, 50, 30, 0]) {
    content = [...head, ...sourcesBlock(summary.citations, quoteChars)].join("\n");
    if (content.length <= MESSAGE_LIMIT) return content;
  }
  return splitMessage(content)[0] ?? heading;
}

/**
 * The timeline as messages: one line per event with its marker, a small note where a date was
 * resolved, and the sources numbered once for the whole timeline.
 */
export function renderTimeline(timeline: Timeline, allowedUrls: ReadonlySet<string>): string[] {
  if (timeline.events.length === 0) return ["The story's articles give no dates."];
  const numbers = new Map<string, Citation>();
  const lines = ["🗓️ **Timeline of the story**"];
  for (const event of timeline.events) {
    // Each event cites its own passage as [1]; across the timeline, passages are numbered once.
    let text = safeText(event.text, allowedUrls);
    for (const c of event.citations) {
      let n = numbers.get(c.passageId)?.n;
      if (n === undefined) {
        n = numbers.size + 1;
        numbers.set(c.passageId, { ...c, n });
      }
      text = text.replace(`[${c.n}]`, `[#${n}]`);
    }
    lines.push(`**${safeLiteral(event.date)}** ${text.replace(/\[#(\d+)\]/g, "[$1]")}`);
    if (event.resolved) lines.push(`-# ${safeLiteral(event.resolved)}`);
  }
  lines.push("", ...sourcesBlock([...numbers.values()], 80));
  return splitMessage(lines.join("\n"));
}
