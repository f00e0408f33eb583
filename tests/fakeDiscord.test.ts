import { once } from "node:events";
import {
  type ChatInputCommandInteraction,
  Client,
  DiscordAPIError,
  Events,
  GatewayIntentBits,
  type Interaction,
  type Message,
  MessageFlags,
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

  it("times the acknowledgement and waits for an interaction's own messages, ephemeral follow-ups included", async () => {
    const handled = handleNextCommand(client, async (i) => {
      await i.deferReply();
      await i.editReply({ content: "thinking done" });
      await i.followUp({ content: "only for you", flags: MessageFlags.Ephemeral });
    });
    const interaction = await discord.sendSlashCommand("ask", { question: "How fast?" });
    const ephemeral = await discord.waitForInteractionMessage(interaction, (m) => m.ephemeral);
    await handled;
    expect(ephemeral.content).toBe("only for you");
    const { dispatchedAtReal, respondedAtReal, ackLatencyMs } = interaction;
    expect(dispatchedAtReal).not.toBeNull();
    expect(respondedAtReal).toBeGreaterThanOrEqual(dispatchedAtReal ?? Number.POSITIVE_INFINITY);
    expect(ackLatencyMs).toBe((respondedAtReal ?? 0) - (dispatchedAtReal ?? 0));
    // The callback is stamped when its request arrived, not later when the fake had handled it.
    const callback = discord.requestsTo(`POST /interactions/${interaction.id}/:token/callback`)[0];
    expect(respondedAtReal).toBe(callback?.arrivedAtReal);
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
    // Raw packets, because discord.js itself drops a repeated MESSAGE_CREATE for a cached message.
    const received: string[] = [];
    const onRaw = (packet: { t?: string; d?: { id?: string } }) => {
      if (packet.t === "MESSAGE_CREATE" && packet.d?.id) received.push(packet.d.id);
    };
    client.on(Events.Raw, onRaw);
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
    client.off(Events.Raw, onRaw);
  });

  it("makes the client resume when told to reconnect (op 7), and still delivers interactions", async () => {
    discord.requestReconnect();
    await discord.waitForResume();
    expect(discord.isConnected()).toBe(true);
    const handled = handleNextCommand(client, (i) => i.reply("still here"));
    const interaction = await discord.sendSlashCommand("ask", { question: "there?" });
    await handled;
    expect((await discord.waitForCallback(interaction)).type).toBe(4);
    expect(discord.gatewayStats.identifies).toBe(1);
  });
});

