/**
 * A loopback Discord for end-to-end tests: REST API + WebSocket gateway on 127.0.0.1 that the real discord.js
 * client logs in to. It plays the users (slash commands, button clicks, messages), keeps every message the bot
 * posts, records every request, and refuses what Discord would refuse (3-second acknowledgement, double
 * acknowledgement, 15-minute webhook tokens, 2,000 characters and embed limits, unknown channels, missing
 * permissions), answering with Discord's error codes. Scripted 429s exercise the client's retry.
 *
 * Usage:
 *
 *   const discord = await startFakeDiscord();
 *   const client = new Client({
 *     intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.MessageContent],
 *     rest: { api: discord.apiUrl, globalRequestsPerSecond: 1000 }, // DISCORD_API_URL=discord.apiUrl for the bot
 *   });
 *   await client.login(discord.token);
 *   await discord.waitForIdentify();                    // READY + GUILD_CREATE sent
 *
 *   const i = await discord.sendSlashCommand("ask", { question: "Who won?" }, { user: discord.users.member });
 *   const reply = await discord.waitForFinalReply(i);   // @original once edits stop
 *   expect(reply.content).toContain("[1]");
 *   expect(i.response?.type).toBe(5);                   // deferred
 *   await discord.clickButton(reply, "sources");        // a button under the answer
 *
 *   const question = await discord.sendMessage({ content: "who?", mentionsBot: true });
 *   const answer = await discord.waitForBotReply(question, { final: true });
 *   expect(discord.messageRequests().every((r) => allowsNoMentions(r.allowedMentions))).toBe(true);
 *
 *   discord.rateLimitNext("PATCH /webhooks/:app/:token/messages/@original", 0.2);  // one 429, then OK
 *   await discord.disconnectClient();                   // the client resumes; events sent meanwhile replay
 *
 *   await client.destroy();                             // before closing the fake
 *   await discord.close();
 *
 * Paths in matchers and in `requests` are without the /api/v10 prefix and URL-decoded (`%40original` →
 * `@original`). Times on the fake clock (`now()`, `advanceClock(ms)`) drive the interaction deadlines.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { CommandRegistry, type RegisteredCommand } from "./fakeDiscord/commands.ts";
import type { FakeContext } from "./fakeDiscord/context.ts";
import { DiscordHttpError } from "./fakeDiscord/discordError.ts";
import {
  Gateway,
  type GatewaySession,
  type GrantedIntents,
  guildShard,
  Intent,
} from "./fakeDiscord/gateway.ts";
import {
  buildCommandData,
  FakeInteraction,
  InteractionRegistry,
  interactionBase,
  interactionToken,
  type OptionValue,
} from "./fakeDiscord/interactions.ts";
import { type MessageChange, MessageStore } from "./fakeDiscord/messageStore.ts";
import { createEditLimiter, rateLimited } from "./fakeDiscord/rateLimits.ts";
import { Router, requestMatches } from "./fakeDiscord/router.ts";
import { registerApplicationRoutes } from "./fakeDiscord/routesApplication.ts";
import { registerChannelRoutes } from "./fakeDiscord/routesChannels.ts";
import { registerInteractionRoutes } from "./fakeDiscord/routesInteractions.ts";
import { createSnowflakes } from "./fakeDiscord/snowflakes.ts";
import type {
  FakeChannel,
  FakeGuild,
  FakeMessage,
  FakeRole,
  FakeUser,
  JsonObject,
  RecordedRequest,
  RouteMatcher,
} from "./fakeDiscord/types.ts";
import { Waiters } from "./fakeDiscord/waiters.ts";
import {
  addMember,
  addServer,
  addThread,
  channelToApi,
  createUser,
  memberOf,
  memberToApi,
  openDm,
  populateWorld,
  type World,
} from "./fakeDiscord/world.ts";

export { guildShard } from "./fakeDiscord/gateway.ts";
export type { OptionValue } from "./fakeDiscord/interactions.ts";
export { FakeInteraction } from "./fakeDiscord/interactions.ts";
export { allowsNoMentions, computePings } from "./fakeDiscord/pings.ts";
export type {
  FakeChannel,
  FakeGuild,
  FakeMessage,
  FakeRole,
  FakeUser,
  MessageVersion,
  Pings,
  RecordedRequest,
  RouteMatcher,
} from "./fakeDiscord/types.ts";

export interface FakeDiscordOptions {
  /** Time allowed between an interaction and its first callback (Discord: 3,000 ms). */
  interactionDeadlineMs?: number;
  /** Lifetime of an interaction's webhook token (Discord: 15 minutes). `advanceClock` is the quick way past it. */
  webhookTokenLifetimeMs?: number;
  /** HELLO heartbeat interval (Discord: ~41,250 ms). */
  heartbeatIntervalMs?: number;
  /** Privileged intents enabled for the app; asking for one that isn't closes the gateway with 4014. All on by default. */
  grantedIntents?: Partial<GrantedIntents>;
  /** More text channels in the main server, by name (available as `channels[name]`). */
  extraChannels?: string[];
  /** Bot username (default "storybot"). */
  botName?: string;
  /**
   * Discord-like edit buckets: at most `count` message edits per `perMs` per interaction token and per channel,
   * with bucket headers on success (discord.js then paces itself) and 429 beyond. Off by default.
   * Discord's real buckets are about { count: 5, perMs: 5000 }.
   */
  editRateLimit?: { count: number; perMs: number };
  /** The shard count GET /gateway/bot recommends (default 1). IDENTIFY may ask for any valid [id, count]. */
  shards?: number;
}

