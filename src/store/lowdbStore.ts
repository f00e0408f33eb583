// The Store on lowdb: one process, the whole database in memory, saved to `<dataDir>/db.json`.
// Reads come from memory through maps (O(1)); a mutation changes memory synchronously, in call order
// (the event loop is the serialised queue), and returns; the file is rewritten behind it by
// WriteBehind, coalescing bursts, so saving never sits on the answer path. A change is on disk within
// about a second (WriteBehind states the bound); when the disk is full the bot goes on answering from
// memory, db.json keeps its last good save, and close() says in one line what could not be saved.

import path from "node:path";
import { Low } from "lowdb";
import type { z } from "zod";
import { ensureDirectory } from "../ensureDirectory.ts";
import { fileErrorCause } from "../fileErrorCause.ts";
import type { Logger } from "../log.ts";
import { planArchive, writeArchive } from "./archiveOldRecords.ts";
import { DatabaseFile } from "./databaseFile.ts";
import { DatabaseTooLargeError, DEFAULT_MAX_DATABASE_BYTES, megabytes } from "./databaseSize.ts";
import {
  answerSchema,
  type Conversation,
  type DbState,
  emptyState,
  guildSettingsSchema,
  summaryPostSchema,
  turnSchema,
} from "./dbSchema.ts";
import { loadDatabase } from "./loadDatabase.ts";
import { rotateBackupsIfDue } from "./rotateBackups.ts";
import type {
  AnswerRecord,
  ConversationOwner,
  GuildSettings,
  GuildSettingsPatch,
  Store,
  StoredTurn,
  SummaryPost,
} from "./store.ts";
import { answerRecord, type StoredAnswer, storedAnswer } from "./storedAnswer.ts";
import { StoreOpenError, UnsavedChangesError } from "./storeErrors.ts";
import { acquireLock, type StoreLock } from "./storeLock.ts";
import {
  DEFAULT_RETENTION,
  isBefore,
  maxAnswersPerConversation,
  type Retention,
  retentionCutoff,
  trimTurns,
} from "./trimTurns.ts";
import type { AtomicWriteIo } from "./writeAtomically.ts";
import { WriteBehind } from "./writeBehind.ts";

export { StoreOpenError, UnsavedChangesError } from "./storeErrors.ts";
export { StoreLockedError } from "./storeLock.ts";
export { DEFAULT_RETENTION, type Retention } from "./trimTurns.ts";

export interface OpenStoreOptions {
  dataDir: string;
  log: Logger;
  clock: () => Date;
  retention?: Retention;
  /** How long a write waits for more mutations to join it. */
  writeDelayMs?: number;
  /** The file system calls that save db.json; tests play a full disk with them. */
  io?: AtomicWriteIo;
  /** db.json is never written larger than this (UTF-8 bytes); older records are archived instead. */
  maxFileBytes?: number;
}

/** The global retention sweep runs on open and then at most this often, just before a write. */
const SWEEP_INTERVAL_MS = 60 * 60_000;

export async function openStore(opts: OpenStoreOptions): Promise<Store> {
  const { maxAgeDays, maxTurnsPerConversation } = opts.retention ?? DEFAULT_RETENTION;
  if (!(maxAgeDays > 0) || !(Number.isInteger(maxTurnsPerConversation) && maxTurnsPerConversation > 0)) {
    throw new Error("Retention needs a positive number of days and a positive whole number of turns");
  }
  let lock: StoreLock;
  try {
    await ensureDirectory(opts.dataDir);
    lock = await acquireLock(opts.dataDir, opts.log);
  } catch (error) {
    throw asOpenError(opts.dataDir, error);
  }
  let store: LowdbStore | undefined;
  try {
    const file = path.join(opts.dataDir, "db.json");
    const db = new Low(
      new DatabaseFile(file, opts.io, opts.maxFileBytes ?? DEFAULT_MAX_DATABASE_BYTES),
      emptyState(),
    );
    // Reading and parsing db.json blocks the event loop for as long as it takes: up to about a second
    // at the size limit (see databaseSize). That is sound because the bot opens the store before it
    // connects to Discord's gateway: no heartbeat or interaction is waiting yet. The limit, not
    // streaming, is what bounds it.
    const outcome = await loadDatabase(db, file, opts.clock, opts.log);
    // Back up what just proved loadable, before anything changes it.
    if (outcome === "loaded") await rotateBackupsIfDue(file);
    store = new LowdbStore(db, file, lock, opts);
    // A recovered database is saved at once, so db.json is whole again before anything else happens.
    if (outcome === "recovered") await store.saveNow();
    opts.log.debug(
      { file, conversations: db.data.conversations.size, answers: db.data.answers.size },
      "database opened",
    );
    return store;
  } catch (error) {
    // Closing the store also releases the lock.
    await (store ? store.close() : lock.release()).catch(() => {});
    throw asOpenError(opts.dataDir, error);
  }
}

