// The Store on PostgreSQL, for several processes (discord.js shards) on one or more machines. Every
// method is one statement or one short transaction and resolves once committed, so flush() has
// nothing left to do and a process that dies loses nothing it acknowledged. Concurrency is the
// database's: a conversation's row lock orders appends to it, a summary claim is one INSERT … ON
// CONFLICT DO NOTHING, the model allowance one conditional upsert, retention a DELETE.
import type pg from "pg";
import type { Logger } from "../../log.ts";
import { acceptRecord } from "../acceptRecord.ts";
import { answerSchema, guildSettingsSchema, summaryPostSchema, turnSchema } from "../dbSchema.ts";
import type {
  AnswerRecord,
  ConversationOwner,
  GuildSettings,
  GuildSettingsPatch,
  Store,
  StoredTurn,
  SummaryPost,
} from "../store.ts";
import {
  DEFAULT_RETENTION,
  maxAnswersPerConversation,
  type Retention,
  retentionCutoff,
} from "../trimTurns.ts";

export interface PostgresStoreOptions {
  log: Logger;
  clock: () => Date;
  retention?: Retention;
}

/** The global retention sweep runs on open and then at most this often, just before a write. */
const SWEEP_INTERVAL_MS = 60 * 60_000;

/** Opens the store on a migrated pool (see connectPostgres); the pool stays the caller's to end. */
export async function openPostgresStore(
  pool: pg.Pool,
  options: PostgresStoreOptions,
): Promise<PostgresStore> {
  const retention = options.retention ?? DEFAULT_RETENTION;
  const { maxAgeDays, maxTurnsPerConversation } = retention;
  if (!(maxAgeDays > 0) || !(Number.isInteger(maxTurnsPerConversation) && maxTurnsPerConversation > 0)) {
    throw new Error("Retention needs a positive number of days and a positive whole number of turns");
  }
  const store = new PostgresStore(pool, { ...options, retention });
  await store.sweep();
  return store;
}

export class PostgresStore implements Store {
  readonly #pool: pg.Pool;
  readonly #log: Logger;
  readonly #clock: () => Date;
  readonly #retention: Retention;
  /** Appends in flight per conversation: this process's appends to one conversation keep call order. */
  readonly #appending = new Map<string, Promise<unknown>>();
  #lastSweep = 0;
  #sweeping: Promise<void> | undefined;
  #closed = false;

  constructor(pool: pg.Pool, options: PostgresStoreOptions & { retention: Retention }) {
    this.#pool = pool;
    this.#log = options.log;
    this.#clock = options.clock;
    this.#retention = options.retention;
  }

  // Conversations

