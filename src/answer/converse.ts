// One turn of a remembered conversation: load its history, answer, save both sides.
import type { ConversationOwner } from "../store/store.ts";
import type { AnswerResult, CoreDeps } from "../types.ts";
import { type AskInput, answer } from "./answer.ts";

/** Turns of history given to the model and the follow-up rewrite. */
export const HISTORY_TURNS = 10;

export interface ConverseInput extends Omit<AskInput, "history"> {
  conversationKey: string;
  owner: ConversationOwner;
  /** Only turns newer than this count as context (a channel conversation fades after a while). */
  since?: Date;
}

export async function converse(deps: CoreDeps, input: ConverseInput): Promise<AnswerResult> {
  const stored = await deps.store.history(input.conversationKey, HISTORY_TURNS);
  const since = input.since?.toISOString();
  const history = stored
    .filter((t) => !since || t.at >= since)
    .map(({ role, content }) => ({ role, content }));
  const { conversationKey, owner, since: _since, ...ask } = input;
  const result = await answer(deps, { ...ask, history });
  const at = deps.clock().toISOString();
  await deps.store.appendTurns(conversationKey, owner, [
    { role: "user", content: result.question, at },
    { role: "assistant", content: result.answer, at },
  ]);
  return result;
}
