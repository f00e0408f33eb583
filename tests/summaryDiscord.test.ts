// End to end through the loopback Discord and the real discord.js client: the daily post appears
// once, survives a restart without a second post, carries citations that resolve, and a channel the
// bot may not post in is reported without stopping another server's post. Also /summary and /timeline.
import { once } from "node:events";
import { Client, Events, GatewayIntentBits, type Interaction } from "discord.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { commands } from "../commands/index.ts";
import summaryCommand from "../commands/summary.ts";
import timelineCommand from "../commands/timeline.ts";
import { parseConfig } from "../src/config.ts";
import type { BotContext, BotCore, Command } from "../src/discord/command.ts";
import { type Bot, createBot } from "../src/discord/createBot.ts";
import { createRateLimiter } from "../src/discord/rateLimit.ts";
import { runCommand } from "../src/discord/runCommand.ts";
import { createSummaryPoster, renderSummary, startSummarySchedule } from "../src/discord/summaryPoster.ts";
import { buildSummary } from "../src/summary/buildSummary.ts";
import { summaryHeading } from "../src/summary/formatText.ts";
import type { SummarySchedule } from "../src/summary/scheduleSummaries.ts";
import type { Passage } from "../src/types.ts";
import { allowsNoMentions, type FakeDiscord, startFakeDiscord } from "./fakes/fakeDiscord.ts";
import { DRONE, TALKS, type TestCore, testCore } from "./summaryHelpers.ts";

let discord: FakeDiscord;
let core: TestCore;
let bot: Bot | undefined;
let schedule: SummarySchedule | undefined;

beforeEach(async () => {
  discord = await startFakeDiscord();
  core = await testCore([TALKS, DRONE], "2026-02-04T10:00:00Z");
});

afterEach(async () => {
  await stopBot();
  await discord.close();
  await core.close();
});

function botCore(): BotCore {
  const config = parseConfig({
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discord.apiUrl,
    SUMMARY_CHANNEL_ID: discord.channels.summaries.id,
    SUMMARY_TIME: "09:00",
    SUMMARY_TIMEZONE: "UTC",
  });
  return Object.assign(core.deps, { config });
}

async function startBot(): Promise<SummarySchedule> {
  const started = createBot(botCore(), commands, {
    registerCommands: false,
    rest: { globalRequestsPerSecond: 1000 },
  });
  await started.start();
  bot = started;
  schedule = startSummarySchedule(started.client, botCore());
  return schedule;
}

async function stopBot(): Promise<void> {
  await schedule?.stop();
  schedule = undefined;
  await bot?.stop();
  bot = undefined;
}

function botPosts(channelId: string) {
  return discord.messages(channelId).filter((m) => m.author.id === discord.botUser.id);
}

