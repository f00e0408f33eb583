// The benchmark's own PostgreSQL database: created through the connection it is given (which must be
// allowed to CREATE DATABASE), migrated, filled with stored messages in bulk, and dropped afterwards,
// so the database named in the URL is never touched.
import pg from "pg";
import type { Logger } from "../src/log.ts";
import { migratePool, openPool } from "../src/store/postgres/connectPostgres.ts";
import { readerConversation, TURNS_PER_CONVERSATION } from "./benchFixtures.ts";

export interface BenchDatabase {
  /** Connection URL of the created database. */
  url: string;
  name: string;
  /** A pool for filling and measuring (the store under test opens its own). */
  pool: pg.Pool;
  /** Drops the database, ending every connection still open to it. */
  drop(): Promise<void>;
}

export async function createBenchDatabase(adminUrl: string, log: Logger): Promise<BenchDatabase> {
  const name = `storybot_bench_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  try {
    await withAdmin(adminUrl, (admin) => admin.query(`create database ${name}`));
  } catch (error) {
    const { hostname, port } = new URL(adminUrl);
    const reason = error instanceof Error ? error.message : String(error);
    // The URL's password stays out of the message.
    throw new Error(
      `the benchmark could not create its database on ${hostname}:${port || 5432} (a role allowed to create databases is needed): ${reason}`,
      { cause: error },
    );
  }
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const pool = openPool(url.toString(), log, { maxConnections: 4 });
  try {
    await migratePool(pool, url.toString(), log);
  } catch (error) {
    await withAdmin(adminUrl, (admin) => admin.query(`drop database if exists ${name} with (force)`));
    throw error;
  }
  let dropped: Promise<void> | undefined;
  return {
    url: url.toString(),
    name,
    pool,
    drop() {
      dropped ??= (async () => {
        await pool.end().catch(() => undefined);
        // FORCE: bot processes the benchmark started may not have closed their connections yet.
        await withAdmin(adminUrl, (admin) => admin.query(`drop database if exists ${name} with (force)`));
      })();
      return dropped;
    },
  };
}

/** What the bench stores, as the benchmark's lowdb fixture stores it (benchFixtures.ts). */
const STORED_QUESTION = "What did the envoy say about the talks in Oman, and who else was at the meeting?";
const STORED_ANSWER =
  "The envoy said the talks would resume within days and that both sides had agreed to keep the channel open [1]. " +
  "The defense minister and the army chief also attended the meeting, which lasted over three hours [2].";

/**
 * Grows the database to `messages` stored turns in full conversations of readers 0, 1, … (the
 * conversations readerConversation names, 50 turns each, 20 s apart, ending just before `now`).
 * Conversations already there are kept, so 100k can grow into 1M. One generate_series statement per
 * batch of conversations: the server builds the rows, nothing goes through the client row by row.
 */
export async function fillMessages(pool: pg.Pool, messages: number, now: Date): Promise<void> {
  const { key: sampleKey, owner } = readerConversation(0);
  const template = sampleKey.replace("reader-0", "reader-%s");
  // The key is built in SQL: it must be the key the bot itself uses.
  if (template.replace("%s", "7") !== readerConversation(7).key)
    throw new Error(`cannot build conversation keys in SQL from ${sampleKey}`);
  const { rows } = await pool.query<{ n: string }>("select count(*) as n from conversations");
  const have = Number(rows[0]?.n ?? 0);
  const conversations = Math.ceil(messages / TURNS_PER_CONVERSATION);
  const nowMs = now.getTime();
  // Batches keep each transaction (and its memory) moderate at 1M messages.
  const BATCH = 2_000;
  for (let from = have; from < conversations; from += BATCH) {
    const to = Math.min(conversations, from + BATCH) - 1;
    const client = await pool.connect();
    try {
      await client.query("begin");
      await client.query(
        `insert into conversations (key, scope, user_id, created_at, updated_at)
         select format($1, c), $2, 'reader-' || c, $3, $3 from generate_series($4::int, $5::int) as c`,
        [template, owner.scope, now.toISOString(), from, to],
      );
      await client.query(
        `insert into turns (conversation_key, at_ms, turn)
         select format($1, c), t.at_ms, jsonb_build_object(
                  'role', case when n % 2 = 0 then 'user' else 'assistant' end,
                  'content', case when n % 2 = 0 then $2 else $3 end,
                  'at', to_char(to_timestamp(t.at_ms / 1000.0) at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
         from generate_series($4::int, $5::int) as c
         cross join generate_series(0, $6::int - 1) as n
         cross join lateral (select $7::float8 - ($6::int - n) * 20000 as at_ms) as t
         order by c, n`,
        [template, STORED_QUESTION, STORED_ANSWER, from, to, TURNS_PER_CONVERSATION, nowMs],
      );
      await client.query("commit");
    } catch (error) {
      await client.query("rollback").catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }
  // Up-to-date statistics, as autovacuum would soon have them in a running database.
  await pool.query("vacuum analyze conversations, turns");
}

/** Rows in turns and the size of the whole database on disk, in MB. */
export async function databaseSize(pool: pg.Pool): Promise<{ messages: number; mb: number }> {
  const { rows } = await pool.query<{ messages: string; bytes: string }>(
    "select (select count(*) from turns) as messages, pg_database_size(current_database()) as bytes",
  );
  return { messages: Number(rows[0]?.messages ?? 0), mb: Number(rows[0]?.bytes ?? 0) / (1024 * 1024) };
}

async function withAdmin<T>(url: string, task: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: url, application_name: "storybot bench" });
  await admin.connect();
  try {
    return await task(admin);
  } finally {
    await admin.end();
  }
}
