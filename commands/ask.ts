// /ask question:<text> — a cited answer, streamed into the deferred reply.
import { SlashCommandBuilder } from "discord.js";
import { MAX_QUESTION_CHARS } from "../src/answer/validateQuestion.ts";
import { answerQuestion } from "../src/discord/answerQuestion.ts";
import { defineCommand } from "../src/discord/command.ts";
import { channelConversation, scopeOf, threadConversation } from "../src/discord/conversation.ts";
import { interactionTarget } from "../src/discord/interactionTarget.ts";

export default defineCommand({
  data: new SlashCommandBuilder()
    .setName("ask")
    .setDescription("Ask a question about the story; the answer cites its sources"),
  options: {
    question: { type: "string", description: "Your question", required: true, maxLength: MAX_QUESTION_CHARS },
  },
  preconditions: { rateLimited: true },
  defer: "public",

  async execute(interaction, ctx, { question }) {
    const owner = { scope: scopeOf(interaction.guildId), userId: interaction.user.id };
    const channel = interaction.channel;
    const conversation = channel?.isThread()
      ? threadConversation(owner, channel.id, await ctx.core.store.findAnswerByMessage(channel.id))
      : channelConversation(owner, interaction.channelId);
    await answerQuestion(ctx, {
      question,
      conversation,
      target: interactionTarget(interaction, ctx, question, ctx.receivedAt),
    });
  },
});
