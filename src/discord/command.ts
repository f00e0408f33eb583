// The shape of a slash command: one file per command in commands/, listed once in commands/index.ts
// for both the router and the deploy script.
import type {
  ChatInputCommandInteraction,
  MessageMentionOptions,
  RESTPostAPIChatInputApplicationCommandsJSONBody,
} from "discord.js";
import type { Config } from "../config.ts";
import type { CoreDeps } from "../types.ts";
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
  /** Per-user question limit, shared by /ask and channel questions. */
  rateLimiter: RateLimiter;
  /** Aborted when the bot stops and its grace period is over: long work passes it on. */
  shutdown: AbortSignal;
}

export interface Command {
  data: { name: string; toJSON(): RESTPostAPIChatInputApplicationCommandsJSONBody };
  /** Errors thrown here are logged and answered with a short line by the router. */
  execute(interaction: ChatInputCommandInteraction, ctx: BotContext): Promise<void>;
}
