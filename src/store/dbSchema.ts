// The shape of db.json, checked with zod whenever a file is loaded and whenever a record is accepted,
// so that what the store writes is always something it can read back.
// Records are loose objects: a field added to a record type later passes through instead of being lost.
import { z } from "zod";
import type { AnswerRecord, GuildSettings, StoredTurn, SummaryPost } from "./store.ts";
import { type StoredAnswer, storedAnswer } from "./storedAnswer.ts";

export const DB_VERSION = 1;

const text = z.string();

export const turnSchema = z.looseObject({
  role: z.enum(["user", "assistant"]),
  content: text,
  at: text,
});

export const conversationSchema = z.looseObject({
  key: text,
  scope: text,
  userId: text,
  createdAt: text,
  updatedAt: text,
  turns: z.array(turnSchema),
});

const citationSchema = z.looseObject({
  n: z.number(),
  passageId: text,
  title: text,
  paragraph: z.number(),
  quote: text,
  url: text.optional(),
});

export const answerSchema = z.looseObject({
  id: text,
  conversationKey: text,
  scope: text,
  userId: text,
  question: text,
  answer: text,
  citations: z.array(citationSchema),
  mode: z.enum(["llm", "extractive"]),
  notice: text.optional(),
  at: text,
  messageId: text.optional(),
  channelId: text.optional(),
  feedback: z.record(text, z.union([z.literal(1), z.literal(-1)])),
});

export const guildSettingsSchema = z.looseObject({
  guildId: text,
  askChannelIds: z.array(text).optional(),
  summaryChannelId: text.optional(),
  summaryTime: text.optional(),
  summaryTimezone: text.optional(),
  skipQuietDays: z.boolean().optional(),
  summaryOff: z.boolean().optional(),
  summaryProblem: text.optional(),
});

export const summaryPostSchema = z.looseObject({
  key: text,
  guildId: text,
  channelId: text,
  localDate: text,
  claimedAt: text,
  messageId: text.optional(),
  postedAt: text.optional(),
});

// Key-value areas are stored as arrays of entries, not objects, so that no key (even "__proto__")
// can collide with object machinery on the way in or out.
const metaEntrySchema = z.object({ key: text, value: z.json() });

export const dbFileSchema = z.object({
  version: z.literal(DB_VERSION),
  conversations: z.array(conversationSchema),
  answers: z.array(answerSchema),
  guilds: z.array(guildSettingsSchema),
  summaryPosts: z.array(summaryPostSchema),
  meta: z.array(metaEntrySchema),
});

export interface Conversation {
  key: string;
  scope: string;
  userId: string;
  createdAt: string;
  updatedAt: string;
  /** Oldest first. */
  turns: readonly StoredTurn[];
}

/** The database in memory: maps for O(1) lookups. Records are replaced, never changed in place,
 * so a write can take a consistent snapshot by copying references. */
export interface DbState {
  conversations: Map<string, Conversation>;
  /** As JSON text with their lookup fields (see storedAnswer): the bulk of the database, kept out of the
   * collector's way. */
  answers: Map<string, StoredAnswer>;
  guilds: Map<string, GuildSettings>;
  summaryPosts: Map<string, SummaryPost>;
  /** Values kept as JSON text: every read and write is a copy, and only JSON gets in. */
  meta: Map<string, string>;
}

export function emptyState(): DbState {
  return {
    conversations: new Map(),
    answers: new Map(),
    guilds: new Map(),
    summaryPosts: new Map(),
    meta: new Map(),
  };
}

/** Builds the in-memory state from a parsed file; throws a ZodError when it does not match. */
export function stateFromJson(json: unknown): DbState {
  const file = dbFileSchema.parse(json);
  // Validated above; the casts only bridge zod's `T | undefined` optionals to the record types.
  return {
    conversations: new Map(file.conversations.map((c) => [c.key, c as Conversation])),
    answers: new Map(file.answers.map((a) => [a.id, storedAnswer(a as AnswerRecord)])),
    guilds: new Map(file.guilds.map((g) => [g.guildId, g as GuildSettings])),
    summaryPosts: new Map(file.summaryPosts.map((p) => [p.key, p as SummaryPost])),
    meta: new Map(file.meta.map((m) => [m.key, JSON.stringify(m.value)])),
  };
}
