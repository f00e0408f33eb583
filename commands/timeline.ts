// /timeline [share] — the story's dated events in order, each cited; dates worked out from weekdays
// say so. Only the caller sees it unless they share it.
import { MessageFlags, SlashCommandBuilder } from "discord.js";
import { defineCommand, NO_MENTIONS } from "../src/discord/command.ts";
import { articleUrls } from "../src/discord/formatAnswer.ts";
import { renderTimeline } from "../src/discord/summaryPoster.ts";
import { buildTimeline } from "../src/summary/buildTimeline.ts";

export default defineCommand({
  data: new SlashCommandBuilder()
    .setName("timeline")
    .setDescription("The dated events of the story, in order, with sources"),
  options: {
    share: { type: "boolean", description: "Post it in the channel for everyone (default: only you see it)" },
  },

  async execute(interaction, ctx, { share }) {
    const quiet = share ? MessageFlags.SuppressEmbeds : MessageFlags.SuppressEmbeds | MessageFlags.Ephemeral;
    const [first = "", ...rest] = renderTimeline(buildTimeline(ctx.core), articleUrls(ctx.core.retriever));
    await interaction.reply({ content: first, flags: quiet, allowedMentions: NO_MENTIONS });
    for (const content of rest)
      await interaction.followUp({ content, flags: quiet, allowedMentions: NO_MENTIONS });
  },
});
