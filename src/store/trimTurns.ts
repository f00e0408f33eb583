// Retention for conversation history and the answer records beside it: it keeps the database, and
// so each whole-file rewrite, bounded.
import type { StoredTurn } from "./store.ts";

export interface Retention {
  /** Turns (and answer records) older than this are deleted. */
  maxAgeDays: number;
  /** Only the last this many turns of a conversation are kept (and the answer records of their exchanges). */
  maxTurnsPerConversation: number;
}

export const DEFAULT_RETENTION: Retention = { maxAgeDays: 30, maxTurnsPerConversation: 50 };

const DAY_MS = 24 * 60 * 60_000;

/**
 * Answer records kept per conversation: one record stands for one exchange of two turns (the question
 * and its answer), so a conversation keeps the records of the exchanges its history still holds.
 */
export function maxAnswersPerConversation(retention: Retention): number {
  return Math.ceil(retention.maxTurnsPerConversation / 2);
}

/** Times before this (ms since the epoch) are past the retention. */
export function retentionCutoff(retention: Retention, now: Date): number {
  return now.getTime() - retention.maxAgeDays * DAY_MS;
}

/** The turns to keep (oldest first, as stored); the same array when nothing goes. */
export function trimTurns(
  turns: readonly StoredTurn[],
  cutoff: number,
  maxTurns: number,
): readonly StoredTurn[] {
  let start = Math.max(0, turns.length - maxTurns);
  // Turns are in time order, so the old ones are all at the front.
  while (start < turns.length && isBefore((turns[start] as StoredTurn).at, cutoff)) start++;
  return start === 0 ? turns : turns.slice(start);
}

/** An unreadable time counts as recent: retention never deletes what it cannot date. */
export function isBefore(at: string, cutoff: number): boolean {
  return Date.parse(at) < cutoff;
}
