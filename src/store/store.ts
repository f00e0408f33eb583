// The store behind which the database sits. lowdb (one process) implements it by default;
// PostgreSQL (src/store/postgres/) implements it when DATABASE_URL is set, for several processes.
import type { Citation, Turn } from "../types.ts";

/** Who a conversation belongs to: history never crosses users or servers. */
export interface ConversationOwner {
  /** "cli" for the command line, else the Discord guild id ("dm" in direct messages). */
  scope: string;
  userId: string;
}

export interface StoredTurn extends Turn {
  at: string;
}

export interface AnswerRecord {
  id: string;
  conversationKey: string;
  scope: string;
  userId: string;
  question: string;
  answer: string;
  citations: Citation[];
  mode: "llm" | "extractive";
  notice?: string;
  at: string;
  /** Discord message id of the posted answer, for reply chains and feedback. */
  messageId?: string;
  channelId?: string;
  /** userId → +1 / -1 */
  feedback: Record<string, 1 | -1>;
}

export interface GuildSettings {
  guildId: string;
  askChannelIds?: string[];
  summaryChannelId?: string;
  summaryTime?: string;
  summaryTimezone?: string;
  /** Skip the daily post when nothing is new. */
  skipQuietDays?: boolean;
  /** The server turned the daily summary off, SUMMARY_CHANNEL_ID notwithstanding. */
  summaryOff?: boolean;
  /** Last problem posting the summary (channel gone, no permission), shown in /settings. */
  summaryProblem?: string;
}

export type GuildSettingsPatch = {
  [K in Exclude<keyof GuildSettings, "guildId">]?: GuildSettings[K] | undefined;
};

export interface SummaryPost {
  /** `${guildId}:${channelId}:${localDate}` */
  key: string;
  guildId: string;
  channelId: string;
  localDate: string;
  claimedAt: string;
  messageId?: string;
  postedAt?: string;
}

export interface Store {
  /** Last `limit` turns of a conversation, oldest first. */
  history(conversationKey: string, limit?: number): Promise<StoredTurn[]>;
  /** Appends turns, creating the conversation for its owner when new. */
  appendTurns(conversationKey: string, owner: ConversationOwner, turns: StoredTurn[]): Promise<void>;
  /** Deletes every conversation of this owner, and the answer records of their questions; returns how
   * many conversations were deleted. */
  forget(owner: ConversationOwner): Promise<number>;

  saveAnswer(record: AnswerRecord): Promise<void>;
  getAnswer(id: string): Promise<AnswerRecord | undefined>;
  findAnswerByMessage(messageId: string): Promise<AnswerRecord | undefined>;
  updateAnswer(id: string, patch: Partial<Pick<AnswerRecord, "messageId" | "channelId">>): Promise<void>;
  setFeedback(answerId: string, userId: string, value: 1 | -1): Promise<void>;

  guildSettings(guildId: string): Promise<GuildSettings | undefined>;
  allGuildSettings(): Promise<GuildSettings[]>;
  /** Merges the patch into the guild's settings; a field set to undefined is removed. */
  updateGuildSettings(guildId: string, patch: GuildSettingsPatch): Promise<GuildSettings>;

  summaryPost(key: string): Promise<SummaryPost | undefined>;
  /** Claims a post before sending; false when a claim already exists. */
  claimSummaryPost(post: SummaryPost): Promise<boolean>;
  recordSummaryPost(key: string, messageId: string, postedAt: string): Promise<void>;
  releaseSummaryPost(key: string): Promise<void>;
  /** Latest post with a message id in that channel (for "what's new since"). */
  lastSummaryPost(guildId: string, channelId: string): Promise<SummaryPost | undefined>;

  /** Small key-value area for other parts (feed state, LLM budgets). */
  getMeta<T>(key: string): Promise<T | undefined>;
  setMeta<T>(key: string, value: T): Promise<void>;
  /**
   * Counts one use of a daily allowance kept in meta under `key` as `{ day, used }`, unless `limit`
   * uses were already counted on `day`; true when counted. One atomic step, so processes sharing
   * the store can never overdraw it together.
   */
  takeAllowance(key: string, day: string, limit: number): Promise<boolean>;

  /** Waits until every accepted mutation is on disk. */
  flush(): Promise<void>;
  close(): Promise<void>;
}
