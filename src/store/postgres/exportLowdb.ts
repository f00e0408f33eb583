// `storybot db export`: PostgreSQL back into a lowdb data directory, as db.json (written and then
// read back through the lowdb store's own loader, so it is known to open) and the ingested articles
// as corpus files, byte for byte as they were ingested. It never overwrites: an existing db.json,
// or an article file with other text, stops it before anything is written.
import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type pg from "pg";
import { ensureDirectory } from "../../ensureDirectory.ts";
import { UserError } from "../../errors.ts";
import { DatabaseFile } from "../databaseFile.ts";
import { type Conversation, DB_VERSION, type DbState, emptyState, stateFromJson } from "../dbSchema.ts";
import { fileExists } from "../fileExists.ts";
import type { AnswerRecord, GuildSettings, StoredTurn, SummaryPost } from "../store.ts";
import { answerRecord, storedAnswer } from "../storedAnswer.ts";
import type { TransferCounts } from "./importLowdb.ts";
import { articlesDir, databasePath } from "./lowdbFiles.ts";

export async function exportLowdb(pool: pg.Pool, dataDir: string): Promise<TransferCounts> {
  const file = databasePath(dataDir);
  if (await fileExists(file)) {
    throw new UserError(`${file} already exists: move it away first (export never overwrites a database).`);
  }
  // One snapshot of everything, even while bots keep writing.
  const client = await pool.connect();
  let state: DbState;
  let articles: { file_name: string; content: string }[];
  try {
    await client.query("begin isolation level repeatable read read only");
    state = await readState(client);
    articles = (await client.query("select file_name, content from articles order by seq")).rows;
    await client.query("commit");
  } finally {
    client.release();
  }

  const dir = articlesDir(dataDir);
  const toWrite: typeof articles = [];
  for (const article of articles) {
    const existing = await readFile(join(dir, article.file_name), "utf8").catch(() => undefined);
    if (existing === undefined) toWrite.push(article);
    else if (existing !== article.content) {
      throw new UserError(`${join(dir, article.file_name)} exists with other text: move it away first.`);
    }
  }

  await ensureDirectory(dataDir);
  // Validated like any loaded file, so what is written is what lowdb can open.
  const checked = stateFromJson(toJson(state));
  await new DatabaseFile(file).write(checked);
  await new DatabaseFile(file).read();
  await ensureDirectory(dir);
  for (const article of toWrite)
    await writeFile(join(dir, article.file_name), article.content, { flag: "wx" });

  return {
    conversations: state.conversations.size,
    turns: [...state.conversations.values()].reduce((n, c) => n + c.turns.length, 0),
    answers: state.answers.size,
    guilds: state.guilds.size,
    summaryPosts: state.summaryPosts.size,
    meta: state.meta.size,
    articles: toWrite.length,
  };
}

async function readState(client: pg.PoolClient): Promise<DbState> {
  const state = emptyState();
  const conversations = await client.query<{
    key: string;
    scope: string;
    user_id: string;
    created_at: string;
    updated_at: string;
    extra: Record<string, unknown>;
  }>("select key, scope, user_id, created_at, updated_at, extra from conversations order by key");
  const turns = new Map<string, StoredTurn[]>();
  const turnRows = await client.query<{ conversation_key: string; turn: StoredTurn }>(
    "select conversation_key, turn from turns order by conversation_key, seq",
  );
  for (const row of turnRows.rows) {
    let list = turns.get(row.conversation_key);
    if (!list) turns.set(row.conversation_key, (list = []));
    list.push(row.turn);
  }
  for (const row of conversations.rows) {
    const conversation: Conversation = {
      ...row.extra,
      key: row.key,
      scope: row.scope,
      userId: row.user_id,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      turns: turns.get(row.key) ?? [],
    };
    state.conversations.set(row.key, conversation);
  }
  for (const { record } of (
    await client.query<{ record: AnswerRecord }>("select record from answers order by id")
  ).rows) {
    state.answers.set(record.id, storedAnswer(record));
  }
  const guilds = await client.query<{ settings: GuildSettings }>(
    "select settings from guild_settings order by guild_id",
  );
  for (const { settings } of guilds.rows) state.guilds.set(settings.guildId, settings);
  for (const { post } of (
    await client.query<{ post: SummaryPost }>("select post from summary_posts order by key")
  ).rows) {
    state.summaryPosts.set(post.key, post);
  }
  for (const row of (
    await client.query<{ key: string; value: unknown }>("select key, value from meta order by key")
  ).rows) {
    state.meta.set(row.key, JSON.stringify(row.value));
  }
  return state;
}

/** The state as the file's JSON (what stateFromJson reads). */
function toJson(state: DbState): unknown {
  return {
    version: DB_VERSION,
    conversations: [...state.conversations.values()],
    answers: [...state.answers.values()].map(answerRecord),
    guilds: [...state.guilds.values()],
    summaryPosts: [...state.summaryPosts.values()],
    meta: [...state.meta].map(([key, value]) => ({ key, value: JSON.parse(value) })),
  };
}
