// Whether a channel's daily summary is due: a pure function of the time, the channel's schedule and
// today's post record, so a day, a restart, a daylight-saving change or a far time zone can be
// tested in milliseconds.
import type { SummaryPost } from "../store/store.ts";
import { localTime, parseTimeOfDay } from "./localTime.ts";

export interface SummaryTarget {
  guildId: string;
  channelId: string;
  /** HH:MM, local to timeZone. */
  time: string;
  /** IANA zone. */
  timeZone: string;
  /** Skip the post on a day when nothing is new. */
  skipQuietDays: boolean;
}

/**
 * - wait: today's time has not come yet;
 * - done: today's post is recorded;
 * - verify: today's post was claimed but never recorded (a crash between sending and recording):
 *   look for it in the channel before posting again;
 * - skip: a quiet day and the server skips those (checked again later, in case news arrives);
 * - post: today's time has passed and there is no post: post now (also the catch-up after downtime).
 */
export type SummaryAction = "wait" | "done" | "verify" | "skip" | "post";

export interface SummaryDay {
  /** The channel's local date now, YYYY-MM-DD. */
  localDate: string;
  /** `${guildId}:${channelId}:${localDate}` */
  key: string;
}

export function summaryKey(guildId: string, channelId: string, localDate: string): string {
  return `${guildId}:${channelId}:${localDate}`;
}

/** Today's date and post key in the channel's zone. */
export function summaryDay(now: Date, target: SummaryTarget): SummaryDay {
  const { date } = localTime(now, target.timeZone);
  return { localDate: date, key: summaryKey(target.guildId, target.channelId, date) };
}

/** `todays` is the post record under today's key (summaryDay(now, target).key), if any. */
export function summaryDue(
  now: Date,
  target: SummaryTarget,
  todays: SummaryPost | undefined,
  hasNews: boolean,
): SummaryAction {
  const local = localTime(now, target.timeZone);
  const time = parseTimeOfDay(target.time);
  if (time === undefined) throw new Error(`summary time "${target.time}" is not HH:MM`);
  // "Has passed" rather than "is now": a time skipped by a daylight-saving jump, or missed while the
  // bot was down, is still posted the same local day.
  if (local.minutes < time) return "wait";
  if (todays?.messageId) return "done";
  if (todays) return "verify";
  if (target.skipQuietDays && !hasNews) return "skip";
  return "post";
}
