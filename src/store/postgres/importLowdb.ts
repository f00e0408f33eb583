// `storybot db import`: a lowdb data directory (db.json and the ingested articles) into PostgreSQL,
// in one transaction under the corpus lock: all of it or nothing. Records already in PostgreSQL
// under the same key are replaced by the file's (a conversation's turns included); an article
// already there with other text is an error, since answers cite articles by id.
import type pg from "pg";
import { UserError } from "../../errors.ts";
import type { DbState } from "../dbSchema.ts";
import { inLockedTransaction } from "./advisoryLocks.ts";
import { type ArticleFile, readIngestedArticles, readLowdb } from "./lowdbFiles.ts";
import { ARTICLES_CHANNEL } from "./postgresShelf.ts";

export interface TransferCounts {
  conversations: number;
  turns: number;
  answers: number;
  guilds: number;
  summaryPosts: number;
  meta: number;
  articles: number;
}

/** Rows per INSERT: big enough to be quick, small enough for the server's parameter limits. */
const BATCH = 2_000;

export async function importLowdb(pool: pg.Pool, dataDir: string): Promise<TransferCounts> {
  const state = await readLowdb(dataDir);
  const articles = await readIngestedArticles(dataDir);
  return inLockedTransaction(pool, "corpus", async (client) => {
    const counts = state ? await importState(client, state) : emptyCounts();
    counts.articles = await importArticles(client, articles);
    return counts;
  });
}

async function importState(client: pg.PoolClient, state: DbState): Promise<TransferCounts> {
  const conversations = [...state.conversations.values()];
  for (const batch of chunks(conversations)) {
    await client.query(
      `insert into conversations (key, scope, user_id, created_at, updated_at, extra)
       select * from unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::jsonb[])
       on conflict (key) do update set scope = excluded.scope, user_id = excluded.user_id,
         created_at = excluded.created_at, updated_at = excluded.updated_at, extra = excluded.extra`,
      [
        batch.map((c) => c.key),
        batch.map((c) => c.scope),
        batch.map((c) => c.userId),
        batch.map((c) => c.createdAt),
        batch.map((c) => c.updatedAt),
        batch.map(({ key, scope, userId, createdAt, updatedAt, turns, ...extra }) => JSON.stringify(extra)),
      ],
    );
    await client.query("delete from turns where conversation_key = any($1::text[])", [
      batch.map((c) => c.key),
    ]);
  }
  const turns = conversations.flatMap((c) => c.turns.map((turn) => ({ key: c.key, turn })));
  for (const batch of chunks(turns)) {
    await client.query(
      `insert into turns (conversation_key, at_ms, turn)
       select t.key, t.at_ms, t.turn from unnest($1::text[], $2::float8[], $3::jsonb[]) with ordinality as t(key, at_ms, turn, n)
       order by t.n`,
      [
        batch.map((t) => t.key),
        batch.map((t) => timeMs(t.turn.at)),
        batch.map((t) => JSON.stringify(t.turn)),
      ],
    );
  }
  const answers = [...state.answers.values()];
  for (const batch of chunks(answers)) {
    await client.query(
      `insert into answers (id, at_ms, record) select * from unnest($1::text[], $2::float8[], $3::jsonb[])
       on conflict (id) do update set at_ms = excluded.at_ms, record = excluded.record`,
      [batch.map((a) => a.id), batch.map((a) => timeMs(a.at)), batch.map((a) => a.json)],
    );
  }
  const guilds = [...state.guilds.values()];
  for (const batch of chunks(guilds)) {
    await client.query(
      `insert into guild_settings (guild_id, settings) select * from unnest($1::text[], $2::jsonb[])
       on conflict (guild_id) do update set settings = excluded.settings`,
      [batch.map((g) => g.guildId), batch.map((g) => JSON.stringify(g))],
    );
  }
  const posts = [...state.summaryPosts.values()];
  for (const batch of chunks(posts)) {
    await client.query(
      `insert into summary_posts (key, posted_at_ms, post) select * from unnest($1::text[], $2::float8[], $3::jsonb[])
       on conflict (key) do update set posted_at_ms = excluded.posted_at_ms, post = excluded.post`,
      [
        batch.map((p) => p.key),
        batch.map((p) => (p.postedAt === undefined ? null : timeMs(p.postedAt))),
        batch.map((p) => JSON.stringify(p)),
      ],
    );
  }
  const meta = [...state.meta];
  for (const batch of chunks(meta)) {
    await client.query(
      `insert into meta (key, value) select * from unnest($1::text[], $2::jsonb[])
       on conflict (key) do update set value = excluded.value`,
      [batch.map(([key]) => key), batch.map(([, json]) => json)],
    );
  }
  return {
    conversations: conversations.length,
    turns: turns.length,
    answers: answers.length,
    guilds: guilds.length,
    summaryPosts: posts.length,
    meta: meta.length,
    articles: 0,
  };
}

/** Inserts the articles PostgreSQL lacks and announces them; returns how many were new. */
async function importArticles(client: pg.PoolClient, articles: ArticleFile[]): Promise<number> {
  const { rows } = await client.query<{ id: string; file_name: string; content: string }>(
    "select id, file_name, content from articles where id = any($1::text[]) or file_name = any($2::text[])",
    [articles.map((a) => a.id), articles.map((a) => a.fileName)],
  );
  const existing = new Map(rows.map((row) => [row.id, row]));
  const clashes = articles.filter((a) => {
    const row = existing.get(a.id);
    return row
      ? row.content !== a.content || row.file_name !== a.fileName
      : rows.some((r) => r.file_name === a.fileName);
  });
  if (clashes.length > 0) {
    throw new UserError(
      `The database already has different articles under these ids: ${clashes.map((a) => a.id).join(", ")}. Nothing was imported.`,
    );
  }
  const fresh = articles.filter((a) => !existing.has(a.id));
  for (const article of fresh) {
    await client.query("insert into articles (id, file_name, content) values ($1, $2, $3)", [
      article.id,
      article.fileName,
      article.content,
    ]);
    // Running bots add it to their index once the transaction commits.
    await client.query("select pg_notify($1, $2)", [ARTICLES_CHANNEL, article.id]);
  }
  return fresh.length;
}

export function emptyCounts(): TransferCounts {
  return { conversations: 0, turns: 0, answers: 0, guilds: 0, summaryPosts: 0, meta: 0, articles: 0 };
}

function* chunks<T>(items: readonly T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += BATCH) yield items.slice(i, i + BATCH);
}

function timeMs(at: string): number | null {
  const ms = Date.parse(at);
  return Number.isNaN(ms) ? null : ms;
}