export interface InteractionOptions {
  /** Who acts (default `users.member`). */
  user?: FakeUser;
  /** Where (default `channels.general`): a channel or its id; threads and DMs work too. */
  channel?: FakeChannel | string;
  /** Overrides the member's permissions in the channel (bitfield as bigint or decimal string). */
  memberPermissions?: bigint | string;
  locale?: string;
}

export interface SlashCommandOptions extends InteractionOptions {
  subcommand?: string;
  subcommandGroup?: string;
}

export interface SendMessageOptions {
  content: string;
  /** Default `channels.general`. */
  channel?: FakeChannel | string;
  /** Alternative to `channel`: a channel id. */
  channelId?: string;
  /** Default `users.member`. */
  author?: FakeUser;
  /** Prefixes `<@bot>` unless the content already mentions the bot. */
  mentionsBot?: boolean;
  /** Makes the message a reply (type 19 with message_reference and referenced_message). */
  replyTo?: FakeMessage | string;
  /** Whether the reply pings its author (Discord's client default: yes). */
  pingReply?: boolean;
  embeds?: JsonObject[];
}

export interface QuietWaitOptions {
  /** Real milliseconds without changes that count as "final" (default 1,500: the bot edits about once a second). */
  quietMs?: number;
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;

/** Starts the fake on 127.0.0.1 with a random port. Close it with `close()` after destroying the client. */
export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const fake = new FakeDiscord(options);
  await fake.listen();
  return fake;
}

export class FakeDiscord {
  /** For discord.js `rest.api` (and the bot's DISCORD_API_URL): `http://127.0.0.1:PORT/api`. */
  apiUrl = "";
  /** What GET /gateway/bot returns. */
  gatewayUrl = "";
  readonly token: string;
  readonly applicationId: string;
  readonly botUser: FakeUser;
  /** The main server, "Story Club". */
  readonly guild: FakeGuild;
  /** A second server with the same people (to show nothing crosses servers); `secondChannels.general`. */
  readonly secondGuild: FakeGuild;
  /** #general, #questions, #summaries, readOnly (#announcements: nobody, the bot included, may post) and extras. */
  readonly channels: Record<string, FakeChannel> & {
    general: FakeChannel;
    questions: FakeChannel;
    summaries: FakeChannel;
    readOnly: FakeChannel;
  };
  readonly secondChannels: { general: FakeChannel };
  /** owner (owns both servers), admin (Manage Server via the Moderators role), member and other (no roles). */
  readonly users: { owner: FakeUser; admin: FakeUser; member: FakeUser; other: FakeUser };
  readonly roles: { everyone: FakeRole; moderators: FakeRole; bot: FakeRole };
  /** Protocol surprises: unknown routes, unsupported gateway queries, crashes in the fake. Expect it empty. */
  readonly problems: string[] = [];

  private clockOffset = 0;
  private readonly world: World;
  private readonly store: MessageStore;
  private readonly gateway: Gateway;
  private readonly router: Router;
  private readonly interactionRegistry = new InteractionRegistry();
  private readonly commandRegistry: CommandRegistry;
  private readonly waiters = new Waiters();
  private readonly server: Server;
  private readonly pendingWrites = new Set<Promise<unknown>>();
  private readonly interactionDeadlineMs: number;
  private readonly webhookTokenLifetimeMs: number;
  private resumesBeforeDisconnect = 0;

