// The PostgreSQL schema, as numbered migrations. Each runs once, in order, in one transaction with
// its bookkeeping row, under an advisory lock, so processes starting together migrate once. A
// migration is never edited after release: changes are new migrations.
//
// Records are kept whole as jsonb (the record types are loose, so a field added later survives), with
// the columns that queries select on beside them. Times that retention compares are kept as
// milliseconds computed by the store (Date.parse), null when unreadable, as lowdb treats them.
import type pg from "pg";
import { UserError } from "../../errors.ts";
import type { Logger } from "../../log.ts";
import { inLockedTransaction } from "./advisoryLocks.ts";

interface Migration {
  version: number;
  name: string;
  sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: "conversations, answers, settings, summary posts, meta, articles",
    sql: `
      create table conversations (
        key text primary key,
        scope text not null,
        user_id text not null,
        created_at text not null,
        updated_at text not null,
        -- Fields a later version may add to a conversation, kept as they came.
        extra jsonb not null default '{}'
      );
      create index conversations_by_owner on conversations (scope, user_id);

      create table turns (
        -- The order turns were appended in, across every process.
        seq bigint generated always as identity primary key,
        conversation_key text not null references conversations (key) on delete cascade,
        at_ms double precision,
        turn jsonb not null
      );
      create index turns_by_conversation on turns (conversation_key, seq);
      create index turns_by_age on turns (at_ms);

      create table answers (
        id text primary key,
        scope text not null generated always as (record ->> 'scope') stored,
        user_id text not null generated always as (record ->> 'userId') stored,
        message_id text generated always as (record ->> 'messageId') stored,
        at_ms double precision,
        record jsonb not null
      );
      create index answers_by_message on answers (message_id) where message_id is not null;
      create index answers_by_owner on answers (scope, user_id);
      create index answers_by_age on answers (at_ms);

      create table guild_settings (
        guild_id text primary key,
        settings jsonb not null
      );

      create table summary_posts (
        key text primary key,
        guild_id text not null generated always as (post ->> 'guildId') stored,
        channel_id text not null generated always as (post ->> 'channelId') stored,
        posted_at_ms double precision,
        post jsonb not null
      );
      create index summary_posts_by_channel on summary_posts (guild_id, channel_id, posted_at_ms);

      create table meta (
        key text primary key,
        value jsonb not null
      );

      -- Ingested articles, as the file text the corpus loader reads: every process sees the same story.
      create table articles (
        id text primary key,
        file_name text not null unique,
        content text not null,
        -- Articles are added under the corpus lock, so this order is also the order they became visible.
        seq bigint generated always as identity unique,
        added_at timestamptz not null default now()
      );
    `,
  },
  {
    version: 2,
    name: "answer records by conversation, for their retention",
    sql: `
      alter table answers
        add column conversation_key text generated always as (record ->> 'conversationKey') stored;
      create index answers_by_conversation on answers (conversation_key, at_ms);
    `,
  },
];

/** Applies the migrations this database lacks; returns the versions applied. */
export async function migrate(pool: pg.Pool, log: Logger): Promise<number[]> {
  return inLockedTransaction(pool, "migrations", async (client) => {
    await client.query(`
      create table if not exists storybot_migrations (
        version integer primary key,
        name text not null,
        applied_at timestamptz not null default now()
      )`);
    const { rows } = await client.query<{ version: number }>("select version from storybot_migrations");
    const done = new Set(rows.map((row) => row.version));
    const newest = Math.max(0, ...done);
    const known = MIGRATIONS.at(-1)?.version ?? 0;
    if (newest > known) {
      throw new UserError(
        `The database was migrated by a newer storybot (schema ${newest}; this one knows ${known}). Upgrade storybot.`,
      );
    }
    const applied: number[] = [];
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      await client.query(migration.sql);
      await client.query("insert into storybot_migrations (version, name) values ($1, $2)", [
        migration.version,
        migration.name,
      ]);
      applied.push(migration.version);
      log.info({ version: migration.version, name: migration.name }, "database migrated");
    }
    return applied;
  });
}
