// Channel questions. A message is a question when it mentions the bot, replies to one of the bot's
// messages, is posted in a thread the bot started, in a question channel, or in a DM.
//
// Reading message text needs the privileged Message Content intent. Without it Discord still
// delivers the text of messages that mention the bot (and of DMs), so mentions keep working; other
// messages arrive empty and are ignored.
import { ChannelType, type Message, ThreadAutoArchiveDuration } from "discord.js";
import { answerQuestion } from "./answerQuestion.ts";
import { type BotContext, NO_MENTIONS } from "./command.ts";
import {
  type Conversation,
  channelConversation,
  replyConversation,
  scopeOf,
  threadConversation,
} from "./conversation.ts";
import { messageTarget } from "./messageTarget.ts";
import { rateLimitMessage } from "./rateLimit.ts";
import { neutraliseMentions } from "./sanitize.ts";

const HINT = "Ask me anything about the story: mention me with your question, or use /ask.";

interface Trigger {
  conversation: Conversation;
  /** A mention in an ordinary channel: the conversation moves to a thread on the answer. */
  startThread: boolean;
  mentioned: boolean;
}

export async function handleMessage(message: Message, ctx: BotContext): Promise<void> {
  if (message.author.bot || message.system || message.webhookId) return;
  const channel = message.channel;
  if (!channel.isSendable()) return;
  const trigger = await questionTrigger(message, ctx);
  if (!trigger) return;

  const question = stripBotMention(message);
  if (!question) {
    if (trigger.mentioned)
      await message.reply({ content: HINT, allowedMentions: NO_MENTIONS, failIfNotExists: false });
    return;
  }
  const wait = ctx.rateLimiter.take(message.author.id);
  if (wait > 0) {
    // One short notice per window; later refused questions are dropped without a word (no reply, no
    // thread), so a flood of mentions cannot turn into a flood of the bot's own messages.
    if (ctx.rateLimiter.noticeDue(message.author.id)) {
      await message.reply({
        content: rateLimitMessage(wait),
        allowedMentions: NO_MENTIONS,
        failIfNotExists: false,
      });
    } else {
      ctx.core.log.debug({ user: message.author.id, waitMs: wait }, "rate-limited question dropped silently");
    }
    return;
  }

  const log = ctx.core.log;
  const target = messageTarget(message, channel, (error) =>
    log.debug({ err: error }, "typing indicator failed"),
  );
  try {
    const posted = await answerQuestion(ctx, { question, conversation: trigger.conversation, target });
    if (posted && trigger.startThread && target.reply) await startThread(target.reply, question, ctx);
  } finally {
    target.close();
  }
}

/** Why this message is a question, and which conversation it continues; undefined when it is not one. */
async function questionTrigger(message: Message, ctx: BotContext): Promise<Trigger | undefined> {
  const me = message.client.user;
  const owner = { scope: scopeOf(message.guildId), userId: message.author.id };
  const mentioned = mentionsBot(message);
  const { channel } = message;

  const repliedId = message.reference?.messageId;
  if (repliedId && message.reference?.channelId === message.channelId) {
    const replied = await ctx.core.store.findAnswerByMessage(repliedId);
    if (replied || message.mentions.repliedUser?.id === me.id) {
      return { conversation: replyConversation(owner, repliedId, replied), startThread: false, mentioned };
    }
  }
  if (channel.isThread() && channel.ownerId === me.id) {
    const starter = await ctx.core.store.findAnswerByMessage(channel.id);
    return { conversation: threadConversation(owner, channel.id, starter), startThread: false, mentioned };
  }
  const inQuestionChannel = channel.isDMBased() || (await isQuestionChannel(message, ctx));
  if (!mentioned && !inQuestionChannel) return undefined;
  const conversation = channel.isThread()
    ? threadConversation(owner, channel.id, undefined)
    : channelConversation(owner, message.channelId);
  const ordinaryChannel =
    channel.type === ChannelType.GuildText || channel.type === ChannelType.GuildAnnouncement;
  return { conversation, startThread: mentioned && ordinaryChannel && !inQuestionChannel, mentioned };
}

/** An explicit mention of the bot or of its own role; @everyone and reply pings don't count. */
function mentionsBot(message: Message): boolean {
  const me = message.client.user;
  if (message.mentions.users.has(me.id) && new RegExp(`<@!?${me.id}>`).test(message.content)) return true;
  const botRole = message.guild?.members.me?.roles.botRole;
  return botRole !== undefined && botRole !== null && message.mentions.roles.has(botRole.id);
}

async function isQuestionChannel(message: Message, ctx: BotContext): Promise<boolean> {
  if (ctx.core.config.ASK_CHANNEL_IDS.includes(message.channelId)) return true;
  if (!message.guildId) return false;
  const settings = await ctx.core.store.guildSettings(message.guildId);
  return settings?.askChannelIds?.includes(message.channelId) ?? false;
}

/** The message text without the bot's own mention(s). */
function stripBotMention(message: Message): string {
  const me = message.client.user;
  const botRole = message.guild?.members.me?.roles.botRole;
  let text = message.content.replace(new RegExp(`<@!?${me.id}>`, "g"), " ");
  if (botRole) text = text.replaceAll(`<@&${botRole.id}>`, " ");
  return text.trim();
}

/** Moves the conversation to a thread on the answer; without the permission the channel reply stands. */
async function startThread(answer: Message, question: string, ctx: BotContext): Promise<void> {
  const name = neutraliseMentions(question.replace(/\s+/g, " ")).slice(0, 95) || "Question";
  try {
    await answer.startThread({ name, autoArchiveDuration: ThreadAutoArchiveDuration.OneDay });
  } catch (error) {
    ctx.core.log.info(
      { err: error, channel: answer.channelId },
      "could not start a thread for the conversation",
    );
  }
}