/** A full or read-only disk, or no permission, is said in one line; anything else stays as it is. */
function asOpenError(dir: string, error: unknown): unknown {
  // A data folder that cannot be made (a file in its path, /proc) is as much the operator's to fix.
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const badFolder = code === "ENOENT" || code === "ENOTDIR";
  return fileErrorCause(error) || badFolder ? new StoreOpenError(dir, error) : error;
}

class LowdbStore implements Store {
  readonly #db: Low<DbState>;
  readonly #file: string;
  readonly #lock: StoreLock;
  readonly #log: Logger;
  readonly #clock: () => Date;
  readonly #retention: Retention;
  readonly #writer: WriteBehind;
  readonly #dataDir: string;
  readonly #io: AtomicWriteIo | undefined;
  readonly #maxFileBytes: number;
  /** Discord message id → answer id. */
  readonly #answerByMessage = new Map<string, string>();
  /** Owner → keys of their conversations, so forget touches only theirs. */
  readonly #conversationsByOwner = new Map<string, Set<string>>();
  /** Conversation key → ids of its answer records, in the order they were first saved. */
  readonly #answersByConversation = new Map<string, Set<string>>();
  #lastSweep = 0;
  #closing: Promise<void> | undefined;

  constructor(db: Low<DbState>, file: string, lock: StoreLock, opts: OpenStoreOptions) {
    this.#db = db;
    this.#file = file;
    this.#lock = lock;
    this.#log = opts.log;
    this.#clock = opts.clock;
    this.#retention = opts.retention ?? DEFAULT_RETENTION;
    this.#dataDir = opts.dataDir;
    this.#io = opts.io;
    this.#maxFileBytes = opts.maxFileBytes ?? DEFAULT_MAX_DATABASE_BYTES;
    this.#writer = new WriteBehind(() => this.#save(), opts.log, {
      ...(opts.writeDelayMs !== undefined && { delayMs: opts.writeDelayMs }),
    });
    for (const conversation of db.data.conversations.values()) this.#indexConversation(conversation);
    for (const record of db.data.answers.values()) this.#indexAnswer(record);
    if (this.#sweep()) this.#writer.markDirty();
  }

  get #state(): DbState {
    return this.#db.data;
  }

  // Conversations

  async history(conversationKey: string, limit?: number): Promise<StoredTurn[]> {
    const turns = this.#state.conversations.get(conversationKey)?.turns ?? [];
    if (limit !== undefined && limit <= 0) return [];
    return (limit === undefined ? turns : turns.slice(-limit)).map((turn) => ({ ...turn }));
  }

  async appendTurns(conversationKey: string, owner: ConversationOwner, turns: StoredTurn[]): Promise<void> {
    this.#assertOpen();
    const accepted = turns.map((turn) => accept(turnSchema, turn) as StoredTurn);
    const existing = this.#state.conversations.get(conversationKey);
    if (existing && (existing.scope !== owner.scope || existing.userId !== owner.userId)) {
      // Keys must include the owner; refusing here keeps one user's history out of another's answers.
      throw new Error(`Conversation ${conversationKey} belongs to another user or server`);
    }
    const now = this.#clock();
    const kept = trimTurns(
      existing ? existing.turns.concat(accepted) : accepted,
      retentionCutoff(this.#retention, now),
      this.#retention.maxTurnsPerConversation,
    );
    if (kept.length === 0) {
      if (existing) this.#deleteConversation(existing);
    } else {
      const conversation: Conversation = {
        key: conversationKey,
        scope: owner.scope,
        userId: owner.userId,
        createdAt: existing?.createdAt ?? now.toISOString(),
        updatedAt: now.toISOString(),
        turns: kept,
      };
      this.#state.conversations.set(conversationKey, conversation);
      if (!existing) this.#indexConversation(conversation);
    }
    this.#writer.markDirty(accepted.length);
  }

  async forget(owner: ConversationOwner): Promise<number> {
    this.#assertOpen();
    const keys = [...(this.#conversationsByOwner.get(ownerKey(owner)) ?? [])];
    for (const key of keys) {
      const conversation = this.#state.conversations.get(key);
      if (conversation) this.#deleteConversation(conversation);
    }
    // The answer records hold the same questions, so they go too. Forgetting is rare: a scan is fine.
    let answers = 0;
    for (const record of this.#state.answers.values()) {
      if (record.scope === owner.scope && record.userId === owner.userId) {
        this.#deleteAnswer(record);
        answers++;
      }
    }
    if (keys.length || answers) this.#writer.markDirty();
    return keys.length;
  }

  // Answers

  async saveAnswer(record: AnswerRecord): Promise<void> {
    this.#assertOpen();
    this.#putAnswer(storedAnswer(accept(answerSchema, record) as AnswerRecord));
  }

  async getAnswer(id: string): Promise<AnswerRecord | undefined> {
    const stored = this.#state.answers.get(id);
    return stored && answerRecord(stored);
  }

  async findAnswerByMessage(messageId: string): Promise<AnswerRecord | undefined> {
    const id = this.#answerByMessage.get(messageId);
    return id === undefined ? undefined : this.getAnswer(id);
  }

  async updateAnswer(
    id: string,
    patch: Partial<Pick<AnswerRecord, "messageId" | "channelId">>,
  ): Promise<void> {
    this.#assertOpen();
    const stored = this.#state.answers.get(id);
    // The record may have been pruned by retention or forgotten meanwhile: nothing left to update.
    if (!stored) return;
    // The stored record was accepted when saved; only the patch is new. Checking it alone keeps the
    // second write of every answer (where it was posted) off the schema's walk of the whole record.
    const patched = { ...answerRecord(stored), ...(accept(answerPatchSchema, patch) as typeof patch) };
    this.#putAnswer(storedAnswer(patched));
  }

  async setFeedback(answerId: string, userId: string, value: 1 | -1): Promise<void> {
    this.#assertOpen();
    const stored = this.#state.answers.get(answerId);
    if (!stored) return;
    const record = answerRecord(stored);
    const feedback = { ...record.feedback, [userId]: value };
    this.#putAnswer(storedAnswer(accept(answerSchema, { ...record, feedback }) as AnswerRecord));
  }

  // Guild settings

  async guildSettings(guildId: string): Promise<GuildSettings | undefined> {
    const settings = this.#state.guilds.get(guildId);
    return settings && structuredClone(settings);
  }

  async allGuildSettings(): Promise<GuildSettings[]> {
    return [...this.#state.guilds.values()].map((settings) => structuredClone(settings));
  }

  async updateGuildSettings(guildId: string, patch: GuildSettingsPatch): Promise<GuildSettings> {
    this.#assertOpen();
    // JSON drops the fields the patch sets to undefined: that is how a setting is removed.
    const merged = { ...this.#state.guilds.get(guildId), ...patch, guildId };
    const settings = accept(guildSettingsSchema, merged) as GuildSettings;
    this.#state.guilds.set(guildId, settings);
    this.#writer.markDirty();
    return structuredClone(settings);
  }

  // Summary posts

  async summaryPost(key: string): Promise<SummaryPost | undefined> {
    const post = this.#state.summaryPosts.get(key);
    return post && { ...post };
  }

  async claimSummaryPost(post: SummaryPost): Promise<boolean> {
    this.#assertOpen();
    if (this.#state.summaryPosts.has(post.key)) return false;
    this.#state.summaryPosts.set(post.key, accept(summaryPostSchema, post) as SummaryPost);
    this.#writer.markDirty();
    return true;
  }

  async recordSummaryPost(key: string, messageId: string, postedAt: string): Promise<void> {
    this.#assertOpen();
    let claim = this.#state.summaryPosts.get(key);
    if (!claim) {
      // The post went out, so it must be remembered even without its claim, or it could go out twice.
      const [guildId = "", channelId = "", localDate = ""] = key.split(":");
      claim = { key, guildId, channelId, localDate, claimedAt: postedAt };
      this.#log.warn({ key }, "Recording a summary post that had no claim");
    }
    this.#state.summaryPosts.set(
      key,
      accept(summaryPostSchema, { ...claim, messageId, postedAt }) as SummaryPost,
    );
    this.#writer.markDirty();
  }

  async releaseSummaryPost(key: string): Promise<void> {
    this.#assertOpen();
    const claim = this.#state.summaryPosts.get(key);
    if (!claim || claim.messageId !== undefined) return;
    this.#state.summaryPosts.delete(key);
    this.#writer.markDirty();
  }

  async lastSummaryPost(guildId: string, channelId: string): Promise<SummaryPost | undefined> {
    // About one post per channel a day: a scan stays small.
    let latest: SummaryPost | undefined;
    for (const post of this.#state.summaryPosts.values()) {
      if (post.guildId !== guildId || post.channelId !== channelId || post.postedAt === undefined) continue;
      if (!latest || Date.parse(post.postedAt) > Date.parse(latest.postedAt as string)) latest = post;
    }
    return latest && { ...latest };
  }

  // Meta

  async getMeta<T>(key: string): Promise<T | undefined> {
    const value = this.#state.meta.get(key);
    return value === undefined ? undefined : (JSON.parse(value) as T);
  }

  async setMeta<T>(key: string, value: T): Promise<void> {
    this.#assertOpen();
    const json = JSON.stringify(value) as string | undefined;
    if (json === undefined) this.#state.meta.delete(key);
    else this.#state.meta.set(key, json);
    this.#writer.markDirty();
  }

  async takeAllowance(key: string, day: string, limit: number): Promise<boolean> {
    this.#assertOpen();
    // Read and written synchronously, with no await in between: atomic in this one process.
    const json = this.#state.meta.get(key);
    const stored = json === undefined ? undefined : (JSON.parse(json) as { day?: unknown; used?: unknown });
    const used = stored?.day === day && typeof stored.used === "number" ? stored.used : 0;
    if (used >= limit) return false;
    this.#state.meta.set(key, JSON.stringify({ day, used: used + 1 }));
    this.#writer.markDirty();
    return true;
  }

  // Lifecycle

  flush(): Promise<void> {
    return this.#writer.flush();
  }

  saveNow(): Promise<void> {
    this.#writer.markDirty();
    return this.#writer.flush();
  }

  close(): Promise<void> {
    this.#closing ??= (async () => {
      try {
        await this.#writer.flush();
      } catch (error) {
        // One line for the operator: what is lost and why (db.json still holds the last good save).
        throw new UnsavedChangesError(this.#file, this.#writer.unsaved(), error);
      } finally {
        this.#writer.stop();
        await this.#lock.release();
      }
    })();
    return this.#closing;
  }

  // Internals

  async #save(): Promise<void> {
    if (this.#clock().getTime() - this.#lastSweep >= SWEEP_INTERVAL_MS) this.#sweep();
    try {
      await this.#db.write();
    } catch (error) {
      if (!(error instanceof DatabaseTooLargeError)) throw error;
      // db.json is as it was; the oldest records move to an archive, and the smaller rest is saved.
      await this.#archiveOldest();
      await this.#db.write();
    }
    try {
      await rotateBackupsIfDue(this.#file);
    } catch (error) {
      this.#log.warn({ err: error }, "Could not rotate the database backups");
    }
  }

  /**
   * Moves the oldest conversations and answer records out to an archive until db.json is at half its
   * limit, so this happens rarely, not on every save near the limit.
   */
  async #archiveOldest(): Promise<void> {
    const plan = await planArchive(this.#state, this.#maxFileBytes / 2);
    if (plan.conversations.length === 0 && plan.answers.length === 0) return;
    const dirs = await writeArchive(this.#dataDir, plan, this.#clock(), this.#io, this.#maxFileBytes);
    // Only records unchanged since they were measured leave: one changed meanwhile (a new turn, a
    // vote) stays in db.json too, so nothing newer than the archive is ever lost.
    let conversations = 0;
    let answers = 0;
    for (const conversation of plan.conversations) {
      if (this.#state.conversations.get(conversation.key) !== conversation) continue;
      this.#deleteConversation(conversation);
      conversations++;
    }
    for (const record of plan.answers) {
      if (this.#state.answers.get(record.id) !== record) continue;
      this.#deleteAnswer(record);
      answers++;
    }
    this.#log.warn(
      { file: this.#file, archive: dirs, conversations, answers, limitBytes: this.#maxFileBytes },
      `${this.#file} would pass its ${megabytes(this.#maxFileBytes)} limit: moved the ${conversations} oldest conversations and ${answers} oldest answer records to ${dirs.join(", ")} (a database of its own: \`storybot db import --data-dir\` it, then DATA_DIR, to bring both into PostgreSQL); switch to PostgreSQL to keep everything live`,
    );
  }

  /** Applies retention to everything; true when something was deleted. */
  #sweep(): boolean {
    const now = this.#clock();
    this.#lastSweep = now.getTime();
    const cutoff = retentionCutoff(this.#retention, now);
    let changed = false;
    for (const conversation of this.#state.conversations.values()) {
      const kept = trimTurns(conversation.turns, cutoff, this.#retention.maxTurnsPerConversation);
      if (kept === conversation.turns) continue;
      changed = true;
      if (kept.length === 0) this.#deleteConversation(conversation);
      else this.#state.conversations.set(conversation.key, { ...conversation, turns: kept });
    }
    for (const record of this.#state.answers.values()) {
      if (isBefore(record.at, cutoff)) {
        this.#deleteAnswer(record);
        changed = true;
      }
    }
    for (const key of [...this.#answersByConversation.keys()]) {
      if (this.#trimAnswers(key)) changed = true;
    }
    if (changed) this.#log.debug("retention applied to the database");
    return changed;
  }

  #indexConversation(conversation: Conversation): void {
    const owner = ownerKey(conversation);
    let keys = this.#conversationsByOwner.get(owner);
    if (!keys) this.#conversationsByOwner.set(owner, (keys = new Set()));
    keys.add(conversation.key);
  }

  #deleteConversation(conversation: Conversation): void {
    this.#state.conversations.delete(conversation.key);
    const owner = ownerKey(conversation);
    const keys = this.#conversationsByOwner.get(owner);
    keys?.delete(conversation.key);
    if (keys?.size === 0) this.#conversationsByOwner.delete(owner);
  }

  #putAnswer(record: StoredAnswer): void {
    const previous = this.#state.answers.get(record.id);
    if (previous?.messageId && previous.messageId !== record.messageId) {
      this.#answerByMessage.delete(previous.messageId);
    }
    if (previous && previous.conversationKey !== record.conversationKey) this.#deleteAnswer(previous);
    this.#state.answers.set(record.id, record);
    this.#indexAnswer(record);
    this.#trimAnswers(record.conversationKey);
    this.#writer.markDirty();
  }

  #indexAnswer(record: StoredAnswer): void {
    if (record.messageId) this.#answerByMessage.set(record.messageId, record.id);
    let ids = this.#answersByConversation.get(record.conversationKey);
    if (!ids) this.#answersByConversation.set(record.conversationKey, (ids = new Set()));
    ids.add(record.id);
  }

  /**
   * Keeps the answer records of a conversation to the exchanges its history can hold (the retention's
   * turns, two per exchange), dropping the oldest; true when some went. Without this, records would
   * only age out, and a busy bot could gather more of them in the retention days than one file holds.
   */
  #trimAnswers(conversationKey: string): boolean {
    const ids = this.#answersByConversation.get(conversationKey);
    const keep = maxAnswersPerConversation(this.#retention);
    if (!ids || ids.size <= keep) return false;
    const records = [...ids]
      .map((id) => this.#state.answers.get(id))
      .filter((record): record is StoredAnswer => record !== undefined);
    // Oldest first by time (stable, so saving order breaks ties); an unreadable time counts as recent.
    const time = (record: StoredAnswer) => {
      const ms = Date.parse(record.at);
      return Number.isNaN(ms) ? Number.POSITIVE_INFINITY : ms;
    };
    records.sort((a, b) => time(a) - time(b));
    for (const record of records.slice(0, Math.max(0, records.length - keep))) this.#deleteAnswer(record);
    return true;
  }

  #deleteAnswer(record: StoredAnswer): void {
    this.#state.answers.delete(record.id);
    if (record.messageId && this.#answerByMessage.get(record.messageId) === record.id) {
      this.#answerByMessage.delete(record.messageId);
    }
    const ids = this.#answersByConversation.get(record.conversationKey);
    ids?.delete(record.id);
    if (ids?.size === 0) this.#answersByConversation.delete(record.conversationKey);
  }

  #assertOpen(): void {
    if (this.#closing) throw new Error("The store is closed");
  }
}

function ownerKey(owner: ConversationOwner): string {
  // JSON keeps any pair of strings apart, whatever characters they hold.
  return JSON.stringify([owner.scope, owner.userId]);
}

/**
 * A private copy of a caller's record, exactly as it will read back from the file: a JSON round trip
 * (dropping undefined fields), then the file's schema, so nothing unloadable is ever written.
 */
const answerPatchSchema = answerSchema.pick({ messageId: true, channelId: true });

function accept(schema: z.ZodType, value: unknown): unknown {
  return schema.parse(JSON.parse(JSON.stringify(value)));
}
