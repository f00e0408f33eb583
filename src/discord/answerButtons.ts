// The buttons under an answer: "Sources" (every quote in full, only for the clicker) and 👍 / 👎
// feedback stored with the answer. Custom ids carry the answer id, so no state lives in memory.
import {
  ActionRowBuilder,
  ButtonBuilder,
  type ButtonInteraction,
  ButtonStyle,
  ComponentType,
  MessageFlags,
} from "discord.js";
import { type BotContext, type ComponentRoute, NO_MENTIONS } from "./command.ts";
import { renderFullSources } from "./formatAnswer.ts";

const PREFIX = "answer";
type Action = "sources" | "up" | "down";

// The buttons are made from their data rather than with the builders' setters: each setter checks its
// value against a schema, and the emoji's check alone cost about a tenth of a millisecond per answer,
// for values that never change. What is sent is the same.
export function answerButtons(answerId: string, withSources: boolean): ActionRowBuilder<ButtonBuilder> {
  const row = new ActionRowBuilder<ButtonBuilder>();
  if (withSources) row.addComponents(secondaryButton(`${PREFIX}:sources:${answerId}`, { label: "Sources" }));
  row.addComponents(
    secondaryButton(`${PREFIX}:up:${answerId}`, { emoji: { name: "👍", animated: false } }),
    secondaryButton(`${PREFIX}:down:${answerId}`, { emoji: { name: "👎", animated: false } }),
  );
  return row;
}

function secondaryButton(
  customId: string,
  face: { label: string } | { emoji: { name: string; animated: boolean } },
): ButtonBuilder {
  return new ButtonBuilder({
    type: ComponentType.Button,
    style: ButtonStyle.Secondary,
    custom_id: customId,
    ...face,
  });
}

/** Routes the buttons made by answerButtons (the router takes it beside the commands' own). */
export const answerButtonRoute: ComponentRoute = { customIdPrefix: `${PREFIX}:`, handle: handleAnswerButton };

async function handleAnswerButton(interaction: ButtonInteraction, ctx: BotContext): Promise<void> {
  const [, action, answerId = ""] = interaction.customId.split(":") as [string, Action | undefined, string?];
  const ephemeral = { flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS } as const;
  const record = await ctx.core.store.getAnswer(answerId);
  if (!record) {
    await interaction.reply({ content: "That answer is no longer stored.", ...ephemeral });
    return;
  }
  if (action === "sources") {
    const [first = "", ...rest] = renderFullSources(record.citations);
    await interaction.reply({
      content: first,
      ...ephemeral,
      flags: ephemeral.flags | MessageFlags.SuppressEmbeds,
    });
    for (const content of rest) {
      await interaction.followUp({
        content,
        ...ephemeral,
        flags: ephemeral.flags | MessageFlags.SuppressEmbeds,
      });
    }
    return;
  }
  if (action === "up" || action === "down") {
    await ctx.core.store.setFeedback(record.id, interaction.user.id, action === "up" ? 1 : -1);
    await interaction.reply({ content: "Thanks for the feedback!", ...ephemeral });
  }
}
