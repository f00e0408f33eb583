// Channel questions, threads, reply chains, memory, /forget and /settings end to end: the real bot on
// the loopback Discord with a loopback model.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, isFinalAnswer, startHarness, waitForAnswer, waitForRecord } from "./discordHarness.ts";
import type { FakeMessage, FakeUser } from "./fakes/fakeDiscord.ts";
import type { FakeReply, FakeRequest } from "./fakes/fakeOpenAI.ts";

const EPHEMERAL = 1 << 6;

/** Answer requests end with "Question: …"; rewrite requests with "Follow-up question: …". */
function responder(request: FakeRequest): FakeReply {
  const last = request.messages.at(-1)?.content ?? "";
  const followUp = /Follow-up question: (.*)$/s.exec(last)?.[1];
  if (followUp) return `${followUp} (about Israel Katz and the meeting with Witkoff)`;
  const question = last.split("\nQuestion: ").at(-1) ?? "";
  if (question.includes("slowly")) {
    return {
      kind: "text",
      text: "The meeting with Witkoff lasted over three hours and was attended by Israel Katz [1]. ".repeat(
        3,
      ),
      chunkChars: 5,
      delayMs: 30,
    };
  }
  return "The meeting lasted over three hours and was attended by Defense Minister Israel Katz [1].";
}

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ responder });
});
afterAll(async () => {
  await h?.close();
});

/** Model requests made after `from` (an index into the requests). */
function modelTextSince(from: number): string {
  return (h.openai?.requests ?? [])
    .slice(from)
    .map((r) => r.text)
    .join("\n");
}

async function ask(
  content: string,
  opts: { author: FakeUser; channel?: string; mentionsBot?: boolean; replyTo?: FakeMessage },
): Promise<FakeMessage> {
  const question = await h.discord.sendMessage({
    content,
    author: opts.author,
    ...(opts.channel ? { channel: opts.channel } : {}),
    ...(opts.mentionsBot ? { mentionsBot: true } : {}),
    ...(opts.replyTo ? { replyTo: opts.replyTo, pingReply: false } : {}),
  });
  const answer = await h.discord.waitForBotReply(question, { predicate: isFinalAnswer });
  await waitForRecord(h, answer.id);
  return answer;
}

