// Which conversation a question continues. Every key names its user, so history never crosses users;
// channel keys name the scope (guild id or "dm"), thread and message ids are unique across Discord.
import type { AnswerRecord, ConversationOwner, Store } from "../store/store.ts";
import type { Turn } from "../types.ts";

/** How long questions in a channel by the same user count as one conversation. */
export const CHANNEL_WINDOW_MS = 30 * 60_000;
/** Turns of history sent with a question. */
export const HISTORY_TURNS = 12;

export interface Conversation {
  key: string;
  owner: ConversationOwner;
  /** Only turns younger than this are used (channel conversations). */
  windowMs?: number;
  /** A thread started on one of the bot's answers: the answer it continues, when it is the asker's own. */
  starter?: AnswerRecord;
}

/** "dm" outside servers, else the guild id: the boundary history never crosses. */
export function scopeOf(guildId: string | null | undefined): string {
  return guildId ?? "dm";
}

/** Questions by one user in one channel: one conversation while they follow each other within 30 minutes. */
export function channelConversation(owner: ConversationOwner, channelId: string): Conversation {
  return { key: `chan:${owner.scope}:${channelId}:${owner.userId}`, owner, windowMs: CHANNEL_WINDOW_MS };
}

/** Questions by one user in a thread; `starter` is the bot's answer the thread was started on, if any. */
export function threadConversation(
  owner: ConversationOwner,
  threadId: string,
  starter: AnswerRecord | undefined,
): Conversation {
  const conversation: Conversation = { key: `thread:${threadId}:${owner.userId}`, owner };
  if (starter && ownedBy(starter, owner)) conversation.starter = starter;
  return conversation;
}

/**
 * A reply to one of the bot's answers continues that answer's conversation when it is the asker's
 * own (however old); a reply to someone else's answer starts the replier's own conversation.
 */
export function replyConversation(
  owner: ConversationOwner,
  repliedMessageId: string,
  repliedAnswer: AnswerRecord | undefined,
): Conversation {
  if (repliedAnswer && ownedBy(repliedAnswer, owner)) return { key: repliedAnswer.conversationKey, owner };
  return { key: `reply:${repliedMessageId}:${owner.userId}`, owner };
}

function ownedBy(record: AnswerRecord, owner: ConversationOwner): boolean {
  return record.userId === owner.userId && record.scope === owner.scope;
}

/** The history to send with the next question of `conversation`, oldest first. */
export async function loadHistory(store: Store, conversation: Conversation, now: Date): Promise<Turn[]> {
  const stored = await store.history(conversation.key, HISTORY_TURNS);
  const since = conversation.windowMs === undefined ? undefined : now.getTime() - conversation.windowMs;
  const turns: Turn[] = stored
    .filter((turn) => since === undefined || Date.parse(turn.at) >= since)
    .map(({ role, content }) => ({ role, content }));
  if (!conversation.starter) return turns;
  const { question, answer } = conversation.starter;
  const opening: Turn[] = [
    { role: "user", content: question },
    { role: "assistant", content: answer },
  ];
  return [...opening, ...turns].slice(-HISTORY_TURNS);
}
