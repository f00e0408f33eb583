// The buttons under an answer are made from their data, without the builders' setters: what is sent
// must be what the setters make.
import { ActionRowBuilder, ButtonBuilder, ButtonStyle } from "discord.js";
import { describe, expect, it } from "vitest";
import { answerButtons } from "../src/discord/answerButtons.ts";

function withSetters(answerId: string, withSources: boolean): ActionRowBuilder<ButtonBuilder> {
  const row = new ActionRowBuilder<ButtonBuilder>();
  if (withSources)
    row.addComponents(
      new ButtonBuilder()
        .setCustomId(`answer:sources:${answerId}`)
        .setLabel("Sources")
        .setStyle(ButtonStyle.Secondary),
    );
  row.addComponents(
    new ButtonBuilder().setCustomId(`answer:up:${answerId}`).setEmoji("👍").setStyle(ButtonStyle.Secondary),
    new ButtonBuilder().setCustomId(`answer:down:${answerId}`).setEmoji("👎").setStyle(ButtonStyle.Secondary),
  );
  return row;
}

describe("answerButtons", () => {
  it.each([true, false])("sends what the builders' setters make (with sources: %s)", (withSources) => {
    const id = "0b6f4c1e-9d1a-4a63-8f4e-2c1d5e7a9b30";
    expect(answerButtons(id, withSources).toJSON()).toEqual(withSetters(id, withSources).toJSON());
  });
});
