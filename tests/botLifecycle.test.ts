// The bot's life end to end: registering commands (only when they changed), a graceful stop that
// finishes or abandons answers in flight, memory that survives a restart, and serving without the
// privileged Message Content intent.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { commands } from "../commands/index.ts";
import { parseConfig } from "../src/config.ts";
import { SHUTDOWN_LINE } from "../src/discord/answerQuestion.ts";
import { deployCommands } from "../src/discord/deployCommands.ts";
import { type Harness, isFinalAnswer, startHarness, waitForAnswer, waitUntil } from "./discordHarness.ts";
import type { FakeReply, FakeRequest } from "./fakes/fakeOpenAI.ts";

const MESSAGE_CONTENT_INTENT = 1 << 15;

function responder(request: FakeRequest): FakeReply {
  const last = request.messages.at(-1)?.content ?? "";
  const followUp = /Follow-up question: (.*)$/s.exec(last)?.[1];
  if (followUp) return `${followUp} (about the meeting with Witkoff)`;
  const question = last.split("\nQuestion: ").at(-1) ?? "";
  const text = "The meeting with Witkoff lasted over three hours and was attended by Israel Katz [1].";
  if (question.includes("hang")) return { kind: "hang" };
  if (question.includes("slow")) return { kind: "text", text, chunkChars: 4, delayMs: 40 };
  return text;
}

let h: Harness | undefined;

afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe("start", () => {
  it("registers the slash commands once, and again only when they change where they go", async () => {
    h = await startHarness({ responder });
    const names = h.discord.commands().map((c) => c.name);
    expect(names).toEqual(expect.arrayContaining(["ask", "sources", "forget", "settings"]));
    const settings = h.discord.commands().find((c) => c.name === "settings");
    expect(settings?.default_member_permissions).toBe("32"); // Manage Server
    const puts = () => h?.discord.requestsTo("PUT /applications/:app/commands").length;
    expect(puts()).toBe(1);

    await h.restartBot();
    expect(puts()).toBe(1);

    await h.restartBot({ env: { DISCORD_GUILD_ID: h.discord.guild.id } });
    expect(h.discord.commands(h.discord.guild.id).map((c) => c.name)).toEqual(
      expect.arrayContaining(["ask"]),
    );
  });
});

describe("deployCommands (storybot deploy-commands)", () => {
  it("registers the commands in the configured guild, from the same list the router uses", async () => {
    h = await startHarness({ llm: false, bot: { registerCommands: false } });
    expect(h.discord.commands()).toEqual([]);
    const config = parseConfig({
      DISCORD_TOKEN: h.discord.token,
      DISCORD_API_URL: h.discord.apiUrl,
      DISCORD_GUILD_ID: h.discord.guild.id,
      DATA_DIR: h.dataDir,
    });
    const line = await deployCommands(config, commands);
    expect(line).toMatch(/^Registered \/ask, .* in guild \d+ \(available now\)\.$/);
    const registered = h.discord.commands(h.discord.guild.id).map((c) => c.name);
    expect(registered.sort()).toEqual(commands.map((c) => c.data.name).sort());
    expect(h.discord.commands()).toEqual([]);
  });
});

describe("daily summaries", () => {
  it("posts the day's summary when asked to, and stops its schedule with the bot", async () => {
    h = await startHarness({
      responder,
      env: { SUMMARY_TIME: "00:00", SUMMARY_TIMEZONE: "UTC" },
      bot: { dailySummaries: false },
    });
    const summaries = h.discord.channels.summaries.id;
    await h.restartBot({ env: { SUMMARY_CHANNEL_ID: summaries }, bot: { dailySummaries: true } });
    const botId = h.discord.botUser.id;
    const post = await h.discord.waitForMessage((m) => m.channelId === summaries && m.author.id === botId);
    expect(post.content).toContain("[1]");
    await h.stopBot();
    expect(h.discord.messages(summaries).filter((m) => m.author.id === botId)).toHaveLength(1);
  });
});

describe("stop", () => {
  it("finishes an answer in flight, flushes the store, and remembers the conversation after a restart", async () => {
    h = await startHarness({ responder });
    const user = h.discord.addUser("steady");
    const question = "Tell me slowly: how long was the meeting?";
    const i = await h.discord.sendSlashCommand("ask", { question }, { user });
    await h.discord.waitForReply(i); // streaming has begun
    await h.stopBot();

    const reply = i.original();
    expect(reply?.content).toContain("Israel Katz [1].");
    expect(reply?.content).toContain("**Sources**");
    const db = await readFile(path.join(h.dataDir, "db.json"), "utf8");
    expect(db).toContain(question);

    await h.restartBot();
    const before = h.openai?.requests.length ?? 0;
    const followUp = await h.discord.sendSlashCommand("ask", { question: "Who else was there?" }, { user });
    await waitForAnswer(h.discord, followUp);
    const sent = (h.openai?.requests ?? []).slice(before).map((r) => r.text);
    expect(sent.join("\n")).toContain(question);
  });

  it("abandons an answer that outlasts the grace period and tells the asker", async () => {
    h = await startHarness({ responder, bot: { graceMs: 300 } });
    const user = h.discord.addUser("stuck");
    const i = await h.discord.sendSlashCommand(
      "ask",
      { question: "Will the Witkoff meeting hang forever?" },
      { user },
    );
    await h.discord.waitForCallback(i);
    await waitUntil(() => (h?.openai?.requests.length ?? 0) > 0);
    await h.stopBot();
    const line = i.messages().find((m) => m.ephemeral);
    expect(line?.content).toBe(SHUTDOWN_LINE);
    expect(i.original()?.deleted ?? true).toBe(true);
  });

  it("refuses new questions while stopping", async () => {
    h = await startHarness({ responder, bot: { graceMs: 1_500 } });
    const i = await h.discord.sendSlashCommand("ask", { question: "Tell me slowly about the meeting" });
    await h.discord.waitForReply(i);
    const stopping = h.stopBot();
    const late = await h.discord.sendSlashCommand(
      "ask",
      { question: "One more?" },
      { user: h.discord.users.other },
    );
    const refusal = await h.discord.waitForReply(late);
    expect(refusal.ephemeral).toBe(true);
    expect(refusal.content).toBe(SHUTDOWN_LINE);
    await stopping;
    expect(i.original()?.content).toContain("**Sources**");
  });
});

describe("without the Message Content intent", () => {
  it("logs in without it and still answers mentions, but not plain messages in question channels", async () => {
    h = await startHarness({
      responder,
      discord: { grantedIntents: { messageContent: false } },
      env: { ASK_CHANNEL_IDS: "" },
    });
    const session = await h.discord.waitForIdentify();
    expect(session.intents & MESSAGE_CONTENT_INTENT).toBe(0);
    await h.core.store.updateGuildSettings(h.discord.guild.id, {
      askChannelIds: [h.discord.channels.questions.id],
    });

    const plain = await h.discord.sendMessage({
      content: "Who attended?",
      channel: h.discord.channels.questions,
    });
    const mention = await h.discord.sendMessage({
      content: "Who attended?",
      channel: h.discord.channels.questions,
      mentionsBot: true,
    });
    const answer = await h.discord.waitForBotReply(mention, { predicate: isFinalAnswer });
    expect(answer.content).toContain("Israel Katz [1].");
    const botId = h.discord.botUser.id;
    const botMessages = h.discord.allMessages().filter((m) => m.author.id === botId);
    expect(botMessages.some((m) => m.reference?.messageId === plain.id)).toBe(false);
  });
});