  async history(conversationKey: string, limit?: number): Promise<StoredTurn[]> {
    if (limit !== undefined && limit <= 0) return [];
    const { rows } = await this.#pool.query<{ turn: StoredTurn }>(
      `select turn from turns where conversation_key = $1 order by seq desc ${limit === undefined ? "" : "limit $2"}`,
      limit === undefined ? [conversationKey] : [conversationKey, limit],
    );
    return rows.map((row) => row.turn).reverse();
  }

  async appendTurns(conversationKey: string, owner: ConversationOwner, turns: StoredTurn[]): Promise<void> {
    this.#beforeWrite();
    const accepted = turns.map((turn) => acceptRecord<StoredTurn>(turnSchema, turn));
    const now = this.#clock();
    const cutoff = retentionCutoff(this.#retention, now);
    await this.#inCallOrder(conversationKey, () =>
      this.#transaction(async (client) => {
        // The row lock taken here orders concurrent appends to one conversation; the WHERE refuses
        // another owner's key, so one user's history never enters another's answers.
        const upsert = await client.query(
          `insert into conversations (key, scope, user_id, created_at, updated_at) values ($1, $2, $3, $4, $4)
         on conflict (key) do update set updated_at = excluded.updated_at
         where conversations.scope = excluded.scope and conversations.user_id = excluded.user_id`,
          [conversationKey, owner.scope, owner.userId, now.toISOString()],
        );
        if (upsert.rowCount === 0) {
          throw new Error(`Conversation ${conversationKey} belongs to another user or server`);
        }
        if (accepted.length > 0) {
          await client.query(
            `insert into turns (conversation_key, at_ms, turn)
           select $1, t.at_ms, t.turn from unnest($2::float8[], $3::jsonb[]) with ordinality as t(at_ms, turn, n)
           order by t.n`,
            [
              conversationKey,
              accepted.map((turn) => timeMs(turn.at)),
              accepted.map((turn) => JSON.stringify(turn)),
            ],
          );
        }
        // Retention for this conversation at once: old turns, and all but the last N.
        await client.query(
          `delete from turns where conversation_key = $1 and (at_ms < $2 or seq <= (
           select seq from turns where conversation_key = $1 order by seq desc offset $3 limit 1))`,
          [conversationKey, cutoff, this.#retention.maxTurnsPerConversation],
        );
        await client.query(
          "delete from conversations where key = $1 and not exists (select 1 from turns where conversation_key = $1)",
          [conversationKey],
        );
      }),
    );
  }

  async forget(owner: ConversationOwner): Promise<number> {
    this.#beforeWrite();
    return this.#transaction(async (client) => {
      const gone = await client.query("delete from conversations where scope = $1 and user_id = $2", [
        owner.scope,
        owner.userId,
      ]);
      // The answer records hold the same questions, so they go too.
      await client.query("delete from answers where scope = $1 and user_id = $2", [
        owner.scope,
        owner.userId,
      ]);
      return gone.rowCount ?? 0;
    });
  }

  // Answers

  async saveAnswer(record: AnswerRecord): Promise<void> {
    this.#beforeWrite();
    const accepted = acceptRecord<AnswerRecord>(answerSchema, record);
    await this.#transaction(async (client) => {
      await client.query(
        `insert into answers (id, at_ms, record) values ($1, $2, $3)
         on conflict (id) do update set at_ms = excluded.at_ms, record = excluded.record`,
        [accepted.id, timeMs(accepted.at), JSON.stringify(accepted)],
      );
      // The conversation keeps the records of the exchanges its history holds, as lowdb does.
      await client.query(
        `delete from answers where id in (
           select id from answers where conversation_key = $1
           order by at_ms desc nulls first, id desc offset $2)`,
        [accepted.conversationKey, maxAnswersPerConversation(this.#retention)],
      );
    });
  }

  async getAnswer(id: string): Promise<AnswerRecord | undefined> {
    const { rows } = await this.#pool.query<{ record: AnswerRecord }>(
      "select record from answers where id = $1",
      [id],
    );
    return rows[0]?.record;
  }

  async findAnswerByMessage(messageId: string): Promise<AnswerRecord | undefined> {
    const { rows } = await this.#pool.query<{ record: AnswerRecord }>(
      "select record from answers where message_id = $1 order by at_ms desc nulls last limit 1",
      [messageId],
    );
    return rows[0]?.record;
  }

  async updateAnswer(
    id: string,
    patch: Partial<Pick<AnswerRecord, "messageId" | "channelId">>,
  ): Promise<void> {
    this.#beforeWrite();
    const { set, removed } = splitPatch(patch, answerSchema.shape);
    // A record pruned by retention or forgotten meanwhile is simply not there to update.
    await this.#pool.query("update answers set record = (record - $2::text[]) || $3::jsonb where id = $1", [
      id,
      removed,
      JSON.stringify(set),
    ]);
  }

  async setFeedback(answerId: string, userId: string, value: 1 | -1): Promise<void> {
    this.#beforeWrite();
    const vote = answerSchema.shape.feedback.valueType.parse(value);
    // One statement: two people voting at once from two processes both count.
    await this.#pool.query(
      `update answers set record = jsonb_set(record, '{feedback}',
         coalesce(record -> 'feedback', '{}'::jsonb) || jsonb_build_object($2::text, $3::int))
       where id = $1`,
      [answerId, String(userId), vote],
    );
  }

  // Guild settings

  async guildSettings(guildId: string): Promise<GuildSettings | undefined> {
    const { rows } = await this.#pool.query<{ settings: GuildSettings }>(
      "select settings from guild_settings where guild_id = $1",
      [guildId],
    );
    return rows[0]?.settings;
  }

  async allGuildSettings(): Promise<GuildSettings[]> {
    const { rows } = await this.#pool.query<{ settings: GuildSettings }>(
      "select settings from guild_settings order by guild_id",
    );
    return rows.map((row) => row.settings);
  }

  async updateGuildSettings(guildId: string, patch: GuildSettingsPatch): Promise<GuildSettings> {
    this.#beforeWrite();
    const { set, removed } = splitPatch(patch, guildSettingsSchema.shape);
    const accepted = acceptRecord<GuildSettings>(guildSettingsSchema, { ...set, guildId });
    // Merged in the database, so two admins changing different settings at once both keep theirs.
    const { rows } = await this.#pool.query<{ settings: GuildSettings }>(
      `insert into guild_settings (guild_id, settings) values ($1, $2::jsonb)
       on conflict (guild_id) do update set settings = (guild_settings.settings - $3::text[]) || excluded.settings
       returning settings`,
      [guildId, JSON.stringify(accepted), removed],
    );
    return rows[0]?.settings as GuildSettings;
  }

  // Summary posts

  async summaryPost(key: string): Promise<SummaryPost | undefined> {
    const { rows } = await this.#pool.query<{ post: SummaryPost }>(
      "select post from summary_posts where key = $1",
      [key],
    );
    return rows[0]?.post;
  }

  async claimSummaryPost(post: SummaryPost): Promise<boolean> {
    this.#beforeWrite();
    const accepted = acceptRecord<SummaryPost>(summaryPostSchema, post);
    // One claim per server, channel and local day, whichever process gets there first.
    const claimed = await this.#pool.query(
      `insert into summary_posts (key, posted_at_ms, post) values ($1, $2, $3)
       on conflict (key) do nothing`,
      [
        accepted.key,
        accepted.postedAt === undefined ? null : timeMs(accepted.postedAt),
        JSON.stringify(accepted),
      ],
    );
    return claimed.rowCount === 1;
  }

  async recordSummaryPost(key: string, messageId: string, postedAt: string): Promise<void> {
    this.#beforeWrite();
    // The post went out, so it must be remembered even without its claim, or it could go out twice.
    const [guildId = "", channelId = "", localDate = ""] = key.split(":");
    const fallback = acceptRecord<SummaryPost>(summaryPostSchema, {
      key,
      guildId,
      channelId,
      localDate,
      claimedAt: postedAt,
      messageId,
      postedAt,
    });
    const { rows } = await this.#pool.query<{ inserted: boolean }>(
      `insert into summary_posts (key, posted_at_ms, post) values ($1, $2, $3)
       on conflict (key) do update set posted_at_ms = excluded.posted_at_ms,
         post = summary_posts.post || jsonb_build_object('messageId', $4::text, 'postedAt', $5::text)
       returning (xmax = 0) as inserted`,
      [key, timeMs(postedAt), JSON.stringify(fallback), messageId, postedAt],
    );
    if (rows[0]?.inserted) this.#log.warn({ key }, "Recording a summary post that had no claim");
  }

  async releaseSummaryPost(key: string): Promise<void> {
    this.#beforeWrite();
    await this.#pool.query("delete from summary_posts where key = $1 and not (post ? 'messageId')", [key]);
  }

  async lastSummaryPost(guildId: string, channelId: string): Promise<SummaryPost | undefined> {
    const { rows } = await this.#pool.query<{ post: SummaryPost }>(
      `select post from summary_posts where guild_id = $1 and channel_id = $2 and post ? 'postedAt'
       order by posted_at_ms desc nulls last limit 1`,
      [guildId, channelId],
    );
    return rows[0]?.post;
  }

  // Meta

  async getMeta<T>(key: string): Promise<T | undefined> {
    const { rows } = await this.#pool.query<{ value: T }>("select value from meta where key = $1", [key]);
    return rows[0]?.value;
  }

  async setMeta<T>(key: string, value: T): Promise<void> {
    this.#beforeWrite();
    const json = JSON.stringify(value) as string | undefined;
    if (json === undefined) {
      await this.#pool.query("delete from meta where key = $1", [key]);
      return;
    }
    await this.#pool.query(
      "insert into meta (key, value) values ($1, $2::jsonb) on conflict (key) do update set value = excluded.value",
      [key, json],
    );
  }

  async takeAllowance(key: string, day: string, limit: number): Promise<boolean> {
    this.#beforeWrite();
    if (!(limit > 0)) return false;
    // One conditional upsert: counted only while today's uses are below the limit, in any process.
    const { rowCount } = await this.#pool.query(
      `insert into meta (key, value) values ($1, jsonb_build_object('day', $2::text, 'used', 1))
       on conflict (key) do update set value = jsonb_build_object('day', $2::text, 'used',
         case when meta.value ->> 'day' = $2::text then coalesce((meta.value ->> 'used')::int, 0) + 1 else 1 end)
       where meta.value ->> 'day' is distinct from $2::text or coalesce((meta.value ->> 'used')::int, 0) < $3`,
      [key, day, limit],
    );
    return rowCount === 1;
  }

  // Lifecycle

  /** Every write is committed before its promise resolves: only a sweep may still be running. */
  async flush(): Promise<void> {
    await this.#sweeping;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await this.#sweeping;
  }

  /** Applies retention to everything: turns and answers past the age, conversations (and their answer
   * records) past the length. */
  sweep(): Promise<void> {
    this.#lastSweep = this.#clock().getTime();
    this.#sweeping ??= (async () => {
      try {
        const cutoff = retentionCutoff(this.#retention, this.#clock());
        await this.#transaction(async (client) => {
          await client.query("delete from turns where at_ms < $1", [cutoff]);
          await client.query(
            `delete from turns where seq in (select seq from (
               select seq, row_number() over (partition by conversation_key order by seq desc) as n from turns
             ) numbered where n > $1)`,
            [this.#retention.maxTurnsPerConversation],
          );
          await client.query(
            "delete from conversations c where not exists (select 1 from turns t where t.conversation_key = c.key)",
          );
          await client.query("delete from answers where at_ms < $1", [cutoff]);
          await client.query(
            `delete from answers where id in (select id from (
               select id, row_number() over (
                 partition by conversation_key order by at_ms desc nulls first, id desc) as n from answers
             ) numbered where n > $1)`,
            [maxAnswersPerConversation(this.#retention)],
          );
        });
      } finally {
        this.#sweeping = undefined;
      }
    })();
    return this.#sweeping;
  }

  // Internals

  #beforeWrite(): void {
    if (this.#closed) throw new Error("The store is closed");
    if (this.#clock().getTime() - this.#lastSweep >= SWEEP_INTERVAL_MS) {
      this.sweep().catch((error: unknown) => this.#log.warn({ err: error }, "Could not apply retention"));
    }
  }

  /** Runs appends to one key one after another, in the order they were called. */
  #inCallOrder<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#appending.get(key) ?? Promise.resolve();
    const run = previous.then(task, task);
    const settled = run.catch(() => undefined);
    this.#appending.set(key, settled);
    void settled.then(() => {
      if (this.#appending.get(key) === settled) this.#appending.delete(key);
    });
    return run;
  }

  async #transaction<T>(task: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.#pool.connect();
    try {
      await client.query("begin");
      const result = await task(client);
      await client.query("commit");
      return result;
    } catch (error) {
      await client.query("rollback").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
}

/** Milliseconds since the epoch; null when unreadable (retention never deletes what it cannot date). */
function timeMs(at: string): number | null {
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * A patch as the fields it sets (each checked against the record's schema) and the fields it
 * removes (set to undefined), as the lowdb store merges it.
 */
function splitPatch(
  patch: object,
  shape: Record<string, { parse(value: unknown): unknown }>,
): { set: Record<string, unknown>; removed: string[] } {
  const set: Record<string, unknown> = {};
  const removed: string[] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key === "guildId" || key === "id") continue;
    if (value === undefined) removed.push(key);
    else if (key in shape) set[key] = (shape[key] as { parse(value: unknown): unknown }).parse(value);
    else set[key] = value;
  }
  return { set: JSON.parse(JSON.stringify(set)) as Record<string, unknown>, removed };
}
