// Follows the story's feeds: each poll fetches every feed in FEED_URLS and ingests the items it has
// not seen. What was seen, and what failed and is waiting for another try, is kept in the store, so
// a restart neither re-ingests old items nor forgets failed ones.
import { Cron } from "croner";
import { UserError, userMessage } from "../errors.ts";
import type { Coordination } from "../store/coordination.ts";
import type { Store } from "../store/store.ts";
import { fetchSafely } from "./fetchSafely.ts";
import { type IngestDeps, ingestUrl } from "./ingestSource.ts";
import { type FeedItem, parseFeed } from "./parseFeed.ts";

export interface FeedDeps extends IngestDeps {
  store: Store;
  feedUrls: string[];
}

/** What one poll did with one feed. */
export interface FeedPollReport {
  feed: string;
  /** Ids of the articles added. */
  added: string[];
  duplicates: number;
  /** Links that failed this time and will be tried again. */
  retrying: string[];
  /** Links that failed MAX_ATTEMPTS times and are no longer tried. */
  abandoned: string[];
  /** Why the feed itself could not be read. */
  error?: string;
}

interface PendingItem {
  link: string;
  published?: string;
  attempts: number;
  lastError: string;
}

/** Per-feed state in the store's meta area. */
export interface FeedState {
  /** Keys of items handled (added, duplicate or abandoned), oldest first. */
  seen: string[];
  /** Items that failed and will be tried again, by key. */
  pending: Record<string, PendingItem>;
  /** Items given up on, by key, kept so an operator can see what was missed and why. */
  abandoned: Record<string, PendingItem>;
}

export const MAX_ATTEMPTS = 5;
/** Items ingested per feed per poll; the rest wait for the next poll, so one huge feed cannot stall the others. */
export const MAX_ITEMS_PER_POLL = 50;
// Enough to cover any feed's window many times over; older keys fall off (a re-listed old item is
// then still caught by the duplicate check).
const MAX_SEEN = 2000;
const ABANDONED_KEPT = 200;

export function feedStateKey(feedUrl: string): string {
  return `feed:${feedUrl}`;
}

/** One pass over every feed, one after another. */
export async function pollFeeds(deps: FeedDeps): Promise<FeedPollReport[]> {
  const reports: FeedPollReport[] = [];
  for (const feed of deps.feedUrls) reports.push(await pollFeed(deps, feed));
  return reports;
}

export async function pollFeed(deps: FeedDeps, feed: string): Promise<FeedPollReport> {
  const report: FeedPollReport = { feed, added: [], duplicates: 0, retrying: [], abandoned: [] };
  const state = await loadState(deps.store, feed);
  const save = () => deps.store.setMeta(feedStateKey(feed), state);

  let items: FeedItem[] = [];
  try {
    items = await readFeed(deps, feed);
  } catch (error) {
    report.error = userMessage(error);
    deps.log.warn({ feed, reason: report.error }, "feed could not be read");
    // Items that failed before are still retried: they do not depend on the feed answering now.
  }

  const seen = new Set(state.seen);
  const fresh = items.filter((item) => !seen.has(item.key) && !state.pending[item.key]);
  const retries = Object.entries(state.pending).map(([key, item]) => ({ key, ...item }));
  const work = [
    ...retries.map(({ key, link, published }) => ({ key, link, ...(published ? { published } : {}) })),
    ...fresh,
  ].slice(0, MAX_ITEMS_PER_POLL);

  for (const item of work) {
    try {
      const result = await ingestUrl(deps, item.link, item.published ? { published: item.published } : {});
      if ("added" in result) report.added.push(result.added.id);
      else report.duplicates++;
      delete state.pending[item.key];
      markSeen(state, item.key);
    } catch (error) {
      const reason = userMessage(error);
      if (!(error instanceof UserError)) deps.log.error({ err: error, feed }, "feed item failed");
      const attempts = (state.pending[item.key]?.attempts ?? 0) + 1;
      const pending: PendingItem = {
        link: item.link,
        attempts,
        lastError: reason,
        ...(item.published ? { published: item.published } : {}),
      };
      delete state.pending[item.key];
      if (attempts >= MAX_ATTEMPTS) {
        state.abandoned[item.key] = pending;
        trimAbandoned(state);
        markSeen(state, item.key);
        report.abandoned.push(item.link);
        deps.log.error(
          { feed, link: item.link, attempts, reason },
          "feed item abandoned after repeated failures",
        );
      } else {
        state.pending[item.key] = pending;
        report.retrying.push(item.link);
        deps.log.warn(
          { feed, link: item.link, attempts, reason },
          "feed item failed; will retry on the next poll",
        );
      }
    }
    // Saved after every item, so a crash mid-poll loses at most the item in hand.
    await save();
  }
  if (report.added.length > 0) deps.log.info({ feed, added: report.added.length }, "feed articles added");
  return report;
}

