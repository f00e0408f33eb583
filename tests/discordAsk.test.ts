// /ask end to end: the real bot, logged in to the loopback Discord, answering with a loopback model.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  answerMessages,
  type Harness,
  isFinalAnswer,
  startHarness,
  visible,
  waitForAnswer,
  waitForRecord,
} from "./discordHarness.ts";
import { allowsNoMentions } from "./fakes/fakeDiscord.ts";
import type { FakeReply, FakeRequest } from "./fakes/fakeOpenAI.ts";

const SUPPRESS_EMBEDS = 1 << 2;
const EPHEMERAL = 1 << 6;

/** Scripted model replies, chosen per test by a word in the question. */
const replies = new Map<string, (request: FakeRequest) => FakeReply>();

function responder(request: FakeRequest): FakeReply {
  const question = (request.messages.at(-1)?.content ?? "").split("\nQuestion: ").at(-1) ?? "";
  for (const [word, reply] of replies) if (question.includes(word)) return reply(request);
  return "The story doesn't say.";
}

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ responder });
});
afterAll(async () => {
  await h?.close();
});

describe("/ask", () => {
  it("defers first, streams by editing at most about once per interval, and ends with the cited answer and buttons", async () => {
    replies.set("defense minister", () => ({
      kind: "text",
      text: "Israel's defense minister is Israel Katz, who attended the three-hour meeting with Witkoff [1]. The meeting was also attended by Mossad chief David Barnea [1].",
      chunkChars: 6,
      delayMs: 25,
    }));
    const user = h.discord.addUser("asker1");
    const before = h.discord.requests.length;
    const i = await h.discord.sendSlashCommand(
      "ask",
      { question: "Who is Israel's defense minister?" },
      { user },
    );
    const reply = await waitForAnswer(h.discord, i);

    // The first request about this interaction is the deferral.
    const first = h.discord.requests
      .slice(before)
      .find((r) => r.path.includes(i.id) || r.path.includes(i.token));
    expect(first?.route).toMatch(/interactions.*callback/);
    expect(i.response?.type).toBe(5);

    expect(reply.content).toContain("Israel Katz");
    expect(reply.content).toMatch(/\[1\]/);
    expect(reply.content).toContain("**Sources**");
    expect(reply.content).toContain("[1] ");
    expect(reply.content).toMatch(/“[^”]+”/);
    expect(reply.flags & SUPPRESS_EMBEDS).toBe(SUPPRESS_EMBEDS);

    // Progressive edits: partial answers (marked " …") before the final one.
    const contents = reply.versions.map((v) => v.content).filter((c) => c !== "");
    const partial = contents.slice(0, -1);
    expect(partial.length).toBeGreaterThanOrEqual(2);
    for (const c of partial) expect(c.endsWith(" …")).toBe(true);
    expect(contents.at(-1)).toBe(reply.content);
    expect(reply.content.endsWith(" …")).toBe(false);

    const customIds = JSON.stringify(reply.components);
    expect(customIds).toContain("answer:sources:");
    expect(customIds).toContain("answer:up:");
    expect(customIds).toContain("answer:down:");
  });

  it("shows the full quotes to the clicker only and stores feedback", async () => {
    replies.set("air force", () => "The Air Force is commanded by Tomer Bar, who attended the meeting [1].");
    const user = h.discord.addUser("asker2");
    const i = await h.discord.sendSlashCommand("ask", { question: "Who commands the air force?" }, { user });
    const reply = await waitForAnswer(h.discord, i);
    const answerId = /answer:sources:([\w-]+)/.exec(JSON.stringify(reply.components))?.[1] ?? "";
    const record = await waitForRecord(h, reply.id);
    expect(record.id).toBe(answerId);

    const sources = await h.discord.clickButton(reply, `answer:sources:${answerId}`, { user });
    const shown = await h.discord.waitForReply(sources);
    expect(shown.ephemeral).toBe(true);
    expect(shown.flags & EPHEMERAL).toBe(EPHEMERAL);
    for (const citation of record.citations) expect(shown.content).toContain(citation.quote);

    const up = await h.discord.clickButton(reply, `answer:up:${answerId}`, { user });
    const thanks = await h.discord.waitForReply(up);
    expect(thanks.ephemeral).toBe(true);
    const other = h.discord.addUser("voter");
    const down = await h.discord.clickButton(reply, `answer:down:${answerId}`, { user: other });
    await h.discord.waitForReply(down);
    const stored = await h.core.store.getAnswer(answerId);
    expect(stored?.feedback).toEqual({ [user.id]: 1, [other.id]: -1 });
  });

  it("never pings anyone, whatever the question or the model writes", async () => {
    const role = h.discord.roles.moderators;
    const victim = h.discord.users.other;
    replies.set(
      "ping",
      () =>
        `@everyone @here <@${victim.id}> <@&${role.id}> Defense Minister Israel Katz attended, see [this](https://evil.example/x) and https://evil.example/y [1].`,
    );
    const user = h.discord.addUser("pinger");
    const question = `@everyone @here <@${victim.id}> <@&${role.id}> ping: who attended?`;
    const i = await h.discord.sendSlashCommand("ask", { question }, { user });
    const reply = await waitForAnswer(h.discord, i);
    const message = await h.discord.sendMessage({ content: question, mentionsBot: true, author: user });
    const answer = await h.discord.waitForBotReply(message, { predicate: isFinalAnswer });

    for (const m of [reply, answer]) {
      expect(m.pings).toEqual({ everyone: false, users: [], roles: [], repliedUser: false });
      expect(m.content).not.toMatch(/@(everyone|here)/);
      expect(m.content).not.toMatch(/<@&?\d+>/);
      expect(visible(m.content)).toContain("Israel Katz");
      // No link but the articles' is clickable: other URLs appear, if at all, as inert code.
      expect(m.content.replace(/`[^`]*`/g, "")).not.toContain("https://evil.example");
      expect(m.flags & SUPPRESS_EMBEDS).toBe(SUPPRESS_EMBEDS);
    }
    // Every request that creates or edits a message, in the whole run so far, parses no mention.
    const sends = h.discord.messageRequests();
    expect(sends.length).toBeGreaterThan(5);
    for (const request of sends) expect(allowsNoMentions(request.allowedMentions)).toBe(true);
  });

  it("gives hostile questions a clear answer or refusal, and never pings", async () => {
    const user = h.discord.addUser("hostile");
    const questions = [
      "x".repeat(10_000),
      "\u200b\u200b\u200d",
      "\u0000\u0007who\u0008 attended the meeting?",
      "**Who** attended? [click here](https://evil.example/login) ||spoiler||",
      "＠everyone ＠here who attended?",
      `<@&${h.discord.roles.everyone.id}> <@&${h.discord.roles.moderators.id}> who attended?`,
    ];
    for (const question of questions) {
      const message = await h.discord.sendMessage({ content: question, mentionsBot: true, author: user });
      const reply = await h.discord.waitForBotReply(message, { final: true, quietMs: 300 });
      expect(reply.content.length).toBeGreaterThan(0);
      expect(reply.pings).toEqual({ everyone: false, users: [], roles: [], repliedUser: false });
    }
    const lines = h.discord
      .allMessages()
      .filter((m) => m.author.id === h.discord.botUser.id && m.reference && m.content.length < 200)
      .map((m) => m.content);
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/question is too long/)]));
    expect(lines).toEqual(expect.arrayContaining([expect.stringMatching(/question is empty/)]));
  });

  it("splits an answer over 2,000 characters into follow-ups, each within limits and no marker cut", async () => {
    // A long answer whose every sentence is supported: each sent passage's text, cited, over and over.
    let sentences: string[] = [];
    replies.set("everything", (request) => {
      const passages = [...request.text.matchAll(/^\[(\d+)\] \(.*\)\n(.+)$/gm)];
      sentences = passages.map(([, n, text]) => `${text?.replace(/[.!?”"]*$/, "")} [${n}].`);
      const text = Array.from({ length: 4 }, () => sentences.join(" ")).join(" ");
      return { kind: "text", text, chunkChars: 400 };
    });
    const user = h.discord.addUser("longreader");
    const i = await h.discord.sendSlashCommand(
      "ask",
      { question: "Tell me everything about the meeting" },
      { user },
    );
    await waitForAnswer(h.discord, i);
    const messages = answerMessages(i);
    expect(messages.length).toBeGreaterThanOrEqual(3);
    for (const m of messages) {
      expect(m.content.length).toBeLessThanOrEqual(2000);
      expect(m.content).not.toMatch(/\[\d*$/);
      expect(m.content).not.toMatch(/^\d*\]/);
    }
    const all = messages.map((m) => m.content).join("\n");
    // Nothing is lost between the messages: the first and the last sentence are there (four times
    // each in the answer; a sources quote may repeat one).
    const opening = (sentence: string | undefined) => visible(sentence ?? "").slice(0, 60);
    for (const sentence of [sentences[0], sentences.at(-1)])
      expect(visible(all).split(opening(sentence)).length - 1).toBeGreaterThanOrEqual(4);
    expect(all).toContain("**Sources**");
    // The buttons sit under the last message of the answer.
    expect(JSON.stringify(messages.at(-1)?.components)).toContain("answer:sources:");
    expect(JSON.stringify(messages[0]?.components ?? [])).not.toContain("answer:");
  });

  it("answers from the story's sentences, with the notice in small text, when the model fails", async () => {
    replies.set("Huckabee", () => ({ kind: "error", status: 500, message: "model crashed" }));
    const user = h.discord.addUser("unlucky");
    const i = await h.discord.sendSlashCommand("ask", { question: "Who is Mike Huckabee?" }, { user });
    const reply = await waitForAnswer(h.discord, i);
    expect(reply.content).toContain("Huckabee");
    expect(reply.content).toMatch(/\[1\]/);
    expect(reply.content).toMatch(/^-# The language model .+/m);
    expect(reply.ephemeral).toBe(false);
    const record = await waitForRecord(h, reply.id);
    expect(record.mode).toBe("extractive");
  });

  it("still delivers the answer when Discord answers an edit with 429", async () => {
    replies.set("Barnea", () => "Mossad chief David Barnea attended the meeting [1].");
    h.discord.rateLimitNext("PATCH /webhooks/:app/:token/messages/@original", 0.3, 1);
    const user = h.discord.addUser("patient");
    const i = await h.discord.sendSlashCommand("ask", { question: "Did David Barnea attend?" }, { user });
    const reply = await waitForAnswer(h.discord, i);
    expect(h.discord.requests.some((r) => r.status === 429)).toBe(true);
    expect(reply.content).toContain("David Barnea attended the meeting [1].");
    expect(reply.content).toContain("**Sources**");
  });

  it("tells the asker only, and briefly, when the question is refused", async () => {
    const user = h.discord.addUser("blank");
    const i = await h.discord.sendSlashCommand("ask", { question: "\u200b \u200b" }, { user });
    const line = await h.discord.waitForMessage((m) => m.interactionId === i.id && m.ephemeral);
    expect(line.content).toMatch(/question is empty/);
    await h.discord.waitForRequest(`DELETE /webhooks/:app/${i.token}/messages/@original`);
    expect(answerMessages(i)).toEqual([]);
  });
});