describe("fake Discord: components, follow-ups, threads, commands, permissions", () => {
  let discord: FakeDiscord;
  let client: Client;

  beforeAll(async () => {
    discord = await startFakeDiscord();
    client = await connect(discord);
    await discord.waitForIdentify();
  });

  afterAll(async () => {
    await client?.destroy();
    await discord?.close();
  });

  afterEach(() => {
    client.removeAllListeners(Events.InteractionCreate);
    expect(discord.problems).toEqual([]);
  });

  it("types options by the registered command and resolves users and channels", async () => {
    await client.application?.commands.set(
      [
        {
          name: "settings",
          description: "Server settings",
          options: [
            {
              type: 1,
              name: "questions",
              description: "Question channel",
              options: [
                { type: 7, name: "channel", description: "Channel", required: true },
                { type: 6, name: "notify", description: "Who to tell" },
              ],
            },
          ],
        },
      ],
      discord.guild.id,
    );
    expect(discord.commands(discord.guild.id).map((c) => c.name)).toEqual(["settings"]);
    const handled = handleNextCommand(client, async (i) => {
      await i.reply({ content: "saved", flags: 64 });
      return {
        sub: i.options.getSubcommand(),
        channel: i.options.getChannel("channel")?.id,
        notify: i.options.getUser("notify")?.id,
        commandId: i.commandId,
      };
    });
    const interaction = await discord.sendSlashCommand(
      "settings",
      { channel: discord.channels.questions, notify: discord.users.other },
      { user: discord.users.admin, subcommand: "questions" },
    );
    expect(await handled).toEqual({
      sub: "questions",
      channel: discord.channels.questions.id,
      notify: discord.users.other.id,
      commandId: discord.commands(discord.guild.id)[0]?.id,
    });
    const reply = await discord.waitForReply(interaction);
    expect(reply.ephemeral).toBe(true);
    expect(discord.messages(discord.channels.general).map((m) => m.id)).not.toContain(reply.id);
    await expect(discord.sendSlashCommand("settings", {}, { subcommand: "questions" })).rejects.toThrow(
      /requires option/,
    );
  });

  it("clicks a button: the component interaction can update the message it belongs to", async () => {
    const channel = client.channels.cache.get(discord.channels.general.id) as TextChannel;
    const posted = await channel.send({
      content: "answer",
      components: [{ type: 1, components: [{ type: 2, style: 1, custom_id: "sources", label: "Sources" }] }],
    });
    const clicked = new Promise<string>((resolve) => {
      client.once(Events.InteractionCreate, async (i) => {
        if (!i.isButton()) return;
        await i.update({ content: "answer (sources shown)", components: [] });
        resolve(i.customId);
      });
    });
    const interaction = await discord.clickButton(posted.id, "sources", discord.users.other);
    expect(await clicked).toBe("sources");
    expect(interaction.response?.type).toBe(7);
    expect(discord.message(posted.id)?.content).toBe("answer (sources shown)");
    await expect(discord.clickButton(posted.id, "sources")).rejects.toThrow(/no component/);
  });

  it("turns the first follow-up after a deferral into the reply, later ones into new messages", async () => {
    let responseMessageId: string | null = null;
    const handled = handleNextCommand(client, async (i) => {
      const deferred = await i.deferReply({ withResponse: true });
      responseMessageId = deferred.interaction.responseMessageId;
      await i.followUp("part 1");
      await i.followUp({
        content: "part 2",
        files: [{ attachment: Buffer.from("hello"), name: "notes.txt" }],
      });
    });
    const interaction = await discord.sendSlashCommand("ask", { question: "long" });
    await handled;
    const final = await discord.waitForFinalReply(interaction, { quietMs: 50 });
    expect(final.content).toBe("part 1");
    expect(responseMessageId).toBe(final.id);
    expect(interaction.followUps().map((m) => m.content)).toEqual(["part 2"]);
    expect(interaction.followUps()[0]?.attachments).toMatchObject([{ filename: "notes.txt", size: 5 }]);
    const upload = discord.requestsTo("POST /webhooks/:app/:token").at(-1);
    expect(upload?.files).toMatchObject([{ filename: "notes.txt" }]);
    expect(upload?.body).toMatchObject({ content: "part 2" });
  });

  it("starts a thread from the bot's reply and delivers a user's message posted in it", async () => {
    const question = await discord.sendMessage({ content: "thread please", mentionsBot: true });
    const channel = client.channels.cache.get(discord.channels.general.id) as TextChannel;
    const source = await channel.messages.fetch(question.id);
    const reply = await source.reply("let's talk in a thread");
    const thread = await reply.startThread({ name: "Follow-ups" });
    expect(discord.message(reply.id)?.threadId).toBe(thread.id);
    const inThread = new Promise<Message>((resolve) => {
      client.on(Events.MessageCreate, (m) => {
        if (m.channelId === thread.id) resolve(m);
      });
    });
    const followUp = await discord.sendMessage({ channel: thread.id, content: "and then?" });
    const got = await inThread;
    expect(got.id).toBe(followUp.id);
    expect(got.channel.isThread()).toBe(true);
    const userReply = await discord.sendMessage({ content: "more", replyTo: reply.id });
    const fetched = await channel.messages.fetch(userReply.id);
    expect((await fetched.fetchReference()).id).toBe(reply.id);
    client.removeAllListeners(Events.MessageCreate);
  });

  it("answers an unknown channel with 10003 and a channel the bot may not post in with 50013", async () => {
    const unknown = await rejection(
      client.rest.post(Routes.channelMessages("123456789012345678"), { body: { content: "hi" } }),
    );
    expect(unknown.code).toBe(10003);
    const readOnly = client.channels.cache.get(discord.channels.readOnly.id) as TextChannel;
    expect((await rejection(readOnly.send("hi"))).code).toBe(50013);
  });

  it("computes pings from allowed_mentions: none with parse [], everyone without allowed_mentions", async () => {
    const channel = client.channels.cache.get(discord.channels.general.id) as TextChannel;
    const quiet = await channel.send(`@everyone <@${discord.users.member.id}>`);
    expect(discord.message(quiet.id)?.pings).toEqual({
      everyone: false,
      users: [],
      roles: [],
      repliedUser: false,
    });
    const loud = (await client.rest.post(Routes.channelMessages(channel.id), {
      body: { content: "@everyone" },
    })) as {
      id: string;
      mention_everyone: boolean;
    };
    expect(loud.mention_everyone).toBe(true);
    expect(discord.message(loud.id)?.pings.everyone).toBe(true);
    expect(discord.requestsTo("POST /channels/:id/messages").at(-1)?.allowedMentions).toBeUndefined();
    const latest = await channel.messages.fetch({ limit: 2, cache: false });
    expect([...latest.keys()]).toEqual([loud.id, quiet.id]);
  });

  it("refuses what Discord refuses, with Discord's codes", async () => {
    const post = (body: object) =>
      rejection(client.rest.post(Routes.channelMessages(discord.channels.questions.id), { body }));
    const field = { name: "n", value: "v" };
    const row = (id: string) => ({ type: 1, components: [{ type: 2, style: 1, custom_id: id, label: "b" }] });
    const cases: Array<[object, number, string[]]> = [
      [{ content: "   " }, 50006, []],
      [
        { embeds: Array.from({ length: 11 }, () => ({ title: "t" })) },
        50035,
        ["embeds:BASE_TYPE_MAX_LENGTH"],
      ],
      [{ embeds: [{ title: "t".repeat(257) }] }, 50035, ["embeds.0.title:BASE_TYPE_MAX_LENGTH"]],
      [
        { embeds: [{ fields: Array.from({ length: 26 }, () => field) }] },
        50035,
        ["embeds.0.fields:BASE_TYPE_MAX_LENGTH"],
      ],
      [
        { embeds: [{ fields: [{ name: "n", value: "v".repeat(1025) }] }] },
        50035,
        ["embeds.0.fields.0.value:BASE_TYPE_MAX_LENGTH"],
      ],
      [
        { embeds: [{ footer: { text: "f".repeat(2049) } }] },
        50035,
        ["embeds.0.footer.text:BASE_TYPE_MAX_LENGTH"],
      ],
      [
        { embeds: [{ description: "d".repeat(3500) }, { description: "d".repeat(3500) }] },
        50035,
        ["embeds:MAX_EMBED_SIZE_EXCEEDED"],
      ],
      [
        { content: "rows", components: ["a", "b", "c", "d", "e", "f"].map(row) },
        50035,
        ["components:BASE_TYPE_BAD_LENGTH"],
      ],
      [
        { content: "dup", components: [row("same"), row("same")] },
        50035,
        ["components.1.components.0.custom_id:COMPONENT_CUSTOM_ID_DUPLICATED"],
      ],
      [
        { content: "x", allowed_mentions: { parse: ["users"], users: [discord.users.member.id] } },
        50035,
        ["allowed_mentions:MESSAGE_ALLOWED_MENTIONS_PARSE_EXCLUSIVE"],
      ],
      [
        { content: "x", message_reference: { message_id: "123456789012345678" } },
        50035,
        ["message_reference:MESSAGE_REFERENCE_UNKNOWN_MESSAGE"],
      ],
    ];
    for (const [body, code, paths] of cases) {
      const error = await post(body);
      expect({ body, code: error.code, paths: errorPaths(error.rawError) }).toEqual({ body, code, paths });
    }
    expect(discord.messages(discord.channels.questions)).toEqual([]);
    const theirs = await discord.sendMessage({ channel: discord.channels.questions, content: "mine" });
    const edit = rejection(
      client.rest.patch(Routes.channelMessage(theirs.channelId, theirs.id), { body: { content: "x" } }),
    );
    expect((await edit).code).toBe(50005);
  });

  it("serves command, guild, user and application reads, and records modals", async () => {
    const commands = client.application?.commands;
    const created = await commands?.create({ name: "sources", description: "List the articles" });
    const edited = await commands?.edit(created?.id ?? "", { description: "The articles" });
    expect(edited?.id).toBe(created?.id);
    expect((await commands?.fetch())?.map((c) => c.description)).toEqual(["The articles"]);
    await commands?.delete(created?.id ?? "");
    expect(discord.commands()).toEqual([]);
    const guild = await client.guilds.fetch({ guild: discord.guild.id, force: true });
    expect(guild.ownerId).toBe(discord.users.owner.id);
    expect((await guild.channels.fetch()).has(discord.channels.general.id)).toBe(true);
    expect((await guild.roles.fetch()).has(discord.roles.bot.id)).toBe(true);
    expect((await guild.channels.fetchActiveThreads()).threads.size).toBeGreaterThanOrEqual(0);
    expect((await client.users.fetch(discord.users.other.id, { force: true })).username).toBe("other");
    expect((await client.application?.fetch())?.id).toBe(discord.applicationId);
    const handled = handleNextCommand(client, (i) =>
      i.showModal({
        title: "Settings",
        custom_id: "settings-modal",
        components: [{ type: 1, components: [{ type: 4, custom_id: "time", label: "Time", style: 1 }] }],
      }),
    );
    const interaction = await discord.sendSlashCommand("feedback");
    await handled;
    expect(interaction.response).toMatchObject({ type: 9, data: { custom_id: "settings-modal" } });
  });

  it("opens a DM and keeps the bot's message in it", async () => {
    await client.users.send(discord.users.member.id, "a private note");
    const dm = discord.openDm(discord.users.member);
    expect(discord.messages(dm).map((m) => m.content)).toEqual(["a private note"]);
  });

  it("delivers select menus, reactions, member fetches and user-created threads", async () => {
    const channel = client.channels.cache.get(discord.channels.general.id) as TextChannel;
    const menu = await channel.send({
      content: "pick",
      components: [
        {
          type: 1,
          components: [
            {
              type: 3,
              custom_id: "tz",
              options: [
                { label: "UTC", value: "UTC" },
                { label: "Paris", value: "Europe/Paris" },
              ],
            },
          ],
        },
      ],
    });
    const picked = new Promise<string[]>((resolve) => {
      client.once(Events.InteractionCreate, async (i) => {
        if (!i.isStringSelectMenu()) return;
        await i.deferUpdate();
        resolve(i.values);
      });
    });
    const selection = await discord.selectMenu(menu.id, "tz", ["Europe/Paris"], {
      user: discord.users.admin,
    });
    expect(await picked).toEqual(["Europe/Paris"]);
    expect(selection.original()?.id).toBe(menu.id);
    await menu.react("👍");
    expect(discord.message(menu.id)?.reactions).toEqual(["👍"]);
    const admin = await channel.guild.members.fetch({ user: discord.users.admin.id, force: true });
    expect(admin.roles.cache.has(discord.roles.moderators.id)).toBe(true);
    const created = new Promise<string>((resolve) => client.once(Events.ThreadCreate, (t) => resolve(t.id)));
    const thread = await discord.createThread(discord.channels.questions, { name: "User thread" });
    expect(await created).toBe(thread.id);
    await channel.send("later");
    const menuMessage = discord.message(menu.id);
    expect(menuMessage && discord.botMessagesAfter(menuMessage).map((m) => m.content)).toEqual(["later"]);
  });

  it("scripts failures and deletes channels: the client sees the errors and the deletion", async () => {
    const channel = client.channels.cache.get(discord.channels.summaries.id) as TextChannel;
    discord.failNext("POST /channels/:id/messages", { status: 404, code: 10003, message: "Unknown Channel" });
    expect((await rejection(channel.send("first try"))).code).toBe(10003);
    await channel.send("second try");
    const deleted = new Promise<string>((resolve) => client.once(Events.ChannelDelete, (c) => resolve(c.id)));
    await discord.deleteChannel(discord.channels.summaries);
    expect(await deleted).toBe(discord.channels.summaries.id);
    expect(
      (await rejection(client.rest.post(Routes.channelMessages(channel.id), { body: { content: "x" } })))
        .code,
    ).toBe(10003);
    expect(discord.messages(channel.id).map((m) => m.content)).toEqual(["second try"]);
  });
});

