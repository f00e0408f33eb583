import { once } from "node:events";
import {
  type ChatInputCommandInteraction,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type Interaction,
  type Message,
  Routes,
  type TextChannel,
} from "discord.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { allowsNoMentions, type FakeDiscord, startFakeDiscord } from "./fakes/fakeDiscord.ts";

const INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.MessageContent,
  GatewayIntentBits.DirectMessages,
];

async function connect(discord: FakeDiscord, intents: GatewayIntentBits[] = INTENTS): Promise<Client> {
  const client = new Client({
    intents,
    rest: { api: discord.apiUrl, globalRequestsPerSecond: 1000 },
    allowedMentions: { parse: [] },
  });
  const ready = once(client, Events.ClientReady);
  await client.login(discord.token);
  await ready;
  return client;
}

/** Runs `handler` for the next chat-input interaction and hands back its outcome. */
function handleNextCommand<T>(
  client: Client,
  handler: (i: ChatInputCommandInteraction) => Promise<T>,
): Promise<T> {
  return new Promise((resolve, reject) => {
    const listener = (interaction: Interaction) => {
      if (!interaction.isChatInputCommand()) return;
      client.off(Events.InteractionCreate, listener);
      handler(interaction).then(resolve, reject);
    };
    client.on(Events.InteractionCreate, listener);
  });
}

async function rejection(promise: Promise<unknown>): Promise<DiscordAPIError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof DiscordAPIError) return error;
    throw error;
  }
  throw new Error("expected the request to be rejected");
}

