// A short line only the user sees (a refusal, an apology), whatever state the interaction is in.
import { MessageFlags, type RepliableInteraction } from "discord.js";
import { NO_MENTIONS } from "./command.ts";

/** How far the bot has answered an interaction. */
export type Acknowledgement = "none" | "deferredEphemeral" | "deferredPublic" | "replied";

export function acknowledgementOf(interaction: RepliableInteraction): Acknowledgement {
  if (interaction.replied) return "replied";
  if (!interaction.deferred) return "none";
  return interaction.ephemeral ? "deferredEphemeral" : "deferredPublic";
}

/** Tells the user `content` privately; pass `state` when the caller knows it (it made it). */
export async function tellUser(
  interaction: RepliableInteraction,
  content: string,
  state: Acknowledgement = acknowledgementOf(interaction),
): Promise<void> {
  const options = { content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS } as const;
  switch (state) {
    case "none":
      await interaction.reply(options);
      return;
    case "deferredEphemeral":
      await interaction.editReply({ content, allowedMentions: NO_MENTIONS });
      return;
    case "deferredPublic":
      // A public deferred reply would stay "thinking" forever: remove it, then answer privately.
      await interaction.deleteReply().catch(() => undefined);
      await interaction.followUp(options);
      return;
    case "replied":
      await interaction.followUp(options);
  }
}
