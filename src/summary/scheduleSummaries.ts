// The daily summary schedule. croner only wakes the checker once a minute; whether a post is due
// is decided from the injected clock (summaryDue.ts), so a restart, a missed time or a crash between
// sending and recording all end in exactly one post per channel and local day.
import { Cron } from "croner";
import type { CoreDeps } from "../coreDeps.ts";
import { buildSummary, type SummaryResult } from "./buildSummary.ts";
import { formatSummaryText, isSummaryPostFor, summaryHeading } from "./formatText.ts";
import { findNewArticles } from "./newArticles.ts";
import { type SummaryAction, type SummaryTarget, summaryDay, summaryDue } from "./summaryDue.ts";
import { type SummaryDefaults, summaryTargets } from "./summaryTargets.ts";

export interface RecentMessage {
  id: string;
  content: string;
  authorIsMe: boolean;
  createdAt: Date;
}

/** What the schedule needs of a chat platform; src/discord/summaryPoster.ts adapts discord.js to it. */
export interface SummaryPoster {
  /** Posts the message and returns its id; throws (with a reason people can read) when it cannot. */
  send(channelId: string, content: string): Promise<string>;
  /** The channel's latest messages, newest first. */
  recentMessages(channelId: string, limit: number): Promise<RecentMessage[]>;
  /** The server a channel belongs to; undefined when the bot cannot see the channel. */
  guildOf(channelId: string): Promise<string | undefined>;
}

export interface ScheduleOptions {
  poster: SummaryPoster;
  defaults: SummaryDefaults;
  /** The post's content; must keep the heading (it marks the post). Default: plain text. */
  render?: (summary: SummaryResult, heading: string) => string;
  /** After a failed post, wait this long before trying that post again. Default 30 minutes. */
  retryAfterMs?: number;
  /** Whether this process posts for that server (a gateway shard posts for its own); default all. */
  servesGuild?: (guildId: string) => boolean;
}

export type CheckOutcome = SummaryAction | "posted" | "recovered" | "failed" | "backing off";

export interface TargetReport {
  guildId: string;
  channelId: string;
  localDate: string;
  outcome: CheckOutcome;
}

export interface SummaryChecker {
  /** Checks every server once; concurrent calls share the check in progress. */
  check(): Promise<TargetReport[]>;
}

/** How far back a crash-interrupted post is looked for. */
const RECENT_LIMIT = 50;
const DEFAULT_RETRY_AFTER_MS = 30 * 60_000;

