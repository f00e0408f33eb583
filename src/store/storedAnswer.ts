// An answer record as the lowdb store keeps it in memory: its JSON text (exactly what db.json holds
// for it) beside the few fields the store looks records up by. A record as objects is dozens of heap
// objects (citations, quotes, feedback), and every major garbage collection walks them all: at 100,000
// stored messages that is most of the heap. A string is one object the collector marks without
// looking inside, so the records cost the collector next to nothing, and saving writes the text as is.
import type { AnswerRecord } from "./store.ts";

export interface StoredAnswer {
  readonly id: string;
  readonly conversationKey: string;
  readonly scope: string;
  readonly userId: string;
  readonly at: string;
  readonly messageId?: string;
  /** The whole record as JSON; entries are replaced, never changed, so this is always the record. */
  readonly json: string;
}

/** The record as it is kept; `record` must already be what the file's schema accepts. */
export function storedAnswer(record: AnswerRecord): StoredAnswer {
  const { id, conversationKey, scope, userId, at, messageId } = record;
  return {
    id,
    conversationKey,
    scope,
    userId,
    at,
    ...(messageId !== undefined && { messageId }),
    json: JSON.stringify(record),
  };
}

/** A fresh copy of the record: nothing the caller does to it reaches the store. */
export function answerRecord(stored: StoredAnswer): AnswerRecord {
  return JSON.parse(stored.json) as AnswerRecord;
}