describe("channel questions", () => {
  it("answers a mention as a reply, moves the conversation to a thread, and remembers it there per user", async () => {
    const alice = h.discord.addUser("alice");
    const first = "Who is Israel's defense minister?";
    const answer = await ask(first, { author: alice, mentionsBot: true });
    expect(answer.content).toContain("Israel Katz [1]");
    expect(answer.content).toContain("**Sources**");
    expect(answer.content).not.toContain(h.discord.botUser.id);

    await h.discord.waitForMessage(() => h.discord.message(answer.id)?.threadId !== undefined);
    const threadId = h.discord.message(answer.id)?.threadId ?? "";

    const before = h.openai?.requests.length ?? 0;
    const followUp = await ask("Did he attend the meeting?", { author: alice, channel: threadId });
    expect(followUp.channelId).toBe(threadId);
    expect(followUp.content).toContain("[1]");
    expect(modelTextSince(before)).toContain(first);

    // Someone else in the same thread gets an answer, but not Alice's conversation.
    const bob = h.discord.addUser("bob");
    const beforeBob = h.openai?.requests.length ?? 0;
    const bobs = await ask("Did he attend the meeting?", { author: bob, channel: threadId });
    expect(bobs.content).toContain("[1]");
    expect(modelTextSince(beforeBob)).not.toContain(first);
  });

  it("remembers a user's recent questions in a channel, across /ask and mentions", async () => {
    const judy = h.discord.addUser("judy");
    const first = "Who is the Mossad chief?";
    const i = await h.discord.sendSlashCommand("ask", { question: first }, { user: judy });
    const reply = await waitForAnswer(h.discord, i);
    await waitForRecord(h, reply.id);
    const before = h.openai?.requests.length ?? 0;
    await ask("Did he attend the meeting?", { author: judy, mentionsBot: true });
    expect(modelTextSince(before)).toContain(first);
  });

  it("continues a conversation by reply, only for the answer's own asker", async () => {
    const carol = h.discord.addUser("carol");
    const first = "Who attended the meeting with Witkoff?";
    const answer = await ask(first, { author: carol, mentionsBot: true });

    const before = h.openai?.requests.length ?? 0;
    const reply = await ask("How long did it last?", { author: carol, replyTo: answer });
    expect(reply.content).toContain("[1]");
    expect(modelTextSince(before)).toContain(first);

    const dave = h.discord.addUser("dave");
    const beforeDave = h.openai?.requests.length ?? 0;
    const daves = await ask("How long did it last?", { author: dave, replyTo: answer });
    expect(daves.content).toContain("[1]");
    expect(modelTextSince(beforeDave)).not.toContain(first);
  });

  it("ignores messages that are not questions", async () => {
    const erin = h.discord.addUser("erin");
    const chat = await h.discord.sendMessage({ content: "Just chatting about lunch", author: erin });
    const mention = await h.discord.sendMessage({
      content: "What did Zamir present?",
      author: erin,
      mentionsBot: true,
    });
    await h.discord.waitForBotReply(mention, { predicate: isFinalAnswer });
    const botMessages = h.discord.allMessages().filter((m) => m.author.id === h.discord.botUser.id);
    expect(botMessages.some((m) => m.reference?.messageId === chat.id)).toBe(false);
    expect(botMessages.some((m) => m.reference?.messageId === mention.id)).toBe(true);
  });

  it("answers in DMs, where every message is a question", async () => {
    const frank = h.discord.addUser("frank");
    const dm = h.discord.openDm(frank);
    const answer = await ask("Where are the talks with Iran set to commence?", {
      author: frank,
      channel: dm.id,
    });
    expect(answer.channelId).toBe(dm.id);
    expect(answer.content).toContain("[1]");
    const record = await waitForRecord(h, answer.id);
    expect(record.scope).toBe("dm");
  });

  it("survives a gateway disconnect in the middle of an answer: exactly one final answer each", async () => {
    const gina = h.discord.addUser("gina");
    const question = await h.discord.sendMessage({
      content: "Tell me slowly about the meeting",
      author: gina,
      mentionsBot: true,
    });
    await h.discord.waitForBotReply(question); // streaming has begun
    await h.discord.disconnectClient();
    const during = await h.discord.sendMessage({
      content: "Who is Eyal Zamir?",
      author: gina,
      mentionsBot: true,
    });
    await h.discord.waitForResume();
    const answer = await h.discord.waitForBotReply(question, { predicate: isFinalAnswer });
    const late = await h.discord.waitForBotReply(during, { predicate: isFinalAnswer });

    const repliesTo = (m: FakeMessage) =>
      h.discord
        .allMessages()
        .filter((x) => x.author.id === h.discord.botUser.id && x.reference?.messageId === m.id);
    const trace = JSON.stringify({
      answers: repliesTo(question).map((m) => m.versions.map((v) => v.content)),
      late: repliesTo(during).map((m) => m.content),
      gateway: h.discord.gatewayStats,
      problems: h.discord.problems,
    });
    expect(repliesTo(question), trace).toHaveLength(1);
    expect(repliesTo(during), trace).toHaveLength(1);
    expect(answer.content, trace).toContain("**Sources**");
    expect(answer.content.endsWith(" …"), trace).toBe(false);
    expect(late.content, trace).toContain("[1]");
  });
});

describe("/forget", () => {
  it("deletes the caller's conversations in this server only, and says how many", async () => {
    const hank = h.discord.addUser("hank");
    const first = "Who is the IDF chief of staff?";
    const answer = await ask(first, { author: hank, mentionsBot: true });
    await ask("Who leads the Mossad?", {
      author: hank,
      channel: h.discord.channels.questions.id,
      mentionsBot: true,
    });
    await ask("Who is the IDF chief of staff?", {
      author: hank,
      channel: h.discord.secondChannels.general.id,
      mentionsBot: true,
    });

    const i = await h.discord.sendSlashCommand("forget", {}, { user: hank });
    const reply = await h.discord.waitForReply(i);
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply.content).toMatch(/Deleted 2 conversations/);

    // The reply chain no longer brings the old question along.
    const before = h.openai?.requests.length ?? 0;
    await ask("And who else attended?", { author: hank, replyTo: answer });
    expect(modelTextSince(before)).not.toContain(first);
    // The other server's conversation is still there.
    const records = await h.core.store.findAnswerByMessage(answer.id);
    expect(records).toBeUndefined();
    const again = await h.discord.sendSlashCommand(
      "forget",
      {},
      { user: hank, channel: h.discord.secondChannels.general },
    );
    expect((await h.discord.waitForReply(again)).content).toMatch(/Deleted 1 conversation /);
  });
});