  constructor(options: FakeDiscordOptions = {}) {
    this.interactionDeadlineMs = options.interactionDeadlineMs ?? 3000;
    this.webhookTokenLifetimeMs = options.webhookTokenLifetimeMs ?? 15 * 60_000;
    const clock = () => Date.now() + this.clockOffset;
    const nextId = createSnowflakes(clock);
    const botId = nextId();
    const bot: FakeUser = { id: botId, username: options.botName ?? "storybot", globalName: null, bot: true };
    this.world = {
      clock,
      nextId,
      applicationId: botId,
      bot,
      users: new Map([[botId, bot]]),
      guilds: new Map(),
      channels: new Map(),
    };
    this.botUser = bot;
    this.applicationId = botId;
    this.token = `${Buffer.from(botId).toString("base64url")}.${randomToken(6)}.${randomToken(27)}`;
    const cast = populateWorld(this.world, options.extraChannels ?? []);
    this.guild = cast.guild;
    this.secondGuild = cast.secondGuild;
    this.channels = cast.channels as FakeDiscord["channels"];
    this.secondChannels = cast.secondChannels;
    this.users = cast.users;
    this.roles = cast.roles;

    const changed = () => this.waiters.notify();
    const problem = (message: string) => {
      this.problems.push(message);
      changed();
    };
    this.store = new MessageStore(this.world, (change) => this.onMessageChange(change));
    this.store.interactionMetadata = (id) => {
      const i = this.interactionRegistry.get(id);
      if (!i) return undefined;
      return {
        id: i.id,
        type: i.kind === "command" ? 2 : 3,
        user: {
          id: i.user.id,
          username: i.user.username,
          global_name: i.user.globalName,
          discriminator: "0",
          avatar: null,
        },
        authorizing_integration_owners: { "0": i.guildId ?? "0" },
        ...(i.kind === "command" ? { name: i.name } : { interacted_message_id: i.sourceMessageId }),
      };
    };
    this.commandRegistry = new CommandRegistry(botId, nextId);
    this.gateway = new Gateway({
      world: this.world,
      token: this.token,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 41_250,
      grantedIntents: {
        messageContent: true,
        guildMembers: true,
        guildPresences: true,
        ...options.grantedIntents,
      },
      resumeUrl: () => `${this.gatewayUrl}/resume`,
      problem,
      changed,
    });
    this.router = new Router({ token: this.token, clock, problem, changed });
    if (options.editRateLimit) this.router.limiter = createEditLimiter(options.editRateLimit);
    const ctx: FakeContext = {
      world: this.world,
      store: this.store,
      interactions: this.interactionRegistry,
      commands: this.commandRegistry,
      clock,
      interactionDeadlineMs: this.interactionDeadlineMs,
      webhookTokenLifetimeMs: this.webhookTokenLifetimeMs,
      baseUrl: () => this.apiUrl.replace(/\/api$/, ""),
      announceThread: (thread) => this.track(this.announceThread(thread)),
    };
    registerApplicationRoutes(this.router, ctx, () => this.gatewayUrl, options.shards ?? 1);
    registerInteractionRoutes(this.router, ctx);
    registerChannelRoutes(this.router, ctx);
    this.server = createServer((req, res) => {
      void this.router.handle(req, res);
    });
    this.server.on("upgrade", (req, socket, head) => {
      if ((req.url ?? "").startsWith("/gateway")) this.gateway.handleUpgrade(req, socket, head);
      else socket.destroy();
    });
  }

