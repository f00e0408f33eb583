// Shared by the summary, timeline and schedule tests: a small story, a clock the test moves, a real
// store in a temporary directory, and a chat platform that keeps its messages in memory.
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { CoreDeps } from "../src/coreDeps.ts";
import { silentLogger } from "../src/log.ts";
import { createRetriever } from "../src/retrieval/createRetriever.ts";
import { openStore } from "../src/store/lowdbStore.ts";
import type { RecentMessage, SummaryPoster } from "../src/summary/scheduleSummaries.ts";
import type { Article } from "../src/types.ts";

export const TALKS: Article = {
  id: "talks",
  title: "Netanyahu tells US envoy Iran cannot be trusted",
  url: "https://example.com/talks",
  ingestedAt: "2026-02-01T00:00:00.000Z",
  paragraphs: [
    "Israeli Prime Minister Benjamin Netanyahu told U.S. Special Envoy Steve Witkoff on Tuesday that Iran cannot be trusted, ahead of negotiations between Iran and the United States.",
    "The meeting between Netanyahu and Witkoff lasted over three hours and was attended by Defense Minister Israel Katz.",
    "Netanyahu presented Witkoff with Israel's demands for the negotiations with Iran, including an end to uranium enrichment.",
    "The negotiations between Iran and the United States are set to take place in Oman on Friday.",
    "The newsroom is a team of journalists based in Jerusalem and Tel Aviv.",
  ],
};

export const DRONE: Article = {
  id: "drone",
  title: "US shoots down Iranian drone near carrier",
  url: "https://example.com/drone",
  ingestedAt: "2026-02-04T10:00:00.000Z",
  paragraphs: [
    "A U.S. fighter jet shot down an Iranian drone that approached the aircraft carrier USS Abraham Lincoln in the Arabian Sea.",
    "Central Command said the drone approached the carrier with unclear intent before it was shot down.",
  ],
};

export interface Clock {
  (): Date;
  set(iso: string): void;
}

export function testClock(iso: string): Clock {
  let now = new Date(iso);
  const clock = (() => now) as Clock;
  clock.set = (next: string) => {
    now = new Date(next);
  };
  return clock;
}

export interface TestCore {
  deps: CoreDeps;
  dir: string;
  clock: Clock;
  /** Closes the store and opens it again from disk, as a restarted bot would. */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function testCore(articles: Article[], clockAt = "2026-02-04T00:00:00Z"): Promise<TestCore> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "storybot-summary-"));
  const clock = testClock(clockAt);
  const log = silentLogger();
  const open = () => openStore({ dataDir: dir, log, clock });
  const retriever = await createRetriever({ articles, log });
  const deps: CoreDeps = {
    retriever,
    llm: { timeoutMs: 2_000, maxRetries: 0 },
    store: await open(),
    clock,
    log,
  };
  let closed = false;
  return {
    deps,
    dir,
    clock,
    async restart() {
      await deps.store.close();
      deps.store = await open();
    },
    async close() {
      if (closed) return;
      closed = true;
      await deps.store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

interface FakeChannel {
  guildId: string;
  messages: RecentMessage[];
  /** Why sending (and reading) fails, when the bot cannot use the channel. */
  broken?: string;
}

/** A chat platform in memory: channels with their messages, any of which can be made unusable. */
export class FakePoster implements SummaryPoster {
  readonly channels = new Map<string, FakeChannel>();
  sendCalls = 0;
  /** When set, the next send posts the message and then never returns, like a process that died. */
  dieAfterNextSend = false;
  #nextId = 1000;
  readonly #clock: () => Date;

  constructor(clock: () => Date, channels: Record<string, string>) {
    this.#clock = clock;
    for (const [channelId, guildId] of Object.entries(channels))
      this.channels.set(channelId, { guildId, messages: [] });
  }

  async send(channelId: string, content: string): Promise<string> {
    this.sendCalls++;
    const channel = this.channels.get(channelId);
    if (!channel) throw new Error("the channel no longer exists");
    if (channel.broken) throw new Error(channel.broken);
    if (content.length > 2000) throw new Error("message longer than 2000 characters");
    const id = String(this.#nextId++);
    channel.messages.unshift({ id, content, authorIsMe: true, createdAt: this.#clock() });
    if (this.dieAfterNextSend) {
      this.dieAfterNextSend = false;
      return new Promise<string>(() => {});
    }
    return id;
  }

  async recentMessages(channelId: string, limit: number): Promise<RecentMessage[]> {
    const channel = this.channels.get(channelId);
    if (!channel || channel.broken) throw new Error(channel?.broken ?? "the channel no longer exists");
    return channel.messages.slice(0, limit);
  }

  async guildOf(channelId: string): Promise<string | undefined> {
    return this.channels.get(channelId)?.guildId;
  }

  /** Messages in a channel, oldest first. */
  posts(channelId: string): RecentMessage[] {
    return [...(this.channels.get(channelId)?.messages ?? [])].reverse();
  }
}
