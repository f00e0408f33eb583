// What a slash command is: one module per command in commands/ declares its definition, the options
// it reads, its preconditions and how it is acknowledged as data, with its handler and the
// components (buttons) it puts on its messages. The router (routeInteraction.ts) runs the declared
// parts; the adapter receives the list from its caller and never imports commands/.
import type {
  ButtonInteraction,
  ChatInputCommandInteraction,
  MessageMentionOptions,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
  SlashCommandBuilder,
} from "discord.js";
import type { Config } from "../config.ts";
import type { CoreDeps } from "../coreDeps.ts";
import { addOptions } from "./addOptions.ts";
import type { CommandOptions, OptionsSpec } from "./commandOptions.ts";
import type { RateLimiter } from "./rateLimit.ts";

/** What the bot needs of the core (src/app.ts's Core fits). */
export type BotCore = CoreDeps & { config: Config };

/** Nothing the bot sends may ping anyone: passed on every send, edit, reply and follow-up. */
export const NO_MENTIONS: MessageMentionOptions = { parse: [], repliedUser: false };

export interface BotTimings {
  /** Streaming edits of one answer are at least this far apart (Discord rate-limits edits). */
  editIntervalMs: number;
  /** How long an interaction token lets the bot edit and follow up; later work goes to the channel. */
  tokenLifetimeMs: number;
}

export interface BotContext {
  core: BotCore;
  timings: BotTimings;
  /** Per-user question limit, shared by /ask, /summary and channel questions. */
  rateLimiter: RateLimiter;
  /** Aborted when the bot stops and its grace period is over: long work passes it on. */
  shutdown: AbortSignal;
}

/** What a command's handler gets besides the interaction and its options. */
export interface CommandContext extends BotContext {
  /** When the interaction arrived, by the core's clock (its token's lifetime counts from then). */
  receivedAt: number;
}

/** Who sees the reply: everyone in the channel, or only the user. */
export type Visibility = "public" | "ephemeral";

/** Checks the router makes before a handler runs; a refusal is one line only the user sees. */
export interface Preconditions {
  /**
   * The command counts against the user's question limit (it may call the model). Checked first,
   * synchronously: the refusal is then the interaction's acknowledgement.
   */
  readonly rateLimited?: true;
  /** The line shown when the command is used outside a server. */
  readonly guildOnly?: string;
  /**
   * Only members with Manage Server may use the command: what they may do, as in "Only members with
   * the Manage Server permission can {manageGuild}." Checked here whatever the definition's
   * default_member_permissions says, because server admins can change who sees a command.
   */
  readonly manageGuild?: string;
}

/** The components (buttons) a command puts on its messages, found by their custom id's prefix. */
export interface ComponentRoute {
  readonly customIdPrefix: string;
  handle(interaction: ButtonInteraction, ctx: BotContext): Promise<void>;
}

// `S = any` for lists of commands whose options differ: each command's own declaration checks its
// handler (see defineCommand).
export interface Command<S extends OptionsSpec = any> {
  readonly data: { readonly name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  /** The options, as declared: defineCommand added them to `data`, the router reads them for the handler. */
  readonly options?: S;
  readonly preconditions?: Preconditions;
  /**
   * Defer the reply (Discord's "thinking…") before the permission checks and the handler, which then
   * edits it. Without it the handler acknowledges the interaction itself, within 3 seconds.
   */
  readonly defer?: Visibility | ((options: CommandOptions<S>) => Visibility);
  readonly components?: readonly ComponentRoute[];
  /** Errors thrown here are logged and answered with a short line by the router. */
  execute(
    interaction: ChatInputCommandInteraction,
    ctx: CommandContext,
    options: CommandOptions<S>,
  ): Promise<void>;
}

/** What a command module declares: `data` is its name, description and who may see it; no options. */
export type CommandDefinition<S extends OptionsSpec> = Omit<Command<S>, "data"> & {
  readonly data: SlashCommandBuilder;
};

/**
 * A command, its declared options added to its builder (so Discord registers exactly what the
 * handler reads) and its handler's options typed from the same declaration.
 */
export function defineCommand<const S extends OptionsSpec = Record<never, never>>(
  definition: CommandDefinition<S>,
): Command<S> {
  return { ...definition, data: addOptions(definition.data, definition.options ?? {}) };
}