describe("/settings", () => {
  it("refuses members without Manage Server, on the server side, privately", async () => {
    const i = await h.discord.sendSlashCommand(
      "settings",
      { channel: h.discord.channels.questions },
      { user: h.discord.users.member, subcommand: "add-question-channel" },
    );
    const reply = await h.discord.waitForReply(i);
    expect(reply.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(reply.content).toMatch(/Manage Server/);
    expect((await h.core.store.guildSettings(h.discord.guild.id))?.askChannelIds ?? []).toEqual([]);
  });

  it("lets an admin make a question channel, where every message is answered", async () => {
    const admin = h.discord.users.admin;
    const i = await h.discord.sendSlashCommand(
      "settings",
      { channel: h.discord.channels.questions },
      { user: admin, subcommand: "add-question-channel" },
    );
    expect((await h.discord.waitForReply(i)).content).toContain(`<#${h.discord.channels.questions.id}>`);

    const ivy = h.discord.addUser("ivy");
    const answer = await ask("Who is Shlomi Binder?", {
      author: ivy,
      channel: h.discord.channels.questions.id,
    });
    expect(answer.content).toContain("[1]");
    expect(h.discord.message(answer.id)?.threadId).toBeUndefined();
  });

  it("validates and stores the summary time and time zone, and shows them with any summary problem", async () => {
    const admin = h.discord.users.admin;
    const run = async (subcommand: string, options: Record<string, string | boolean> = {}) => {
      const i = await h.discord.sendSlashCommand("settings", options, { user: admin, subcommand });
      return (await h.discord.waitForReply(i)).content;
    };
    expect(await run("summary-time", { time: "25:00" })).toMatch(/not valid/);
    expect(await run("timezone", { zone: "Mars/Olympus" })).toMatch(/not a time zone/);
    expect(await run("summary-time", { time: "18:30" })).toMatch(/18:30/);
    expect(await run("timezone", { zone: "Europe/Berlin" })).toMatch(/Europe\/Berlin/);
    expect(await run("skip-quiet-days", { skip: true })).toMatch(/skipped/);
    await h.core.store.updateGuildSettings(h.discord.guild.id, {
      summaryProblem: "Missing Access in #summaries",
    });
    const shown = await run("show");
    expect(shown).toContain("18:30 (Europe/Berlin)");
    expect(shown).toContain("Skip quiet days: yes");
    expect(shown).toContain("Missing Access in #summaries");
    expect(await h.core.store.guildSettings(h.discord.guild.id)).toMatchObject({
      summaryTime: "18:30",
      summaryTimezone: "Europe/Berlin",
      skipQuietDays: true,
    });
  });
});

describe("/sources", () => {
  it("lists the articles privately, newest first, a page at a time", async () => {
    const i = await h.discord.sendSlashCommand("sources", {});
    const reply = await h.discord.waitForReply(i);
    expect(reply.ephemeral).toBe(true);
    for (const article of h.core.retriever.articles())
      expect(reply.content).toContain(article.title.slice(0, 30));

    await h.core.retriever.addArticles(
      Array.from({ length: 24 }, (_, n) => ({
        id: `extra-${n}`,
        title: `Extra report number ${n + 1}`,
        url: `https://news.example/extra-${n + 1}`,
        source: "Example News",
        published: `2025-01-${String(n + 1).padStart(2, "0")}`,
        ingestedAt: "2025-02-01T00:00:00Z",
        paragraphs: [`Report ${n + 1} says the talks went on.`],
      })),
    );
    const paged = await h.discord.sendSlashCommand("sources", {});
    const first = await h.discord.waitForReply(paged);
    expect(first.content).toMatch(/page 1 of 3/);
    expect(first.content).toContain(
      "[Extra report number 24](<https://news.example/extra-24>) — Example News, 2025-01-24",
    );
    expect(first.content.length).toBeLessThanOrEqual(2000);
    await h.discord.clickButton(first, "sources:page:1");
    const second = await h.discord.waitForMessage((m) => m.id === first.id && /page 2 of 3/.test(m.content));
    expect(second.content).toContain("Extra report number 14");
    expect(second.content).not.toContain("Extra report number 24]");
  });
});
