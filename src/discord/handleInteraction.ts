// Routes interactions: slash commands from the one command list, answer buttons, /sources pages.
// A handler's error never escapes: it is logged and the user gets a short line, only for them.
import { type Interaction, MessageFlags, type RepliableInteraction } from "discord.js";
import { isSourcesPageButton, showSourcesPage } from "../../commands/sources.ts";
import { userMessage } from "../errors.ts";
import { handleAnswerButton, isAnswerButton } from "./answerButtons.ts";
import type { BotContext, Command } from "./command.ts";
import { NO_MENTIONS } from "./command.ts";

export type CommandMap = ReadonlyMap<string, Command>;

export async function handleInteraction(interaction: Interaction, ctx: BotContext, commands: CommandMap) {
  try {
    if (interaction.isChatInputCommand()) {
      const command = commands.get(interaction.commandName);
      if (!command) {
        await tellUser(interaction, "That command is no longer supported.");
        return;
      }
      await command.execute(interaction, ctx);
    } else if (interaction.isButton()) {
      if (isAnswerButton(interaction.customId)) await handleAnswerButton(interaction, ctx);
      else if (isSourcesPageButton(interaction.customId)) await showSourcesPage(interaction, ctx);
    }
  } catch (error) {
    ctx.core.log.error(
      {
        err: error,
        interaction: interaction.id,
        command: interaction.isCommand() ? interaction.commandName : undefined,
      },
      "interaction failed",
    );
    if (interaction.isRepliable()) {
      await tellUser(interaction, userMessage(error)).catch((e: unknown) =>
        ctx.core.log.warn({ err: e }, "could not tell the user about the failure"),
      );
    }
  }
}

/** A short line only the user sees, whatever state the interaction is in. */
export async function tellUser(interaction: RepliableInteraction, content: string): Promise<void> {
  const options = { content, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS } as const;
  if (!interaction.deferred && !interaction.replied) {
    await interaction.reply(options);
    return;
  }
  if (interaction.deferred && !interaction.replied) {
    if (interaction.ephemeral) {
      await interaction.editReply({ content, allowedMentions: NO_MENTIONS });
      return;
    }
    // A public deferred reply would stay "thinking" forever: remove it, then answer privately.
    await interaction.deleteReply().catch(() => undefined);
  }
  await interaction.followUp(options);
}