describe("fake Discord REST and gateway without discord.js", () => {
  it("refuses requests without the bot token, and paces edits with buckets when asked", async () => {
    const discord = await startFakeDiscord({ editRateLimit: { count: 2, perMs: 60_000 } });
    try {
      const headers = { authorization: `Bot ${discord.token}`, "content-type": "application/json" };
      const url = `${discord.apiUrl}/v10/channels/${discord.channels.general.id}/messages`;
      const anonymous = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: "{}",
      });
      expect(anonymous.status).toBe(401);
      const created = (await (
        await fetch(url, { method: "POST", headers, body: JSON.stringify({ content: "v0" }) })
      ).json()) as {
        id: string;
      };
      const edit = (content: string) =>
        fetch(`${url}/${created.id}`, { method: "PATCH", headers, body: JSON.stringify({ content }) });
      const first = await edit("v1");
      expect(first.status).toBe(200);
      expect(first.headers.get("x-ratelimit-remaining")).toBe("1");
      expect((await edit("v2")).status).toBe(200);
      const limited = await edit("v3");
      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).not.toBeNull();
      expect(await limited.json()).toMatchObject({ message: "You are being rate limited.", global: false });
      expect(discord.message(created.id)?.versions.map((v) => v.content)).toEqual(["v0", "v1", "v2"]);
    } finally {
      await discord.close();
    }
  });

  it("speaks the gateway protocol to a raw socket: sequence numbers, ACKs, member chunks, INVALID_SESSION", async () => {
    const discord = await startFakeDiscord();
    const open = async () => {
      const ws = new WebSocket(`${discord.gatewayUrl}?v=10&encoding=json`);
      const frames: Array<{
        op: number;
        d: { [k: string]: unknown } | boolean | null;
        s: number | null;
        t: string | null;
      }> = [];
      ws.addEventListener("message", (e) => frames.push(JSON.parse(String(e.data))));
      await once(ws, "open");
      return { ws, frames };
    };
    const first = await open();
    const second = await open();
    try {
      first.ws.send(
        JSON.stringify({ op: 2, d: { token: discord.token, intents: 1, properties: {}, shard: [0, 1] } }),
      );
      await until(() => first.frames.length >= 4);
      expect(first.frames.map((f) => [f.op, f.t, f.s])).toEqual([
        [10, null, null],
        [0, "READY", 1],
        [0, "GUILD_CREATE", 2],
        [0, "GUILD_CREATE", 3],
      ]);
      first.ws.send(JSON.stringify({ op: 1, d: 3 }));
      first.ws.send(
        JSON.stringify({ op: 8, d: { guild_id: discord.guild.id, query: "", limit: 0, nonce: "n1" } }),
      );
      await until(() => first.frames.length >= 6);
      expect(first.frames[4]).toMatchObject({ op: 11 });
      const chunk = first.frames[5];
      expect(chunk).toMatchObject({
        op: 0,
        t: "GUILD_MEMBERS_CHUNK",
        s: 4,
        d: { nonce: "n1", chunk_count: 1 },
      });
      expect((chunk?.d as { members: unknown[] }).members).toHaveLength(discord.guild.members.size);

      second.ws.send(JSON.stringify({ op: 6, d: { token: discord.token, session_id: "nope", seq: 3 } }));
      await until(() => second.frames.length >= 2);
      expect(second.frames[1]).toEqual({ op: 9, d: false, s: null, t: null });
    } finally {
      first.ws.close();
      second.ws.close();
      await discord.close();
    }
  });
});

