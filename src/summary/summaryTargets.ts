// Where and when each server's daily summary goes: its /settings, else the SUMMARY_* defaults.
import type { Logger } from "../log.ts";
import type { GuildSettings, Store } from "../store/store.ts";
import { isTimeZone, parseTimeOfDay } from "./localTime.ts";
import type { SummaryTarget } from "./summaryDue.ts";

export interface SummaryDefaults {
  /** SUMMARY_CHANNEL_ID: posts there unless its server chose another channel. */
  channelId?: string;
  /** SUMMARY_TIME, HH:MM */
  time: string;
  /** SUMMARY_TIMEZONE, IANA */
  timeZone: string;
}

/**
 * One target per server with a summary channel. The default channel belongs to one server (found by
 * `guildOf`); it is used unless that server set its own channel.
 */
export async function summaryTargets(
  store: Store,
  defaults: SummaryDefaults,
  guildOf: (channelId: string) => Promise<string | undefined>,
  log: Logger,
): Promise<SummaryTarget[]> {
  const all = await store.allGuildSettings();
  const targets: SummaryTarget[] = [];
  for (const settings of all) {
    if (settings.summaryChannelId)
      targets.push(targetFor(settings.guildId, settings.summaryChannelId, settings));
  }
  if (defaults.channelId && !targets.some((t) => t.channelId === defaults.channelId)) {
    const guildId = await guildOf(defaults.channelId);
    if (!guildId) {
      log.warn({ channelId: defaults.channelId }, "SUMMARY_CHANNEL_ID is not a channel the bot can see");
    } else {
      const settings = all.find((s) => s.guildId === guildId);
      if (!settings?.summaryChannelId && !settings?.summaryOff)
        targets.push(targetFor(guildId, defaults.channelId, settings));
    }
  }
  return targets;

  function targetFor(guildId: string, channelId: string, settings: GuildSettings | undefined): SummaryTarget {
    let time = settings?.summaryTime ?? defaults.time;
    let timeZone = settings?.summaryTimezone ?? defaults.timeZone;
    // /settings validates both; a bad stored value must still not stop the schedule.
    if (parseTimeOfDay(time) === undefined) {
      log.warn({ guildId, time }, "bad summary time in guild settings; using the default");
      time = defaults.time;
    }
    if (!isTimeZone(timeZone)) {
      log.warn({ guildId, timeZone }, "bad summary time zone in guild settings; using the default");
      timeZone = defaults.timeZone;
    }
    return { guildId, channelId, time, timeZone, skipQuietDays: settings?.skipQuietDays ?? false };
  }
}
