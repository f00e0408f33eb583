// /ask question:<text> — a cited answer, streamed into the deferred reply.
import { SlashCommandBuilder } from "discord.js";
import { MAX_QUESTION_CHARS } from "../src/answer/validateQuestion.ts";
import { answerQuestion } from "../src/discord/answerQuestion.ts";
import { type Command } from "../src/discord/command.ts";
import { channelConversation, scopeOf, threadConversation } from "../src/discord/conversation.ts";
import { interactionTarget } from "../src/discord/interactionTarget.ts";
import { refuseIfRateLimited } from "../src/discord/rateLimit.ts";

export default {
  data: new SlashCommandBuilder()
    .setName("ask")
    .setDescription("Ask a question about the story; the answer cites its sources")
    .addStringOption((option) =>
      option
        .setName("question")
        .setDescription("Your question")
        .setRequired(true)
        .setMaxLength(MAX_QUESTION_CHARS),
    ),

  async execute(interaction, ctx) {
    const receivedAt = ctx.core.clock().getTime();
    // Discord wants an acknowledgement within 3 s: the first request is the reply (an immediate
    // refusal, checked synchronously, or the deferral), before anything else is awaited.
    if (await refuseIfRateLimited(interaction, ctx.rateLimiter)) return;
    await interaction.deferReply();

    const question = interaction.options.getString("question", true);
    const owner = { scope: scopeOf(interaction.guildId), userId: interaction.user.id };
    const channel = interaction.channel;
    const conversation = channel?.isThread()
      ? threadConversation(owner, channel.id, await ctx.core.store.findAnswerByMessage(channel.id))
      : channelConversation(owner, interaction.channelId);
    await answerQuestion(ctx, {
      question,
      conversation,
      target: interactionTarget(interaction, ctx, question, receivedAt),
    });
  },
} satisfies Command;
