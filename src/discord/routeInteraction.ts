// Routes interactions: slash commands by name from the command list the bot was given, buttons by
// their custom id's prefix (the answer buttons, and those each command declares).
// A handler's error never escapes: it is logged and the user gets a short line, only for them.
import type { ButtonInteraction, Interaction } from "discord.js";
import { userMessage } from "../errors.ts";
import { answerButtonRoute } from "./answerButtons.ts";
import type { BotContext, Command, ComponentRoute } from "./command.ts";
import { runCommand } from "./runCommand.ts";
import { tellUser } from "./tellUser.ts";

export type InteractionRouter = (interaction: Interaction, ctx: BotContext) => Promise<void>;

/** The router for `commands`; throws when two commands share a name or a custom id prefix. */
export function createInteractionRouter(commands: readonly Command[]): InteractionRouter {
  const byName = new Map<string, Command>();
  for (const command of commands) {
    if (byName.has(command.data.name)) throw new Error(`two commands are named /${command.data.name}`);
    byName.set(command.data.name, command);
  }
  const components = [answerButtonRoute, ...commands.flatMap((command) => command.components ?? [])];
  for (const route of components) {
    const clash = components.find(
      (other) => other !== route && other.customIdPrefix.startsWith(route.customIdPrefix),
    );
    if (clash) {
      throw new Error(`custom id prefixes "${route.customIdPrefix}" and "${clash.customIdPrefix}" overlap`);
    }
  }

  return async (interaction, ctx) => {
    try {
      if (interaction.isChatInputCommand()) {
        const command = byName.get(interaction.commandName);
        if (!command) {
          await tellUser(interaction, "That command is no longer supported.");
          return;
        }
        await runCommand(command, interaction, ctx);
      } else if (interaction.isButton()) {
        await routeOf(components, interaction)?.handle(interaction, ctx);
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
  };
}

function routeOf(
  components: readonly ComponentRoute[],
  interaction: ButtonInteraction,
): ComponentRoute | undefined {
  return components.find((route) => interaction.customId.startsWith(route.customIdPrefix));
}
