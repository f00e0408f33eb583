// /summary [share] — the story so far and what is new since this server's last daily post, cited.
// Only the caller sees it unless they share it.
import { type ChatInputCommandInteraction, MessageFlags, SlashCommandBuilder } from "discord.js";
import { type BotContext, defineCommand, NO_MENTIONS } from "../src/discord/command.ts";
import { articleUrls } from "../src/discord/formatAnswer.ts";
import { renderSummary } from "../src/discord/summaryPoster.ts";
import { buildSummary } from "../src/summary/buildSummary.ts";

export default defineCommand({
  data: new SlashCommandBuilder()
    .setName("summary")
    .setDescription("The story so far and what is new since the last daily summary, with sources"),
  options: {
    share: { type: "boolean", description: "Post it in the channel for everyone (default: only you see it)" },
  },
  // A summary may cost a model call, so it counts against the same per-user limit as questions.
  preconditions: { rateLimited: true },
  defer: ({ share }) => (share ? "public" : "ephemeral"),

  async execute(interaction, ctx) {
    const since = await lastDailyPost(interaction, ctx);
    const summary = await buildSummary(ctx.core, { ...(since ? { since } : {}), signal: ctx.shutdown });
    await interaction.editReply({
      content: renderSummary(summary, "📰 **Summary of the story**", articleUrls(ctx.core.retriever)),
      allowedMentions: NO_MENTIONS,
      flags: MessageFlags.SuppressEmbeds,
    });
  },
});

/** When this server's daily summary was last posted: "new" means new since then, as in the post. */
async function lastDailyPost(
  interaction: ChatInputCommandInteraction,
  ctx: BotContext,
): Promise<Date | undefined> {
  const guildId = interaction.guildId;
  if (!guildId) return undefined;
  const settings = await ctx.core.store.guildSettings(guildId);
  const fallback = ctx.core.config.SUMMARY_CHANNEL_ID;
  const channelId =
    settings?.summaryChannelId ??
    (fallback && interaction.guild?.channels.cache.has(fallback) ? fallback : undefined);
  if (!channelId) return undefined;
  const last = await ctx.core.store.lastSummaryPost(guildId, channelId);
  return last?.postedAt ? new Date(last.postedAt) : undefined;
}
