// One turn of a remembered conversation, whatever the surface (CLI session, Discord channel, thread):
// load its history, answer, show, and only then remember both sides.

import type { CoreDeps } from "../coreDeps.ts";
import type { AnswerRecord, ConversationOwner, Store } from "../store/store.ts";
import type { AnswerResult, Turn } from "../types.ts";
import { type AskInput, answer } from "./answer.ts";

/** Turns of history sent with a question (the model and the follow-up rewrite). */
export const HISTORY_TURNS = 12;

export interface Conversation {
  key: string;
  owner: ConversationOwner;
  /** Only turns younger than this are used (channel conversations fade). */
  windowMs?: number;
  /** A thread started on one of the bot's answers: the answer it continues, when it is the asker's own. */
  starter?: AnswerRecord;
}

export interface ConverseInput extends Omit<AskInput, "history"> {
  conversation: Conversation;
  /**
   * Shows the answer. The turn is remembered only once shown, so history never holds an answer
   * nobody saw; when `show` throws, nothing is saved and the error reaches the caller.
   */
  show?: (result: AnswerResult) => Promise<void> | void;
}

export async function converse(deps: CoreDeps, input: ConverseInput): Promise<AnswerResult> {
  const { conversation, show, ...ask } = input;
  const history = await loadHistory(deps.store, conversation, deps.clock());
  const result = await answer(deps, { ...ask, history });
  await show?.(result);
  const at = deps.clock().toISOString();
  await deps.store.appendTurns(conversation.key, conversation.owner, [
    { role: "user", content: result.question, at },
    { role: "assistant", content: result.answer, at },
  ]);
  return result;
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