describe("fake Discord with the real discord.js client", () => {
  let discord: FakeDiscord;
  let client: Client;

  beforeAll(async () => {
    discord = await startFakeDiscord();
    client = await connect(discord);
  });

  afterAll(async () => {
    await client?.destroy();
    await discord?.close();
  });

  afterEach(() => {
    client.removeAllListeners(Events.InteractionCreate);
    client.removeAllListeners(Events.MessageCreate);
    expect(discord.problems).toEqual([]);
  });

  it("logs in over REST + gateway and caches the guild, its channels and roles", async () => {
    expect(client.user?.id).toBe(discord.botUser.id);
    const guild = client.guilds.cache.get(discord.guild.id);
    expect(guild?.available).toBe(true);
    expect(guild?.channels.cache.get(discord.channels.general.id)?.name).toBe("general");
    expect(guild?.roles.cache.has(discord.roles.moderators.id)).toBe(true);
    expect(client.guilds.cache.has(discord.secondGuild.id)).toBe(true);
    expect(discord.requestsTo("GET /gateway/bot")).toHaveLength(1);
    const [connection] = discord.gatewayStats.connections;
    expect(connection).toMatchObject({
      path: "/gateway",
      start: "identify",
      query: { v: "10", encoding: "json" },
    });
    expect(discord.botUser.id).toMatch(/^\d{17,19}$/);
  });

  it("delivers a slash command; deferReply and editReply reach the callback and %40original routes", async () => {
    const handled = handleNextCommand(client, async (i) => {
      await i.deferReply();
      await i.editReply({ content: `You asked: ${i.options.getString("question")}` });
      return { user: i.user.id, channel: i.channelId, perms: i.memberPermissions?.bitfield };
    });
    const interaction = await discord.sendSlashCommand(
      "ask",
      { question: "Who won?" },
      { user: discord.users.admin },
    );
    const seen = await handled;
    expect(seen.user).toBe(discord.users.admin.id);
    expect(seen.channel).toBe(discord.channels.general.id);
    expect(interaction.response?.type).toBe(5);
    const reply = await discord.waitForReply(interaction);
    expect(reply.content).toBe("You asked: Who won?");
    expect(reply.versions.map((v) => v.flags & 128)).toEqual([128, 0]);
    const edit = discord.requestsTo("PATCH /webhooks/:app/:token/messages/@original")[0];
    expect(edit?.url).toContain("/messages/%40original");
    expect(edit?.status).toBe(200);
    expect(allowsNoMentions(edit?.allowedMentions)).toBe(true);
    expect(discord.messages(discord.channels.general).map((m) => m.id)).toContain(reply.id);
  });

  it("answers a callback after the 3-second deadline with 10062 Unknown interaction", async () => {
    const handled = handleNextCommand(client, async (i) => {
      discord.advanceClock(3_500);
      return rejection(i.deferReply());
    });
    const interaction = await discord.sendSlashCommand("ask", { question: "late" });
    const error = await handled;
    expect(error.code).toBe(10062);
    expect(error.status).toBe(404);
    expect(interaction.acknowledged).toBe(false);
  });

  it("refuses a second acknowledgement with 40060", async () => {
    const handled = handleNextCommand(client, async (i) => {
      await i.deferReply();
      return rejection(
        client.rest.post(Routes.interactionCallback(i.id, i.token), {
          body: { type: 5, data: {} },
          auth: false,
        }),
      );
    });
    const interaction = await discord.sendSlashCommand("ask", { question: "twice" });
    const error = await handled;
    expect(error.code).toBe(40060);
    expect(interaction.callbackAttempts.map((a) => a.status)).toEqual([204, 400]);
  });

  it("rejects edits after the webhook token expired with 50027", async () => {
    const handled = handleNextCommand(client, async (i) => {
      await i.deferReply();
      discord.advanceClock(16 * 60_000);
      return rejection(i.editReply("too late"));
    });
    await discord.sendSlashCommand("ask", { question: "slow" });
    expect((await handled).code).toBe(50027);
  });

  it("rejects 2,001 characters and oversized embeds with 50035 Invalid Form Body, and stores nothing", async () => {
    const channel = client.channels.cache.get(discord.channels.questions.id) as TextChannel;
    const tooLong = await rejection(channel.send("x".repeat(2001)));
    expect(tooLong.code).toBe(50035);
    expect(tooLong.rawError).toMatchObject({
      errors: { content: { _errors: [{ code: "BASE_TYPE_MAX_LENGTH" }] } },
    });
    const bigEmbed = await rejection(channel.send({ embeds: [{ description: "y".repeat(4097) }] }));
    expect(bigEmbed.code).toBe(50035);
    expect(discord.messages(discord.channels.questions)).toEqual([]);
    await channel.send("x".repeat(2000));
    expect(discord.messages(discord.channels.questions)).toHaveLength(1);
  });

  it("answers a scripted 429 with retry_after, and the client retries successfully", async () => {
    discord.rateLimitNext("POST /channels/:id/messages", 0.1, 1);
    const channel = client.channels.cache.get(discord.channels.summaries.id) as TextChannel;
    const sent = await channel.send("after the rate limit");
    const attempts = discord.requestsTo(`POST /channels/${discord.channels.summaries.id}/messages`);
    expect(attempts.map((r) => r.status)).toEqual([429, 200]);
    expect(attempts[0]?.response).toMatchObject({ retry_after: 0.1, global: false });
    expect(discord.message(sent.id)?.content).toBe("after the rate limit");
  });

  it("dispatches a user's message mentioning the bot to messageCreate; the bot's own post comes back too", async () => {
    const received: Message[] = [];
    client.on(Events.MessageCreate, (m) => void received.push(m));
    const question = await discord.sendMessage({ content: "what happened?", mentionsBot: true });
    await until(() => received.some((m) => m.id === question.id));
    const got = received.find((m) => m.id === question.id);
    expect(got?.content).toBe(`<@${discord.botUser.id}> what happened?`);
    expect(got?.mentions.users.has(discord.botUser.id)).toBe(true);
    expect(got?.author.id).toBe(discord.users.member.id);
    const reply = await got?.reply("an answer");
    const stored = await discord.waitForBotReply(question);
    expect(stored.id).toBe(reply?.id);
    expect(stored.pings.repliedUser).toBe(false);
    await until(() => received.some((m) => m.id === reply?.id && m.author.bot));
  });

  it("resumes after a disconnect and receives the event sent while down exactly once", async () => {
    const received: string[] = [];
    client.on(Events.MessageCreate, (m) => void received.push(m.id));
    await discord.disconnectClient();
    const missed = await discord.sendMessage({ content: "sent while the bot was away" });
    await discord.waitForResume();
    const marker = await discord.sendMessage({ content: "after the resume" });
    await until(() => received.includes(marker.id));
    expect(received.filter((id) => id === missed.id)).toHaveLength(1);
    expect(received.indexOf(missed.id)).toBeLessThan(received.indexOf(marker.id));
    const last = discord.gatewayStats.connections.at(-1);
    expect(last).toMatchObject({ path: "/gateway/resume", start: "resume" });
    expect(discord.gatewayStats.identifies).toBe(1);
  });
});

describe("fake Discord without the Message Content intent", () => {
  it("sends empty content except for messages that mention the bot", async () => {
    const discord = await startFakeDiscord();
    const client = await connect(discord, [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages]);
    try {
      const received = new Map<string, string>();
      client.on(Events.MessageCreate, (m) => void received.set(m.id, m.content));
      const plain = await discord.sendMessage({ content: "hello there" });
      const mention = await discord.sendMessage({ content: "hello bot", mentionsBot: true });
      await until(() => received.has(plain.id) && received.has(mention.id));
      expect(received.get(plain.id)).toBe("");
      expect(received.get(mention.id)).toContain("hello bot");
    } finally {
      await client.destroy();
      await discord.close();
    }
  });
});

async function until(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error("condition not met in time");
    await new Promise((r) => setTimeout(r, 5));
  }
}
