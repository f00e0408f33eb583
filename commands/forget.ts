// /forget — deletes the caller's conversation history in this server (or in DMs), nobody else's.
import { SlashCommandBuilder } from "discord.js";
import { defineCommand, NO_MENTIONS } from "../src/discord/command.ts";
import { scopeOf } from "../src/discord/conversation.ts";

export default defineCommand({
  data: new SlashCommandBuilder()
    .setName("forget")
    .setDescription("Delete your conversation history with the bot in this server"),
  defer: "ephemeral",

  async execute(interaction, ctx) {
    const removed = await ctx.core.store.forget({
      scope: scopeOf(interaction.guildId),
      userId: interaction.user.id,
    });
    const where = interaction.inGuild() ? "in this server" : "in direct messages";
    const content =
      removed === 0
        ? `There was no conversation history of yours ${where} to delete.`
        : `Deleted ${removed} conversation${removed === 1 ? "" : "s"} of yours ${where}. Your next question starts fresh.`;
    await interaction.editReply({ content, allowedMentions: NO_MENTIONS });
  },
});
