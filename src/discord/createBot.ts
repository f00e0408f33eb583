// The Discord bot: a thin adapter over the core. It logs in, registers the slash commands it is given
// when they changed, routes interactions and channel questions, and stops gracefully.
import { once } from "node:events";
import {
  Client,
  type ClientOptions,
  Events,
  GatewayIntentBits,
  type Interaction,
  type Message,
  MessageFlags,
  Options,
  Partials,
  type RESTOptions,
} from "discord.js";
import type { SummarySchedule } from "../summary/scheduleSummaries.ts";
import { SHUTDOWN_LINE } from "./answerQuestion.ts";
import { type BotContext, type BotCore, type Command, NO_MENTIONS } from "./command.ts";
import { deployIfChanged } from "./deployCommands.ts";
import { handleMessage } from "./handleMessage.ts";
import { createRateLimiter } from "./rateLimit.ts";
import { createInteractionRouter } from "./routeInteraction.ts";
import { startSummarySchedule } from "./summaryPoster.ts";

export interface BotOptions {
  /** Least time between two streaming edits of one answer. Default 1,000 ms. */
  editIntervalMs?: number;
  /** How long an interaction token can be used. Default 15 minutes (Discord's). */
  tokenLifetimeMs?: number;
  /** How long stop() lets answers in flight finish before abandoning them. Default 10 s. */
  graceMs?: number;
  /** REST client options on top of the defaults (tests raise globalRequestsPerSecond). */
  rest?: Partial<RESTOptions>;
  /** Register the slash commands at start when they changed. Default true. */
  registerCommands?: boolean;
  /** Post the daily summaries (configured per server with /settings). Default false; runBot turns it on. */
  dailySummaries?: boolean;
}

export interface Bot {
  /** The discord.js client (replaced once if Discord refuses the Message Content intent at login). */
  readonly client: Client;
  /** Logs in, registers the commands if they changed, and serves until stop(). */
  start(): Promise<void>;
  /** Stops taking work, lets answers in flight finish (or abandons them after the grace period), flushes the store and disconnects. */
  stop(): Promise<void>;
}

const FULL_INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  // Privileged: enable it in the Developer Portal (Bot → Message Content Intent) so that messages in
  // question channels and threads can be read. Without it the bot still answers mentions, DMs and
  // slash commands (see start()).
  GatewayIntentBits.MessageContent,
  GatewayIntentBits.DirectMessages,
];
/** Abandoned answers get this long to tell their users before the client goes. */
const ABANDON_MS = 3_000;
/** Interaction and message ids already handled, so a replayed event (after a resume) is not answered twice. */
const REMEMBERED_EVENTS = 5_000;

