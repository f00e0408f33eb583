// Which conversation a question continues. Every key names its user, so history never crosses users;
// channel keys name the scope (guild id or "dm"), thread and message ids are unique across Discord.
import type { Conversation } from "../answer/converse.ts";
import type { AnswerRecord, ConversationOwner } from "../store/store.ts";

export type { Conversation };

/** How long questions in a channel by the same user count as one conversation. */
export const CHANNEL_WINDOW_MS = 30 * 60_000;

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
