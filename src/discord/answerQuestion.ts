// One question answered on Discord, whatever the surface (/ask or a channel message): history in,
// streamed progress out (throttled edits), the final checked answer with its buttons, then the turn
// and the answer record saved. Where the messages go is the target's business.
import { randomUUID } from "node:crypto";
import type { ActionRowBuilder, ButtonBuilder } from "discord.js";
import { converse } from "../answer/converse.ts";
import { UserError, userMessage } from "../errors.ts";
import type { AnswerResult } from "../types.ts";
import { acknowledgementsFirst } from "./acknowledgementsFirst.ts";
import { answerButtons } from "./answerButtons.ts";
import type { BotContext } from "./command.ts";
import type { Conversation } from "./conversation.ts";
import { articleUrls, renderAnswer, renderProgress } from "./formatAnswer.ts";
import { createThrottle } from "./throttle.ts";

export interface OutgoingMessage {
  content: string;
  components: ActionRowBuilder<ButtonBuilder>[];
}

export interface Posted {
  messageId: string;
  channelId: string;
}

/** Where one answer is shown. */
export interface AnswerTarget {
  /** Shows the answer so far (one message, within limits). */
  progress(content: string): Promise<void>;
  /** Posts the final messages in order; returns where the first landed (the answer's anchor). */
  deliver(messages: OutgoingMessage[]): Promise<Posted>;
  /** Shows a short line instead of an answer. */
  fail(line: string): Promise<void>;
}

export const SHUTDOWN_LINE =
  "The bot is restarting, so this question was not answered. Please ask again in a moment.";

export interface QuestionInput {
  question: string;
  conversation: Conversation;
  target: AnswerTarget;
}

/** Answers, shows and records one question. Never throws: failures are logged and shown as a short line. */
export async function answerQuestion(ctx: BotContext, input: QuestionInput): Promise<Posted | undefined> {
  const { core } = ctx;
  const { question, conversation, target } = input;
  const log = core.log.child({ conversation: conversation.key });
  const allowedUrls = articleUrls(core.retriever);
  // The answer so far is worked out (checked) only when an edit is due, from the text at the last
  // sentence or marker end, and not sent again when nothing new may be shown.
  let shown = "";
  const progress = createThrottle(
    (visible: () => string) => {
      const text = visible();
      if (text === shown) return undefined;
      shown = text;
      return target.progress(renderProgress(text, allowedUrls));
    },
    ctx.timings.editIntervalMs,
    (error) => log.warn({ err: error }, "could not show the answer so far"),
  );

  let posted: Posted | undefined;
  // Shows the final answer: the record exists before its buttons can be clicked.
  const show = async (result: AnswerResult) => {
    await progress.close();
    const answerId = randomUUID();
    const contents = renderAnswer(result, allowedUrls);
    const buttons = answerButtons(answerId, result.citations.length > 0);
    const messages = contents.map((content, i) => ({
      content,
      components: i === contents.length - 1 ? [buttons] : [],
    }));
    const { owner } = conversation;
    const saved = await attempt(log, "could not save the answer", () =>
      core.store.saveAnswer({
        id: answerId,
        conversationKey: conversation.key,
        scope: owner.scope,
        userId: owner.userId,
        question: result.question,
        answer: result.answer,
        citations: result.citations,
        mode: result.mode,
        ...(result.notice ? { notice: result.notice } : {}),
        at: core.clock().toISOString(),
        feedback: {},
      }),
    );
    try {
      posted = await target.deliver(messages);
    } catch (error) {
      throw new DeliveryError(error);
    }
    if (saved) {
      const where = posted;
      await attempt(log, "could not save the answer", () => core.store.updateAnswer(answerId, where));
    }
    log.debug({ answerId, mode: result.mode, citations: result.citations.length }, "answered");
  };

  try {
    // The answer's first stretch of work (history, search, the reader's verdict) runs without a break
    // once started: other interactions' deferrals go first.
    await acknowledgementsFirst();
    await converse(core, {
      question,
      conversation,
      onProgress: (visible) => progress.push(visible),
      signal: ctx.shutdown,
      scope: conversation.owner.scope,
      show,
    });
  } catch (error) {
    await progress.close();
    // Shown but not remembered: the user has the answer; only the history is short of one turn.
    if (posted) {
      log.error({ err: error }, "could not save the conversation");
      return posted;
    }
    if (error instanceof DeliveryError) {
      log.error({ err: error.cause }, "could not post the answer");
      await showFailure(target, userMessage(error.cause), log);
      return undefined;
    }
    const line = ctx.shutdown.aborted ? SHUTDOWN_LINE : userMessage(error);
    if (error instanceof UserError) log.info({ reason: error.message }, "question refused");
    else if (!ctx.shutdown.aborted) log.error({ err: error }, "answering failed");
    await showFailure(target, line, log);
    return undefined;
  }
  return posted;
}

/** Posting the answer failed: told apart from answering failures, which get another line. */
class DeliveryError extends Error {
  constructor(cause: unknown) {
    super("could not post the answer", { cause });
  }
}

/** Runs a store write; a failure is logged and reported as false, never thrown at the user. */
async function attempt(
  log: BotContext["core"]["log"],
  what: string,
  write: () => Promise<void>,
): Promise<boolean> {
  try {
    await write();
    return true;
  } catch (error) {
    log.error({ err: error }, what);
    return false;
  }
}

async function showFailure(
  target: AnswerTarget,
  line: string,
  log: BotContext["core"]["log"],
): Promise<void> {
  try {
    await target.fail(line);
  } catch (error) {
    log.warn({ err: error }, "could not tell the user about the failure");
  }
}
