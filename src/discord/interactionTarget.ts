// An answer to /ask: shown by editing the deferred reply, long answers continued in follow-ups.
// The interaction token dies 15 minutes after the command; work that ends later (or finds the token
// dead) goes to the channel as an ordinary message instead.
import {
  type ChatInputCommandInteraction,
  DiscordAPIError,
  MessageFlags,
  RESTJSONErrorCodes,
} from "discord.js";
import type { AnswerTarget, OutgoingMessage, Posted } from "./answerQuestion.ts";
import { type BotContext, NO_MENTIONS } from "./command.ts";
import { neutraliseMentions } from "./sanitize.ts";
import { MESSAGE_LIMIT } from "./splitMessage.ts";

/** Errors that mean the interaction's webhook can no longer be used. */
const DEAD_TOKEN_CODES: ReadonlySet<unknown> = new Set([
  RESTJSONErrorCodes.InvalidWebhookToken,
  RESTJSONErrorCodes.UnknownWebhook,
  RESTJSONErrorCodes.UnknownInteraction,
  RESTJSONErrorCodes.UnknownMessage,
]);

export function isDeadToken(error: unknown): boolean {
  return error instanceof DiscordAPIError && DEAD_TOKEN_CODES.has(error.code);
}

const QUIET = { allowedMentions: NO_MENTIONS, flags: MessageFlags.SuppressEmbeds } as const;

export function interactionTarget(
  interaction: ChatInputCommandInteraction,
  ctx: BotContext,
  question: string,
  /** When the interaction arrived, by the core's clock. */
  receivedAt: number,
): AnswerTarget {
  const lifetime = ctx.timings.tokenLifetimeMs;
  // Stop using the token a little before it dies, so no request races its death.
  const margin = Math.min(30_000, lifetime / 10);
  let dead = false;
  /** Part of the final answer is shown: a later failure must not delete it. */
  let answerShown = false;
  const alive = () => !dead && ctx.core.clock().getTime() - receivedAt < lifetime - margin;

  async function viaToken<T>(request: () => Promise<T>): Promise<T | undefined> {
    if (!alive()) return undefined;
    try {
      return await request();
    } catch (error) {
      if (!isDeadToken(error)) throw error;
      dead = true;
      ctx.core.log.info(
        { interaction: interaction.id },
        "interaction token no longer valid; using the channel",
      );
      return undefined;
    }
  }

  /** Posts in the channel, naming the asker (without a ping) and their question. */
  async function viaChannel(messages: OutgoingMessage[]): Promise<Posted> {
    const channel = interaction.channel;
    if (!channel?.isSendable()) throw new Error("interaction token expired and the channel is unavailable");
    const header = `<@${interaction.user.id}> asked: ${neutraliseMentions(question)}`.slice(0, 300);
    const [first, ...rest] = messages;
    const combined = first && header.length + 2 + first.content.length <= MESSAGE_LIMIT;
    const queue = combined
      ? [{ ...first, content: `${header}\n\n${first.content}` }, ...rest]
      : [{ content: header, components: [] }, ...messages];
    let posted: Posted | undefined;
    for (const message of queue) {
      const sent = await channel.send({ ...message, ...QUIET });
      if (message.content !== header) posted ??= { messageId: sent.id, channelId: sent.channelId };
    }
    if (!posted) throw new Error("no answer message was posted");
    return posted;
  }

  return {
    async progress(content) {
      await viaToken(() => interaction.editReply({ content, ...QUIET }));
    },

    async deliver(messages) {
      const [first, ...rest] = messages;
      if (!first) throw new Error("nothing to deliver");
      const head = await viaToken(() => interaction.editReply({ ...first, ...QUIET }));
      if (!head) return viaChannel(messages);
      answerShown = true;
      for (const [i, message] of rest.entries()) {
        const sent = await viaToken(() => interaction.followUp({ ...message, ...QUIET }));
        if (!sent) {
          await viaChannel(rest.slice(i));
          break;
        }
      }
      return { messageId: head.id, channelId: head.channelId };
    },

    async fail(line) {
      // The deferred reply is public; the failure line is only for the asker.
      const done = await viaToken(async () => {
        if (!answerShown) await interaction.deleteReply().catch(() => undefined);
        await interaction.followUp({
          content: line,
          flags: MessageFlags.Ephemeral,
          allowedMentions: NO_MENTIONS,
        });
        return true;
      });
      if (done) return;
      const channel = interaction.channel;
      if (channel?.isSendable()) {
        await channel.send({ content: `<@${interaction.user.id}> ${line}`, ...QUIET });
      }
    },
  };
}