async function readFeed(deps: FeedDeps, feed: string): Promise<FeedItem[]> {
  const fetched = await fetchSafely(feed, deps.fetch ?? {});
  const charset = fetched.charset ?? xmlDeclaredEncoding(fetched.body) ?? "utf-8";
  let xml: string;
  try {
    xml = new TextDecoder(charset, { fatal: true }).decode(fetched.body);
  } catch {
    throw new UserError(`${feed} is not a feed: its text is not valid ${charset}.`);
  }
  return parseFeed(xml, feed);
}

function xmlDeclaredEncoding(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 200)).toString("latin1");
  return /^\s*<\?xml[^>]*encoding=["']([\w-]+)["']/i.exec(head)?.[1]?.toLowerCase();
}

async function loadState(store: Store, feed: string): Promise<FeedState> {
  const stored = await store.getMeta<FeedState>(feedStateKey(feed));
  return { seen: stored?.seen ?? [], pending: stored?.pending ?? {}, abandoned: stored?.abandoned ?? {} };
}

function markSeen(state: FeedState, key: string): void {
  state.seen.push(key);
  if (state.seen.length > MAX_SEEN) state.seen.splice(0, state.seen.length - MAX_SEEN);
}

function trimAbandoned(state: FeedState): void {
  const keys = Object.keys(state.abandoned);
  for (const key of keys.slice(0, Math.max(0, keys.length - ABANDONED_KEPT))) delete state.abandoned[key];
}

export interface FeedPoller {
  /** Polls now (waiting for a poll already running instead of starting a second one). */
  pollNow(): Promise<FeedPollReport[]>;
  /** Stops the schedule and waits for a poll in progress, so the store can be closed after it. */
  stop(): Promise<void>;
}

/** When the feeds were last polled by any process sharing the store (ISO time). */
const LAST_POLL_KEY = "feeds:lastPollAt";
/** A poll this much short of the interval still counts as due: schedules drift by seconds. */
const DUE_SLACK_MS = 30_000;

export interface FeedPollingOptions {
  minutes: number;
  /**
   * Set when other processes share the store (PostgreSQL): one of them polls at a time, and a poll
   * is skipped when another process polled less than `minutes` ago, so the feeds are read once per
   * interval however many processes run.
   */
  shared?: Coordination;
}

/** Polls at start and then every `minutes`; does nothing when no feed is configured. */
export function startFeedPolling(deps: FeedDeps & FeedPollingOptions): FeedPoller {
  let running: Promise<FeedPollReport[]> | undefined;
  const poll = deps.shared ? () => pollIfDue(deps, deps.shared as Coordination) : () => pollFeeds(deps);
  const pollNow = () => {
    running ??= poll()
      .catch((error: unknown) => {
        deps.log.error({ err: error }, "feed poll failed");
        return [];
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };
  if (deps.feedUrls.length === 0) return { pollNow: async () => [], stop: async () => {} };

  // A poll now, then one every `minutes` (checked each minute, never sooner than the interval).
  const startAt = new Date(deps.clock().getTime() + deps.minutes * 60_000);
  const job = new Cron("* * * * *", { interval: deps.minutes * 60, protect: true, startAt }, async () => {
    await pollNow();
  });
  void pollNow();
  deps.log.info({ feeds: deps.feedUrls.length, minutes: deps.minutes }, "feed polling started");
  return {
    pollNow,
    stop: async () => {
      job.stop();
      await running;
    },
  };
}

function pollIfDue(deps: FeedDeps & { minutes: number }, shared: Coordination): Promise<FeedPollReport[]> {
  return shared
    .runIfFree("feeds", async () => {
      const now = deps.clock();
      const last = await deps.store.getMeta<string>(LAST_POLL_KEY);
      if (last && now.getTime() - Date.parse(last) < deps.minutes * 60_000 - DUE_SLACK_MS) return [];
      await deps.store.setMeta(LAST_POLL_KEY, now.toISOString());
      return pollFeeds(deps);
    })
    .then((reports) => reports ?? []);
}
