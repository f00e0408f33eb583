// One slash command, run as its module declares it: options read by its spec, the rate limit, the
// deferral, the server and permission checks, then its handler. Errors reach the router's catch.
import { type ChatInputCommandInteraction, MessageFlags, PermissionFlagsBits } from "discord.js";
import { acknowledging } from "./acknowledgementsFirst.ts";
import { type BotContext, type Command, NO_MENTIONS, type Preconditions } from "./command.ts";
import { readOptions } from "./commandOptions.ts";
import { rateLimitMessage } from "./rateLimit.ts";
import { tellUser } from "./tellUser.ts";

export async function runCommand(
  command: Command,
  interaction: ChatInputCommandInteraction,
  ctx: BotContext,
): Promise<void> {
  const receivedAt = ctx.core.clock().getTime();
  const options = readOptions(interaction, command.options ?? {});
  // Discord wants an acknowledgement within 3 s: the first request is the reply (an immediate
  // refusal, checked synchronously, or the deferral), before anything else is awaited.
  if (command.preconditions?.rateLimited) {
    const wait = ctx.rateLimiter.take(interaction.user.id);
    if (wait > 0) {
      await interaction.reply({
        content: rateLimitMessage(wait),
        flags: MessageFlags.Ephemeral,
        allowedMentions: NO_MENTIONS,
      });
      return;
    }
  }
  const visibility = typeof command.defer === "function" ? command.defer(options) : command.defer;
  if (visibility)
    await acknowledging(() =>
      interaction.deferReply(visibility === "ephemeral" ? { flags: MessageFlags.Ephemeral } : {}),
    );

  // After the deferral, so that commands acknowledge in this one place: a refusal takes the deferred
  // reply's place, only for the user.
  const refusal = refusalOf(command.preconditions, interaction);
  if (refusal) {
    const state = !visibility ? "none" : visibility === "ephemeral" ? "deferredEphemeral" : "deferredPublic";
    await tellUser(interaction, refusal, state);
    return;
  }
  await command.execute(interaction, { ...ctx, receivedAt }, options);
}

/** The line refusing this use of the command, or undefined when it may run. */
function refusalOf(
  preconditions: Preconditions | undefined,
  interaction: ChatInputCommandInteraction,
): string | undefined {
  if (preconditions?.guildOnly && !interaction.inGuild()) return preconditions.guildOnly;
  if (
    preconditions?.manageGuild &&
    !(interaction.inGuild() && interaction.memberPermissions.has(PermissionFlagsBits.ManageGuild))
  ) {
    return `Only members with the Manage Server permission can ${preconditions.manageGuild}.`;
  }
  return undefined;
}