/** Undoes the Markdown escaping of literal text (titles, quotes) in a message. */
function unescape(text: string): string {
  return text.replace(/\\([\\`*_~|>#\-[\]()<.!+])/g, "$1");
}

/** Every [n] in the summary has a source line, and every quote is cut verbatim from a passage. */
function expectValidCitations(content: string, passages: readonly Passage[]) {
  const [body = "", sources = ""] = content.split("\n**Sources**\n");
  const markers = new Set([...body.matchAll(/\[(\d+)\]/g)].map((m) => m[1]));
  expect(markers.size).toBeGreaterThan(0);
  // Each article's title line, then one line per cited passage: "[n] ¶p: “quote”".
  const lines = sources.split("\n").filter((line) => /^\[\d+\] /.test(line));
  expect(lines.length).toBe(markers.size);
  for (const n of markers) expect(lines.some((line) => line.startsWith(`[${n}] `))).toBe(true);
  for (const line of lines) {
    const quote = /: “(.*)”$/.exec(line)?.[1];
    expect(quote).toBeDefined();
    const verbatim = unescape(quote ?? "").replace(/…$/, "");
    expect(passages.some((p) => p.text.includes(verbatim))).toBe(true);
  }
}

describe("daily summary on Discord", () => {
  it("posts once, with valid citations, and does not post again after a restart", async () => {
    const running = await startBot();
    await running.check();
    const posts = botPosts(discord.channels.summaries.id);
    expect(posts).toHaveLength(1);
    const post = posts[0];
    expect(post?.content.split("\n")[0]).toBe("📰 **Daily summary — 2026-02-04**");
    expect(post?.content.length).toBeLessThanOrEqual(2000);
    expectValidCitations(post?.content ?? "", core.deps.retriever.passages());
    expect(allowsNoMentions(post?.allowedMentions)).toBe(true);
    expect(post?.pings).toMatchObject({ everyone: false });

    await stopBot();
    await core.restart();
    core.clock.set("2026-02-04T11:00:00Z");
    const again = await startBot();
    expect(await again.check()).toEqual([
      expect.objectContaining({ channelId: discord.channels.summaries.id, outcome: "done" }),
    ]);
    expect(botPosts(discord.channels.summaries.id)).toHaveLength(1);
    expect(discord.problems).toEqual([]);
  });

  it("finds a post sent but never recorded (a crash) in the channel instead of posting twice", async () => {
    const running = await startBot();
    await running.check();
    const [yesterday] = botPosts(discord.channels.summaries.id);

    // What a crash between sending and recording leaves: a claim without a message id, and the
    // message itself in the channel, sent by the bot the way the schedule sends it.
    core.clock.set("2026-02-05T09:00:00Z");
    const key = `${discord.guild.id}:${discord.channels.summaries.id}:2026-02-05`;
    await core.deps.store.claimSummaryPost({
      key,
      guildId: discord.guild.id,
      channelId: discord.channels.summaries.id,
      localDate: "2026-02-05",
      claimedAt: "2026-02-05T09:00:00.000Z",
    });
    const summary = await buildSummary(core.deps, { since: new Date("2026-02-04T10:00:00Z") });
    const content = renderSummary(summary, summaryHeading("2026-02-05"), new Set());
    const sentBeforeCrash = await createSummaryPoster(bot?.client as Client).send(
      discord.channels.summaries.id,
      content,
    );
    await stopBot();
    await core.restart();

    core.clock.set("2026-02-05T09:01:00Z");
    const restarted = await startBot();
    expect(await restarted.check()).toEqual([expect.objectContaining({ outcome: "recovered" })]);
    expect(botPosts(discord.channels.summaries.id).map((m) => m.id)).toEqual([
      yesterday?.id,
      sentBeforeCrash,
    ]);
    expect((await core.deps.store.summaryPost(key))?.messageId).toBe(sentBeforeCrash);
    expect(discord.requestsTo("GET /channels/:channelId/messages").length).toBeGreaterThan(0);
  });

  it("reports a channel it may not post in and still posts in another server", async () => {
    await core.deps.store.updateGuildSettings(discord.guild.id, {
      summaryChannelId: discord.channels.readOnly.id,
    });
    await core.deps.store.updateGuildSettings(discord.secondGuild.id, {
      summaryChannelId: discord.secondChannels.general.id,
    });
    const running = await startBot();
    const reports = await running.check();
    expect(reports).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ channelId: discord.channels.readOnly.id, outcome: "failed" }),
        expect.objectContaining({ channelId: discord.secondChannels.general.id, outcome: "posted" }),
      ]),
    );
    expect(botPosts(discord.channels.readOnly.id)).toHaveLength(0);
    expect(botPosts(discord.secondChannels.general.id)).toHaveLength(1);
    const problem = (await core.deps.store.guildSettings(discord.guild.id))?.summaryProblem;
    expect(problem).toContain("the bot lacks permission to post there");
  });
});

describe("/summary and /timeline", () => {
  let client: Client;
  let ctx: BotContext;

  beforeEach(async () => {
    client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages],
      rest: { api: discord.apiUrl, globalRequestsPerSecond: 1000 },
    });
    const ready = once(client, Events.ClientReady);
    await client.login(discord.token);
    await ready;
    ctx = {
      core: botCore(),
      timings: { editIntervalMs: 1_000, tokenLifetimeMs: 15 * 60_000 },
      rateLimiter: createRateLimiter(5, () => core.clock().getTime()),
      shutdown: new AbortController().signal,
    };
  });

  afterEach(async () => {
    await client.destroy();
  });

  /** Runs the command for the next slash command the fake sends. */
  function serve(command: Command): Promise<void> {
    return new Promise((resolve, reject) => {
      const listener = (interaction: Interaction) => {
        if (!interaction.isChatInputCommand()) return;
        client.off(Events.InteractionCreate, listener);
        runCommand(command, interaction, ctx).then(resolve, reject);
      };
      client.on(Events.InteractionCreate, listener);
    });
  }

  it("/summary shows the caller what is new since the server's last daily post, cited", async () => {
    await core.deps.store.claimSummaryPost({
      key: `${discord.guild.id}:${discord.channels.summaries.id}:2026-02-03`,
      guildId: discord.guild.id,
      channelId: discord.channels.summaries.id,
      localDate: "2026-02-03",
      claimedAt: "2026-02-03T09:00:00.000Z",
    });
    await core.deps.store.recordSummaryPost(
      `${discord.guild.id}:${discord.channels.summaries.id}:2026-02-03`,
      "1",
      "2026-02-03T09:00:00.000Z",
    );
    const served = serve(summaryCommand);
    const interaction = await discord.sendSlashCommand("summary", {}, { user: discord.users.member });
    await served;
    const reply = await discord.waitForReply(interaction);
    expect(reply.flags & 64).toBe(64); // only the caller sees it
    const lines = reply.content.split("\n");
    expect(lines[0]).toBe("📰 **Summary of the story**");
    expect(lines[1]).toBe("**New since 2026-02-03 09:00 UTC** (1 article)");
    expect(lines[2]).toContain("Arabian Sea");
    expectValidCitations(reply.content, core.deps.retriever.passages());
    expect(allowsNoMentions(reply.allowedMentions)).toBe(true);
  });

  it("/summary share:true posts it for everyone", async () => {
    const served = serve(summaryCommand);
    const interaction = await discord.sendSlashCommand(
      "summary",
      { share: true },
      { user: discord.users.member },
    );
    await served;
    const reply = await discord.waitForReply(interaction);
    expect(reply.flags & 64).toBe(0);
    expect(reply.content.split("\n")[1]).toBe("**Latest in the story** (2 articles)");
  });

  it("/timeline lists the dated events in order with their sources", async () => {
    const served = serve(timelineCommand);
    const interaction = await discord.sendSlashCommand("timeline", {}, { user: discord.users.member });
    await served;
    const reply = await discord.waitForReply(interaction);
    const content = [reply, ...interaction.followUps()].map((m) => m.content).join("\n");
    expect(reply.flags & 64).toBe(64);
    expect(content.split("\n")[0]).toBe("🗓️ **Timeline of the story**");
    // TALKS is dated by nothing but weekdays: kept as given, in the order the story tells them.
    const dates = [...content.matchAll(/^\*\*(.+?)\*\* /gm)].map((m) => m[1]);
    expect(dates).toEqual(["Tuesday", "Friday"]);
    expect(content).toContain(
      "**Sources**\n[Netanyahu tells US envoy Iran cannot be trusted](<https://example.com/talks>)\n[1] ¶1: “",
    );
  });
});
