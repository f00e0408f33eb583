// An answer to a channel message: a reply, shown while typing, edited as the answer streams, long
// answers continued in plain messages after it.
import { type Message, MessageFlags, type SendableChannels } from "discord.js";
import type { AnswerTarget, Posted } from "./answerQuestion.ts";
import { NO_MENTIONS } from "./command.ts";

const QUIET = { allowedMentions: NO_MENTIONS, flags: MessageFlags.SuppressEmbeds } as const;
/** Discord shows "typing…" for 10 s after each signal. */
const TYPING_EVERY_MS = 8_000;

export interface MessageTarget extends AnswerTarget {
  /** The first message of the answer once posted (a thread can be started on it). */
  readonly reply: Message | undefined;
  /** Stops the typing indicator. */
  close(): void;
}

export function messageTarget(
  question: Message,
  channel: SendableChannels,
  onError: (error: unknown) => void,
): MessageTarget {
  let reply: Message | undefined;
  /** Part of the final answer is shown: a later failure must not overwrite it. */
  let answerShown = false;
  const typing = () => void channel.sendTyping().catch(onError);
  typing();
  let typingTimer: ReturnType<typeof setInterval> | undefined = setInterval(typing, TYPING_EVERY_MS);
  const stopTyping = () => {
    if (typingTimer) clearInterval(typingTimer);
    typingTimer = undefined;
  };

  /** discord.js drops a deleted channel from its cache; say so rather than fail obscurely inside it. */
  const channelExists = () => {
    if (!question.client.channels.cache.has(channel.id)) {
      throw new Error(`channel ${channel.id} is gone (deleted, or the bot lost access)`);
    }
  };

  const target: MessageTarget = {
    get reply() {
      return reply;
    },
    close: stopTyping,

    async progress(content) {
      stopTyping();
      channelExists();
      reply = reply
        ? await reply.edit({ content, ...QUIET })
        : await question.reply({ content, failIfNotExists: false, ...QUIET });
    },

    async deliver(messages): Promise<Posted> {
      stopTyping();
      channelExists();
      const [first, ...rest] = messages;
      if (!first) throw new Error("nothing to deliver");
      reply = reply
        ? await reply.edit({ ...first, ...QUIET })
        : await question.reply({ ...first, failIfNotExists: false, ...QUIET });
      answerShown = true;
      for (const message of rest) await channel.send({ ...message, ...QUIET });
      return { messageId: reply.id, channelId: reply.channelId };
    },

    async fail(line) {
      stopTyping();
      channelExists();
      if (reply && !answerShown) await reply.edit({ content: line, components: [], ...QUIET });
      else await question.reply({ content: line, failIfNotExists: false, ...QUIET });
    },
  };
  return target;
}