export function createSummaryChecker(deps: CoreDeps, options: ScheduleOptions): SummaryChecker {
  const { store, log, clock } = deps;
  const { poster } = options;
  const render = options.render ?? ((summary, heading) => `${heading}\n${formatSummaryText(summary)}`);
  const retryAfterMs = options.retryAfterMs ?? DEFAULT_RETRY_AFTER_MS;
  /** Post key → time (ms) before which a failed post is not tried again. */
  const retryAt = new Map<string, number>();
  /** Quiet days already logged as skipped, so the log says it once. */
  const skipLogged = new Set<string>();
  /** The default channel's server never changes: look it up once. */
  const guilds = new Map<string, string>();
  let running: Promise<TargetReport[]> | undefined;

  async function guildOf(channelId: string): Promise<string | undefined> {
    const known = guilds.get(channelId);
    if (known) return known;
    const guildId = await poster.guildOf(channelId).catch((error: unknown) => {
      log.warn({ err: error, channelId }, "could not look up the summary channel");
      return undefined;
    });
    if (guildId) guilds.set(channelId, guildId);
    return guildId;
  }

  async function checkAll(): Promise<TargetReport[]> {
    const all = await summaryTargets(store, options.defaults, guildOf, log);
    const targets = options.servesGuild ? all.filter((t) => options.servesGuild?.(t.guildId)) : all;
    const reports: TargetReport[] = [];
    // One server's failure (even an unexpected one) must not stop the others.
    for (const target of targets) {
      const { localDate } = summaryDay(clock(), target);
      try {
        reports.push({ ...ids(target), localDate, outcome: await checkTarget(target) });
      } catch (error) {
        log.error({ err: error, ...ids(target) }, "daily summary check failed");
        reports.push({ ...ids(target), localDate, outcome: "failed" });
      }
    }
    return reports;
  }

  async function checkTarget(target: SummaryTarget): Promise<CheckOutcome> {
    const now = clock();
    const { key, localDate } = summaryDay(now, target);
    if ((retryAt.get(key) ?? 0) > now.getTime()) return "backing off";

    const todays = await store.summaryPost(key);
    const last = await store.lastSummaryPost(target.guildId, target.channelId);
    const since = last?.postedAt ? new Date(last.postedAt) : undefined;
    const hasNews = findNewArticles(deps.retriever.articles(), since).length > 0;
    const action = summaryDue(now, target, todays, hasNews);

    if (action === "skip" && !skipLogged.has(key)) {
      skipLogged.add(key);
      log.info({ ...ids(target), localDate }, "nothing new today: daily summary skipped (skipQuietDays)");
    }
    if (action === "verify") {
      const found = await findPosted(target, localDate);
      if (found) {
        await store.recordSummaryPost(key, found.id, found.createdAt.toISOString());
        await store.flush();
        log.info(
          { ...ids(target), localDate, messageId: found.id },
          "found the daily summary sent before a restart",
        );
        return "recovered";
      }
      return send(target, key, localDate, since);
    }
    if (action === "post") {
      const claimed = await store.claimSummaryPost({
        key,
        guildId: target.guildId,
        channelId: target.channelId,
        localDate,
        claimedAt: now.toISOString(),
      });
      // Someone else holds the claim: the next check verifies it.
      if (!claimed) return "verify";
      // On disk before sending: after a crash, the claim is what sends the next run looking first.
      await store.flush();
      return send(target, key, localDate, since);
    }
    return action;
  }

  /** Today's post in the channel, if an earlier run sent it but did not record it. */
  async function findPosted(target: SummaryTarget, localDate: string) {
    try {
      const messages = await poster.recentMessages(target.channelId, RECENT_LIMIT);
      return messages.find((m) => m.authorIsMe && isSummaryPostFor(m.content, localDate));
    } catch (error) {
      // Unreadable history: posting risks a duplicate, not posting would skip the day silently.
      log.warn(
        { err: error, ...ids(target) },
        "could not read the channel to look for an unrecorded summary",
      );
      return undefined;
    }
  }

  async function send(target: SummaryTarget, key: string, localDate: string, since: Date | undefined) {
    const summary = await buildSummary(deps, since ? { since } : {});
    let messageId: string;
    try {
      messageId = await poster.send(target.channelId, render(summary, summaryHeading(localDate)));
    } catch (error) {
      // The claim stays: the retry looks in the channel first, in case the send went through.
      retryAt.set(key, clock().getTime() + retryAfterMs);
      const reason = error instanceof Error ? error.message : String(error);
      log.warn({ err: error, ...ids(target), localDate }, "could not post the daily summary");
      await store.updateGuildSettings(target.guildId, {
        summaryProblem: `Could not post the ${localDate} summary to channel ${target.channelId}: ${reason}`,
      });
      return "failed" as const;
    }
    await store.recordSummaryPost(key, messageId, clock().toISOString());
    await store.flush();
    retryAt.delete(key);
    const settings = await store.guildSettings(target.guildId);
    if (settings?.summaryProblem)
      await store.updateGuildSettings(target.guildId, { summaryProblem: undefined });
    log.info({ ...ids(target), localDate, messageId, mode: summary.mode }, "daily summary posted");
    return "posted" as const;
  }

  return {
    check() {
      running ??= checkAll().finally(() => {
        running = undefined;
      });
      return running;
    },
  };
}

function ids(target: SummaryTarget) {
  return { guildId: target.guildId, channelId: target.channelId };
}

export interface SummarySchedule extends SummaryChecker {
  /** No more checks; resolves once a check in progress has finished (call before the client goes). */
  stop(): Promise<void>;
}

/** Checks at once (catch-up after downtime), then at the start of every minute until stopped. */
export function scheduleSummaries(deps: CoreDeps, options: ScheduleOptions): SummarySchedule {
  const checker = createSummaryChecker(deps, options);
  let latest: Promise<unknown> = Promise.resolve();
  const run = () => {
    latest = checker.check().catch((error: unknown) => {
      deps.log.error({ err: error }, "daily summary schedule check failed");
    });
    return latest;
  };
  const cron = new Cron("* * * * *", { protect: true }, async () => {
    await run();
  });
  void run();
  return {
    check: checker.check,
    async stop() {
      cron.stop();
      await latest;
    },
  };
}