/** The bot serving `commands` (commands/index.ts's list, passed in by whoever starts the bot). */
export function createBot(core: BotCore, commands: readonly Command[], options: BotOptions = {}): Bot {
  const log = core.log.child({ component: "discord" });
  const shutdown = new AbortController();
  const ctx: BotContext = {
    core,
    timings: {
      editIntervalMs: options.editIntervalMs ?? 1_000,
      tokenLifetimeMs: options.tokenLifetimeMs ?? 15 * 60_000,
    },
    rateLimiter: createRateLimiter(core.config.RATE_LIMIT_PER_MINUTE, () => core.clock().getTime()),
    shutdown: shutdown.signal,
  };
  const routeInteraction = createInteractionRouter(commands);
  const inFlight = new Set<Promise<void>>();
  const seen = new Set<string>();
  let accepting = true;
  let stopping: Promise<void> | undefined;
  let summaries: SummarySchedule | undefined;

  function firstTime(id: string): boolean {
    if (seen.has(id)) return false;
    seen.add(id);
    if (seen.size > REMEMBERED_EVENTS) {
      const oldest = seen.values().next().value;
      if (oldest !== undefined) seen.delete(oldest);
    }
    return true;
  }

  function track(work: Promise<void>): void {
    const settled = work.catch((error: unknown) => log.error({ err: error }, "handler failed"));
    inFlight.add(settled);
    void settled.finally(() => inFlight.delete(settled));
  }

  function onInteraction(interaction: Interaction): void {
    if (!firstTime(`i${interaction.id}`)) return;
    if (!accepting) {
      if (interaction.isRepliable()) {
        interaction
          .reply({ content: SHUTDOWN_LINE, flags: MessageFlags.Ephemeral, allowedMentions: NO_MENTIONS })
          .catch((error: unknown) =>
            log.debug({ err: error }, "could not refuse an interaction while stopping"),
          );
      }
      return;
    }
    track(routeInteraction(interaction, ctx));
  }

  function onMessage(message: Message): void {
    if (!accepting || !firstTime(`m${message.id}`)) return;
    track(handleMessage(message, ctx));
  }

  function makeClient(intents: GatewayIntentBits[]): Client {
    const clientOptions: ClientOptions = {
      intents,
      partials: [Partials.Channel], // DM channels arrive uncached
      // No message is kept by the client: the bot reads none back from its cache (a reply is matched to
      // an answer through the store, and the summary poster fetches), and discord.js would otherwise
      // keep the last 200 messages of every channel it sees (about 1 MB for one busy channel).
      makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0 }),
      allowedMentions: NO_MENTIONS,
      rest: {
        ...(core.config.DISCORD_API_URL ? { api: core.config.DISCORD_API_URL } : {}),
        ...options.rest,
      },
    };
    const made = new Client(clientOptions);
    made.on(Events.InteractionCreate, onInteraction);
    made.on(Events.MessageCreate, onMessage);
    made.on(Events.Error, (error) => log.error({ err: error }, "discord client error"));
    made.on(Events.ShardError, (error, shardId) => log.error({ err: error, shardId }, "gateway error"));
    made.on(Events.ShardDisconnect, (event, shardId) =>
      log.warn({ code: event.code, shardId }, "gateway disconnected"),
    );
    made.on(Events.ShardReconnecting, (shardId) => log.info({ shardId }, "gateway reconnecting"));
    made.on(Events.ShardResume, (shardId, replayed) => log.info({ shardId, replayed }, "gateway resumed"));
    made.on(Events.Warn, (message) => log.warn(message));
    return made;
  }

  let client = makeClient(FULL_INTENTS);

  async function login(token: string): Promise<void> {
    const ready = once(client, Events.ClientReady);
    ready.catch(() => undefined); // awaited below; a failed login must not leave it unhandled
    await client.login(token);
    await ready;
  }

  return {
    get client() {
      return client;
    },

    async start() {
      const token = core.config.DISCORD_TOKEN;
      if (!token) throw new Error("DISCORD_TOKEN is not set");
      try {
        await login(token);
      } catch (error) {
        if (!(error instanceof Error && /disallowed intents/i.test(error.message))) throw error;
        // Discord refuses privileged intents that are not enabled for the application. Serve without
        // Message Content: mentions, DMs and slash commands still work.
        log.warn(
          "The Message Content intent is not enabled for this bot (Developer Portal → Bot → Message Content Intent): " +
            "answering mentions, DMs and slash commands only, not every message in question channels or threads",
        );
        await client.destroy();
        client = makeClient(FULL_INTENTS.filter((intent) => intent !== GatewayIntentBits.MessageContent));
        await login(token);
      }
      const user = client.user;
      const application = client.application;
      if (!user || !application) throw new Error("logged in without a user or application");
      log.info({ user: user.tag, guilds: client.guilds.cache.size }, "logged in to Discord");

      // Under a shard manager, the manager registered them once for every shard.
      if ((options.registerCommands ?? true) && client.shard === null) {
        try {
          await deployIfChanged(
            {
              rest: client.rest,
              applicationId: application.id,
              ...(core.config.DISCORD_GUILD_ID ? { guildId: core.config.DISCORD_GUILD_ID } : {}),
            },
            commands,
            core.store,
            log,
          );
        } catch (error) {
          // The commands registered before keep working; the next start tries again.
          log.error({ err: error }, "could not register the slash commands");
        }
      }
      if (options.dailySummaries) summaries = startSummarySchedule(client, core);
    },

    stop() {
      stopping ??= (async () => {
        accepting = false;
        await summaries?.stop();
        const graceMs = options.graceMs ?? 10_000;
        if (inFlight.size > 0) log.info({ answers: inFlight.size, graceMs }, "waiting for answers in flight");
        if (!(await settleWithin([...inFlight], graceMs))) {
          log.warn({ answers: inFlight.size }, "abandoning answers still in flight");
          shutdown.abort();
          await settleWithin([...inFlight], ABANDON_MS);
        }
        shutdown.abort();
        try {
          await core.store.flush();
        } catch (error) {
          // A full disk: the client still disconnects, and closing the store reports what is lost.
          log.debug({ err: error }, "could not save the database while stopping");
        }
        await client.destroy();
        log.info("disconnected from Discord");
      })();
      return stopping;
    },
  };
}

/** True when every promise settled within `ms`. */
async function settleWithin(work: Promise<unknown>[], ms: number): Promise<boolean> {
  if (work.length === 0) return true;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  const all = Promise.allSettled(work).then(() => true);
  const settled = await Promise.race([all, timeout]);
  clearTimeout(timer);
  return settled;
}