  /** @internal Used by startFakeDiscord. */
  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    const { port } = this.server.address() as AddressInfo;
    this.apiUrl = `http://127.0.0.1:${port}/api`;
    this.gatewayUrl = `ws://127.0.0.1:${port}/gateway`;
  }

  // ── Clock ────────────────────────────────────────────────────────────────────────────────────────────────

  /** The fake clock (ms): real time plus whatever `advanceClock` added. */
  now(): number {
    return this.world.clock();
  }

  /** Moves the fake clock forward, e.g. past the 15-minute webhook token lifetime. */
  advanceClock(ms: number): void {
    this.clockOffset += ms;
  }

  // ── Gateway ──────────────────────────────────────────────────────────────────────────────────────────────

  /** Resolves when a client has identified and been sent READY and every GUILD_CREATE (the bot is logging in). */
  waitForIdentify(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<{ sessionId: string; intents: number }> {
    return this.waiters.until(
      () => {
        const s = this.gateway.connectedSessions()[0];
        return s ? { sessionId: s.id, intents: s.intents } : undefined;
      },
      timeoutMs,
      () => "a gateway IDENTIFY",
    );
  }

  /**
   * Resolves when `count` shards of a `count`-shard bot are connected and identified (one session each);
   * returns each shard's session id, by shard.
   */
  waitForShards(count: number, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<string[]> {
    return this.waiters.until(
      () => {
        const byShard = new Map<number, string>();
        for (const s of this.gateway.connectedSessions())
          if (s.shard[1] === count) byShard.set(s.shard[0], s.id);
        return byShard.size === count
          ? [...byShard.keys()].sort().map((id) => byShard.get(id) as string)
          : undefined;
      },
      timeoutMs,
      () =>
        `${count} shards to identify (connected: ${JSON.stringify(this.gateway.connectedSessions().map((s) => s.shard))})`,
    );
  }

  /** Every gateway session so far with its shard, whether it is still live, and its connection state. */
  shardSessions(): { id: string; shard: [number, number]; live: boolean; connected: boolean }[] {
    const connected = new Set(this.gateway.connectedSessions());
    return this.gateway.sessions.map((s) => ({
      id: s.id,
      shard: s.shard,
      live: !s.invalid,
      connected: connected.has(s),
    }));
  }

  /** Resolves when the client has resumed after the latest `disconnectClient`. */
  waitForResume(timeoutMs = DEFAULT_TIMEOUT_MS): Promise<void> {
    return this.waiters
      .until(
        () => (this.gateway.resumeCount > this.resumesBeforeDisconnect ? true : undefined),
        timeoutMs,
        () => "a gateway RESUME",
      )
      .then(() => undefined);
  }

  /** Whether a client is connected and identified right now. */
  isConnected(): boolean {
    return this.gateway.connectedSessions().length > 0;
  }

  /** Counts of IDENTIFY and RESUME, and every WebSocket connection (path, query, close code). */
  get gatewayStats() {
    return {
      identifies: this.gateway.identifyCount,
      resumes: this.gateway.resumeCount,
      connections: this.gateway.connections,
    };
  }

  /**
   * Closes the client's gateway connection (optionally with a close code). By default (4000, resumable) the client RESUMEs and
   * events dispatched meanwhile are replayed. With `resumable: false` the session is dropped: the client gets
   * INVALID_SESSION, identifies again (after discord.js's identify throttle, ~5 s) and missed events are lost.
   */
  async disconnectClient(options: number | { code?: number; resumable?: boolean } = {}): Promise<void> {
    const opts = typeof options === "number" ? { code: options } : options;
    this.resumesBeforeDisconnect = this.gateway.resumeCount;
    const code = opts.code ?? 4000;
    // Closing with 1000/1001 ends a session on Discord; other codes leave it resumable.
    await this.gateway.disconnect(code, opts.resumable ?? !(code === 1000 || code === 1001));
  }

  /** Sends op 7 RECONNECT, which makes the client reconnect and resume. */
  requestReconnect(): void {
    this.resumesBeforeDisconnect = this.gateway.resumeCount;
    this.gateway.requestReconnect();
  }

  // ── Users' actions ───────────────────────────────────────────────────────────────────────────────────────

  /**
   * A user runs a slash command. Options are typed by the registered command when there is one (and what a
   * Discord client would refuse, like a missing required option, throws); otherwise by the JS values.
   * Users, channels and roles go in `data.resolved`. Throws when no bot session exists (await waitForIdentify).
   */
  async sendSlashCommand(
    name: string,
    options: Record<string, OptionValue> = {},
    opts: SlashCommandOptions = {},
  ): Promise<FakeInteraction> {
    const { user, channel } = this.actor(opts);
    const data = buildCommandData(this.world, this.commandRegistry, name, options, {
      guildId: channel.guildId,
      ...(opts.subcommand ? { subcommand: opts.subcommand } : {}),
      ...(opts.subcommandGroup ? { subcommandGroup: opts.subcommandGroup } : {}),
    });
    return this.dispatchInteraction(opts, user, channel, 2, "command", name, data, undefined);
  }

  /** A user clicks a button (by custom_id) under a message. Throws if there is no such enabled button. */
  clickButton(
    message: FakeMessage | string,
    customId: string,
    opts: InteractionOptions | FakeUser = {},
  ): Promise<FakeInteraction> {
    return this.useComponent(message, customId, opts, undefined);
  }

  /** A user picks values in a select menu under a message. */
  selectMenu(
    message: FakeMessage | string,
    customId: string,
    values: string[],
    opts: InteractionOptions | FakeUser = {},
  ): Promise<FakeInteraction> {
    return this.useComponent(message, customId, opts, values);
  }

  /**
   * A user posts a message (MESSAGE_CREATE to the bot, with mentions parsed from the content, and the
   * replied message for replies). Without the Message Content intent the bot gets empty content unless the
   * message mentions it (as on Discord).
   */
  async sendMessage(opts: SendMessageOptions): Promise<FakeMessage> {
    const author = opts.author ?? this.users.member;
    const channel = this.channelOf(opts.channel ?? opts.channelId ?? this.channels.general);
    this.checkCanAct(author, channel);
    let content = opts.content;
    if (opts.mentionsBot && !new RegExp(`<@!?${this.botUser.id}>`).test(content))
      content = `<@${this.botUser.id}> ${content}`;
    let reference: FakeMessage | undefined;
    if (opts.replyTo !== undefined) {
      reference = this.store.get(typeof opts.replyTo === "string" ? opts.replyTo : opts.replyTo.id);
      if (!reference || reference.channelId !== channel.id)
        throw new Error("fake Discord: replyTo must be a message in the same channel");
    }
    const message = this.store.create({
      channel,
      author,
      content,
      ...(opts.embeds ? { embeds: opts.embeds } : {}),
      ...(reference ? { reference } : {}),
      pingRepliedAuthor: opts.pingReply ?? true,
    });
    await this.flush();
    return message;
  }

  /** A user starts a thread in a text channel (optionally from a message); the bot gets THREAD_CREATE. */
  async createThread(
    parent: FakeChannel | string,
    opts: { name: string; owner?: FakeUser; fromMessage?: FakeMessage },
  ): Promise<FakeChannel> {
    const channel = this.channelOf(parent);
    const owner = opts.owner ?? this.users.member;
    const thread = addThread(this.world, channel, {
      name: opts.name,
      ownerId: owner.id,
      ...(opts.fromMessage ? { id: opts.fromMessage.id } : {}),
    });
    if (opts.fromMessage) {
      const starter = this.store.get(opts.fromMessage.id);
      if (starter) starter.threadId = thread.id;
    }
    await this.announceThread(thread);
    return thread;
  }

  /** The DM channel between the bot and a user. */
  openDm(user: FakeUser): FakeChannel {
    return openDm(this.world, user);
  }

  /**
   * Another server with the bot, the owner, admin, member and other (no roles), and #general and
   * #summaries. With `shard: [id, count]` its id is chosen so that Discord's formula puts it on that shard.
   */
  addGuild(
    name: string,
    opts: { shard?: [number, number] } = {},
  ): { guild: FakeGuild; general: FakeChannel; summaries: FakeChannel } {
    let id = BigInt(this.world.nextId());
    if (opts.shard) {
      const [shard, count] = opts.shard;
      // The shard comes from the id's timestamp bits: move the timestamp forward a few milliseconds.
      while (guildShard(id.toString(), count) !== shard) id += 1n << 22n;
    }
    const people = [this.users.owner, this.users.admin, this.users.member, this.users.other];
    const { guild, channels } = addServer(this.world, name, people, id.toString());
    return { guild, ...channels };
  }

  /**
   * Adds a person to both servers (optionally with roles of the main server), and to `alsoIn`
   * (servers made with addGuild), without roles.
   */
  addUser(username: string, roles: FakeRole[] = [], alsoIn: FakeGuild[] = []): FakeUser {
    const user = createUser(this.world, username);
    addMember(
      this.world,
      this.guild,
      user,
      roles.map((r) => r.id),
    );
    addMember(this.world, this.secondGuild, user);
    for (const guild of alsoIn) addMember(this.world, guild, user);
    return user;
  }

  /** Deletes a channel (CHANNEL_DELETE to the bot); the API answers 10003 Unknown Channel for it afterwards. */
  async deleteChannel(channel: FakeChannel | string): Promise<void> {
    const c = this.channelOf(channel);
    c.deleted = true;
    await this.gateway.dispatch("CHANNEL_DELETE", (s) =>
      s.intents & Intent.Guilds ? channelToApi(c) : null,
    );
  }

  // ── Scripted faults ──────────────────────────────────────────────────────────────────────────────────────

  /**
   * The next `count` requests matching `route` get 429 with `retry_after` (JSON body, Retry-After and
   * X-RateLimit-* headers, scope "user" unless given). discord.js waits and retries them.
   */
  rateLimitNext(
    route: RouteMatcher,
    retryAfterSeconds: number,
    count = 1,
    opts: { global?: boolean; scope?: "user" | "shared" | "global" } = {},
  ): void {
    this.router.addFault(route, count, () => rateLimited(retryAfterSeconds, opts));
  }

  /** The next `count` requests matching `route` fail with this Discord error (e.g. 500, or 10003 Unknown Channel). */
  failNext(route: RouteMatcher, error: { status: number; code?: number; message?: string }, count = 1): void {
    this.router.addFault(
      route,
      count,
      () =>
        new DiscordHttpError(
          error.status,
          error.code ?? 0,
          error.message ?? `${error.status}: Scripted failure`,
        ),
    );
  }

  // ── State ────────────────────────────────────────────────────────────────────────────────────────────────

  /** Every REST request so far, oldest first, with the fake's answer. */
  get requests(): readonly RecordedRequest[] {
    return this.router.requests;
  }

  /** Requests matching a route pattern, e.g. `requestsTo("POST /channels/:id/messages")`. */
  requestsTo(route: RouteMatcher): RecordedRequest[] {
    return this.router.requests.filter((r) => requestMatches(route, r));
  }

  /** Requests that create or edit message content (their `allowedMentions` is what decides pings). */
  messageRequests(): RecordedRequest[] {
    return this.router.requests.filter((r) => r.sendsMessage);
  }

  /** A channel's messages, oldest first (ephemeral ones only on request: other users can't see them). */
  messages(channel: FakeChannel | string, opts: { includeEphemeral?: boolean } = {}): FakeMessage[] {
    return this.store.list(
      typeof channel === "string" ? channel : channel.id,
      opts.includeEphemeral ?? false,
    );
  }

  /** Every message in every channel, ephemeral and deleted ones included. */
  allMessages(): FakeMessage[] {
    return this.store.all();
  }

  message(id: string): FakeMessage | undefined {
    return this.store.get(id);
  }

  /** The message as Discord's API would return it. */
  messageJson(message: FakeMessage): JsonObject {
    return this.store.toApi(message);
  }

  /** Registered application commands: global, or of one guild. */
  commands(guildId?: string): RegisteredCommand[] {
    return this.commandRegistry.list(guildId);
  }

  interactions(): FakeInteraction[] {
    return this.interactionRegistry.all();
  }

  // ── Waits ────────────────────────────────────────────────────────────────────────────────────────────────

  /**
   * The first answered request matching `route`, from index `after` on (default 0: past requests count;
   * pass `discord.requests.length` to wait for a new one).
   */
  waitForRequest(
    route: RouteMatcher,
    opts: { after?: number; timeoutMs?: number } | number = {},
  ): Promise<RecordedRequest> {
    const { after = 0, timeoutMs = DEFAULT_TIMEOUT_MS } =
      typeof opts === "number" ? { timeoutMs: opts } : opts;
    return this.waiters.until(
      () => this.router.requests.slice(after).find((r) => r.status !== 0 && requestMatches(route, r)),
      timeoutMs,
      () => `a request matching ${String(route)} (got: ${this.describeRequests()})`,
    );
  }

  /** The first message (any channel, ephemeral included) satisfying `predicate`, now or later. */
  waitForMessage(
    predicate: (m: FakeMessage) => boolean,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<FakeMessage> {
    return this.waiters.until(
      () => this.store.all().find((m) => !m.deleted && predicate(m)),
      timeoutMs,
      () => `a message matching ${predicate.toString()}`,
    );
  }

  /** The interaction's first accepted callback. */
  waitForCallback(interaction: FakeInteraction, timeoutMs = DEFAULT_TIMEOUT_MS) {
    return this.waiters.until(
      () => interaction.response ?? undefined,
      timeoutMs,
      () =>
        `a callback to interaction ${interaction.name} (attempts: ${JSON.stringify(interaction.callbackAttempts)})`,
    );
  }

  /** The `@original` response once it has content (not "thinking…") and satisfies `predicate`. */
  waitForReply(
    interaction: FakeInteraction,
    predicate: (m: FakeMessage) => boolean = () => true,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<FakeMessage> {
    return this.waiters.until(
      () => {
        const original = interaction.original();
        return original && !original.loading && predicate(original) ? original : undefined;
      },
      timeoutMs,
      () =>
        `a reply to /${interaction.name} (now: ${JSON.stringify(interaction.original()?.content ?? null)})`,
    );
  }

  /**
   * The first message of an interaction — its response or a follow-up, ephemeral ones included, not the
   * "thinking…" placeholder — that satisfies `predicate`. Looks at that interaction's messages only, so many
   * waits at once stay cheap (the benchmark keeps one per interaction in flight).
   */
  waitForInteractionMessage(
    interaction: FakeInteraction,
    predicate: (m: FakeMessage) => boolean,
    timeoutMs = DEFAULT_TIMEOUT_MS,
  ): Promise<FakeMessage> {
    return this.waiters.until(
      () => interaction.messages().find((m) => !m.loading && !m.deleted && predicate(m)),
      timeoutMs,
      () => `a message of /${interaction.name} matching ${predicate.toString()}`,
    );
  }

  /**
   * The `@original` response once it has content and neither it nor any follow-up has changed for `quietMs`
   * (streamed answers are edited about once a second). Follow-ups: `interaction.followUps()`.
   */
  waitForFinalReply(interaction: FakeInteraction, opts: QuietWaitOptions = {}): Promise<FakeMessage> {
    return this.waiters.settled(
      () => {
        const original = interaction.original();
        if (!original || original.loading) return undefined;
        const latest = Math.max(
          interaction.changedAtReal,
          ...interaction.messages().map((m) => m.changedAtReal),
        );
        return { value: original, changedAtReal: latest };
      },
      opts.quietMs ?? 1500,
      opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      () =>
        `a final reply to /${interaction.name} (now: ${JSON.stringify(interaction.original()?.content ?? null)})`,
    );
  }

  /**
   * The bot's reply to a message (a message with message_reference to it). With `final`, waits until the
   * reply has not been edited for `quietMs`.
   */
  waitForBotReply(
    to: FakeMessage,
    opts: QuietWaitOptions & { final?: boolean; predicate?: (m: FakeMessage) => boolean } = {},
  ): Promise<FakeMessage> {
    const find = () =>
      this.store
        .all()
        .find(
          (m) =>
            !m.deleted &&
            m.author.id === this.botUser.id &&
            m.reference?.messageId === to.id &&
            (opts.predicate?.(m) ?? true),
        );
    return this.waiters.settled(
      () => {
        const m = find();
        return m ? { value: m, changedAtReal: m.changedAtReal } : undefined;
      },
      opts.final ? (opts.quietMs ?? 1500) : 0,
      opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      () => `a bot reply to message ${JSON.stringify(to.content)}`,
    );
  }

  /** Messages the bot posted in a channel after a given message (e.g. the parts of a long answer). */
  botMessagesAfter(message: FakeMessage, channel: FakeChannel | string = message.channelId): FakeMessage[] {
    return this.messages(channel, { includeEphemeral: true }).filter(
      (m) => m.author.id === this.botUser.id && BigInt(m.id) > BigInt(message.id),
    );
  }

  // ── Lifecycle ────────────────────────────────────────────────────────────────────────────────────────────

  /** Stops the gateway and the HTTP server. Destroy the discord.js client first. */
  async close(): Promise<void> {
    this.waiters.rejectAll("fake Discord closed");
    await this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ── Internals ────────────────────────────────────────────────────────────────────────────────────────────

  private actor(opts: InteractionOptions): { user: FakeUser; channel: FakeChannel } {
    const user = opts.user ?? this.users.member;
    const channel = this.channelOf(opts.channel ?? this.channels.general);
    this.checkCanAct(user, channel);
    return { user, channel };
  }

  private channelOf(channel: FakeChannel | string): FakeChannel {
    const c = typeof channel === "string" ? this.world.channels.get(channel) : channel;
    if (!c || c.deleted)
      throw new Error(`fake Discord: no channel ${typeof channel === "string" ? channel : channel.id}`);
    return c;
  }

  private checkCanAct(user: FakeUser, channel: FakeChannel): void {
    if (channel.guildId ? !memberOf(this.world, channel.guildId, user.id) : channel.recipient?.id !== user.id)
      throw new Error(`fake Discord: ${user.username} is not in the channel's server or DM`);
  }

  private async useComponent(
    messageOrId: FakeMessage | string,
    customId: string,
    optsOrUser: InteractionOptions | FakeUser,
    values: string[] | undefined,
  ): Promise<FakeInteraction> {
    const opts: InteractionOptions = "username" in optsOrUser ? { user: optsOrUser as FakeUser } : optsOrUser;
    const message = this.store.get(typeof messageOrId === "string" ? messageOrId : messageOrId.id);
    if (!message) throw new Error("fake Discord: no such message");
    const component = findComponent(message.components, customId);
    if (!component) throw new Error(`fake Discord: no component "${customId}" on message ${message.id}`);
    if (component.disabled === true) throw new Error(`fake Discord: component "${customId}" is disabled`);
    const user = opts.user ?? this.users.member;
    const channel = this.channelOf(message.channelId);
    this.checkCanAct(user, channel);
    if (message.ephemeral) {
      const owner = this.interactionRegistry.ofMessage(message.id)?.user;
      if (owner && owner.id !== user.id)
        throw new Error("fake Discord: only its recipient can see an ephemeral message");
    }
    const componentType = typeof component.type === "number" ? component.type : 2;
    const data = { custom_id: customId, component_type: componentType, ...(values ? { values } : {}) };
    return this.dispatchInteraction(opts, user, channel, 3, "component", customId, data, message);
  }

  private async dispatchInteraction(
    opts: InteractionOptions,
    user: FakeUser,
    channel: FakeChannel,
    type: number,
    kind: "command" | "component",
    name: string,
    data: JsonObject,
    source: FakeMessage | undefined,
  ): Promise<FakeInteraction> {
    if (this.gateway.liveSessions().length === 0)
      throw new Error(
        "fake Discord: no bot session to receive the interaction (log in and await waitForIdentify())",
      );
    const id = this.world.nextId();
    const token = interactionToken();
    const payload: JsonObject = {
      ...interactionBase(
        this.world,
        {
          user,
          channel,
          ...(opts.memberPermissions !== undefined ? { memberPermissions: opts.memberPermissions } : {}),
          ...(opts.locale ? { locale: opts.locale } : {}),
        },
        id,
        token,
        type,
      ),
      data,
      ...(source ? { message: this.store.toApi(source) } : {}),
    };
    const interaction = new FakeInteraction({
      id,
      token,
      kind,
      name,
      user,
      channelId: channel.id,
      guildId: channel.guildId,
      createdAt: this.now(),
      payload,
      sourceMessageId: source?.id,
      store: this.store,
    });
    this.interactionRegistry.add(interaction);
    // Restamped as the frame is written, so latency counts from the moment the bot could see it; the
    // first stamp stays when no socket is open (the event waits in the session for a resume).
    interaction.dispatchedAtReal = performance.now();
    const written = () => {
      interaction.dispatchedAtReal = performance.now();
    };
    await this.gateway.dispatch("INTERACTION_CREATE", () => payload, written);
    this.waiters.notify();
    return interaction;
  }

  private onMessageChange(change: MessageChange): void {
    const { message, kind } = change;
    if (!message.ephemeral) {
      if (kind === "delete") {
        this.track(
          this.gateway.dispatch("MESSAGE_DELETE", (s) =>
            this.wantsMessages(s, message)
              ? {
                  id: message.id,
                  channel_id: message.channelId,
                  ...(message.guildId ? { guild_id: message.guildId } : {}),
                }
              : null,
          ),
        );
      } else {
        const t = kind === "create" ? "MESSAGE_CREATE" : "MESSAGE_UPDATE";
        this.track(this.gateway.dispatch(t, (s) => this.messageEvent(s, message)));
      }
    }
    this.waiters.notify();
  }

  private wantsMessages(session: GatewaySession, message: FakeMessage): boolean {
    return (session.intents & (message.guildId ? Intent.GuildMessages : Intent.DirectMessages)) !== 0;
  }

  /** MESSAGE_CREATE/UPDATE as a session sees it: member data, channel_type, and content only with the intent. */
  private messageEvent(session: GatewaySession, message: FakeMessage): JsonObject | null {
    if (!this.wantsMessages(session, message)) return null;
    const api = this.store.toApi(message);
    const channel = this.world.channels.get(message.channelId);
    if (channel) api.channel_type = channel.type;
    if (message.guildId) {
      const member = memberOf(this.world, message.guildId, message.author.id);
      if (member && !message.webhookId) api.member = memberToApi(member, false);
      api.mentions = (api.mentions as JsonObject[]).map((u) => {
        const m = memberOf(this.world, message.guildId, String(u.id));
        return m ? { ...u, member: memberToApi(m, false) } : u;
      });
    }
    const referenced = message.reference ? this.store.byId.get(message.reference.messageId) : undefined;
    const mentionsBot =
      message.pings.users.includes(this.botUser.id) ||
      (message.pings.repliedUser && referenced?.author.id === this.botUser.id);
    const contentVisible =
      (session.intents & Intent.MessageContent) !== 0 ||
      !message.guildId ||
      message.author.id === this.botUser.id ||
      mentionsBot;
    if (!contentVisible) Object.assign(api, { content: "", embeds: [], attachments: [], components: [] });
    return api;
  }

  private async announceThread(thread: FakeChannel): Promise<void> {
    await this.gateway.dispatch("THREAD_CREATE", (s) =>
      s.intents & Intent.Guilds
        ? {
            ...channelToApi(thread),
            newly_created: true,
            ...(thread.ownerId === this.botUser.id
              ? {
                  member: {
                    id: thread.id,
                    user_id: this.botUser.id,
                    join_timestamp: new Date(this.now()).toISOString(),
                    flags: 0,
                  },
                }
              : {}),
          }
        : null,
    );
    this.waiters.notify();
  }

  private track(write: Promise<unknown>): void {
    this.pendingWrites.add(write);
    void write.finally(() => this.pendingWrites.delete(write));
  }

  private async flush(): Promise<void> {
    await Promise.all([...this.pendingWrites]);
  }

  private describeRequests(): string {
    return this.router.requests
      .slice(-8)
      .map((r) => `${r.method} ${r.path} → ${r.status}`)
      .join(", ");
  }
}

/** Finds a component by custom_id in action rows (or nested layouts). */
function findComponent(components: unknown[], customId: string): JsonObject | undefined {
  for (const c of components) {
    if (typeof c !== "object" || c === null) continue;
    const component = c as JsonObject;
    if (component.custom_id === customId) return component;
    const nested = [component.components, component.accessory].flat().filter((x) => x !== undefined);
    const found = findComponent(nested, customId);
    if (found) return found;
  }
  return undefined;
}

function randomToken(length: number): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(length)))
    .toString("base64url")
    .slice(0, length);
}