describe("fake Discord with privileged intents switched off", () => {
  it("closes the gateway with 4014 when the client asks for Message Content", async () => {
    const discord = await startFakeDiscord({ grantedIntents: { messageContent: false } });
    const client = new Client({
      intents: INTENTS,
      rest: { api: discord.apiUrl, globalRequestsPerSecond: 1000 },
    });
    try {
      await expect(client.login(discord.token)).rejects.toThrow(/disallowed intents/i);
      await until(() => discord.gatewayStats.connections[0]?.closeCode === 4014);
      expect(discord.isConnected()).toBe(false);
    } finally {
      await client.destroy();
      await discord.close();
    }
  });
});

describe("fake Discord without the Message Content intent", () => {
  it("sends empty content except for messages that mention the bot", async () => {
    const discord = await startFakeDiscord({ heartbeatIntervalMs: 50 });
    const client = await connect(discord, [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages]);
    try {
      const received = new Map<string, string>();
      client.on(Events.MessageCreate, (m) => void received.set(m.id, m.content));
      const plain = await discord.sendMessage({ content: "hello there" });
      const mention = await discord.sendMessage({ content: "hello bot", mentionsBot: true });
      await until(() => received.has(plain.id) && received.has(mention.id));
      expect(received.get(plain.id)).toBe("");
      expect(received.get(mention.id)).toContain("hello bot");
      // Heartbeats are acknowledged: discord.js measures a ping only from an ACK.
      await until(() => client.ws.ping >= 0);
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

/** Flattens Discord's nested `errors` into "path:CODE" entries. */
function errorPaths(raw: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown, path: string[]) => {
    if (typeof node !== "object" || node === null) return;
    for (const [key, value] of Object.entries(node)) {
      if (key === "_errors")
        for (const e of value as Array<{ code: string }>) out.push(`${path.join(".")}:${e.code}`);
      else walk(value, [...path, key]);
    }
  };
  walk((raw as { errors?: unknown }).errors, []);
  return out;
}
