// Limits end to end: the per-user rate limit, and interaction tokens that die before the answer is
// ready (the bot's own lifetime reckoning, and Discord refusing a dead token).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  answerMessages,
  type Harness,
  isFinalAnswer,
  startHarness,
  visible,
  waitForAnswer,
  waitUntil,
} from "./discordHarness.ts";
import type { FakeReply, FakeRequest } from "./fakes/fakeOpenAI.ts";

const EPHEMERAL = 1 << 6;
/** The bot treats interaction tokens as dead after this long (Discord: 15 minutes). */
const TOKEN_LIFETIME_MS = 1_200;

function responder(request: FakeRequest): FakeReply {
  const question = (request.messages.at(-1)?.content ?? "").split("\nQuestion: ").at(-1) ?? "";
  const text = "Defense Minister Israel Katz attended the three-hour meeting with Witkoff [1].";
  // "slow" answers stream for about 2.5 s, longer than the short token lifetime.
  if (question.includes("slow")) return { kind: "text", text, chunkChars: 3, delayMs: 90 };
  if (question.includes("everything")) {
    const sentences = Array.from(
      { length: 40 },
      (_, n) =>
        `Point ${n + 1}: Defense Minister Israel Katz attended the three-hour meeting with Witkoff in Israel [1].`,
    );
    return sentences.join(" ");
  }
  // "briefly" answers stream for about half a second, well within it.
  if (question.includes("briefly")) return { kind: "text", text, chunkChars: 10, delayMs: 60 };
  return text;
}

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    responder,
    env: { RATE_LIMIT_PER_MINUTE: "2" },
    bot: { tokenLifetimeMs: TOKEN_LIFETIME_MS },
    discord: { extraChannels: ["doomed"] },
  });
});
afterAll(async () => {
  await h?.close();
});

describe("rate limit", () => {
  it("refuses a user's third question in a minute, privately for /ask, with the wait", async () => {
    const user = h.discord.addUser("eager");
    for (const question of ["Who attended?", "Who is Katz?"]) {
      const i = await h.discord.sendSlashCommand("ask", { question }, { user });
      await waitForAnswer(h.discord, i);
    }
    const third = await h.discord.sendSlashCommand("ask", { question: "Who is Zamir?" }, { user });
    const refusal = await h.discord.waitForReply(third);
    expect(refusal.flags & EPHEMERAL).toBe(EPHEMERAL);
    expect(refusal.content).toMatch(/^You're asking quickly — try again in \d+ s\.$/);
    expect(third.response?.type).toBe(4);

    // The limit is per user (another user asks freely) and covers channel questions too.
    const other = h.discord.addUser("calm");
    const fine = await h.discord.sendSlashCommand("ask", { question: "Who is Zamir?" }, { user: other });
    expect((await waitForAnswer(h.discord, fine)).content).toContain("[1]");
    const message = await h.discord.sendMessage({
      content: "Who is Barnea?",
      author: user,
      mentionsBot: true,
    });
    const reply = await h.discord.waitForBotReply(message);
    expect(reply.content).toMatch(/try again in \d+ s/);
  });
});

describe("dead interaction tokens", () => {
  it("posts the answer in the channel when it is ready after the token's lifetime", async () => {
    const user = h.discord.addUser("slowpoke");
    const i = await h.discord.sendSlashCommand(
      "ask",
      { question: "Tell me, slow please, who attended?" },
      { user },
    );
    const posted = await h.discord.waitForMessage(
      (m) => m.author.id === h.discord.botUser.id && m.content.startsWith(`<@${user.id}> asked:`),
      15_000,
    );
    expect(posted.interactionId).toBeUndefined();
    expect(posted.channelId).toBe(h.discord.channels.general.id);
    expect(visible(posted.content)).toContain(`<@${user.id}> asked: Tell me, slow please, who attended?`);
    expect(posted.content).toContain("Israel Katz");
    expect(posted.content).toContain("**Sources**");
    expect(posted.pings.users).toEqual([]);
    // Nothing was sent with the token after its lifetime.
    const late = h.discord
      .requestsTo((r) => r.path.includes(i.token))
      .filter((r) => r.at - i.createdAt > TOKEN_LIFETIME_MS);
    expect(late).toEqual([]);
    expect(answerMessages(i).every((m) => m.content !== posted.content)).toBe(true);
  });

  it("falls back to the channel when Discord refuses the token as expired", async () => {
    const user = h.discord.addUser("timetraveller");
    const i = await h.discord.sendSlashCommand(
      "ask",
      { question: "Briefly, who attended the meeting?" },
      { user },
    );
    await h.discord.waitForCallback(i);
    // Discord's clock jumps past the token's 15 minutes; the bot's own clock does not.
    h.discord.advanceClock(16 * 60_000);
    const posted = await h.discord.waitForMessage(
      (m) => m.author.id === h.discord.botUser.id && m.content.startsWith(`<@${user.id}> asked:`),
    );
    expect(posted.interactionId).toBeUndefined();
    expect(posted.content).toContain("Israel Katz");
    expect(h.discord.requests.some((r) => r.path.includes(i.token) && r.errorCode === 50027)).toBe(true);
  });
});

describe("Discord refusing a send", () => {
  // The private apology goes through the interaction token, so the token must outlive the long
  // answer however busy the machine is: the short lifetime above is for the dead-token tests only.
  beforeAll(async () => {
    await h.restartBot({ bot: { tokenLifetimeMs: 15 * 60_000 } });
  });

  it("keeps the part of a long answer already shown and tells the asker privately", async () => {
    const user = h.discord.addUser("halfway");
    let token = "";
    h.discord.failNext(
      (r) =>
        token !== "" && r.method === "POST" && r.path === `/webhooks/${h.discord.applicationId}/${token}`,
      { status: 403, code: 50013, message: "Missing Permissions" },
    );
    const i = await h.discord.sendSlashCommand(
      "ask",
      { question: "Tell me everything about the meeting" },
      { user },
    );
    token = i.token;
    const apology = await h.discord.waitForMessage((m) => m.interactionId === i.id && m.ephemeral);
    expect(apology.content).toMatch(/^Sorry, something went wrong/);
    const original = i.original();
    expect(original?.deleted).toBe(false);
    expect(original?.content).toContain("Point 1: ");
  });

  it("survives the channel being deleted mid-answer and goes on answering elsewhere", async () => {
    const user = h.discord.addUser("witness");
    const doomed = h.discord.channels.doomed;
    if (!doomed) throw new Error("no #doomed channel");
    const question = await h.discord.sendMessage({
      content: "Tell me, slow please, who attended?",
      channel: doomed,
      author: user,
      mentionsBot: true,
    });
    const partial = await h.discord.waitForBotReply(question);
    await h.discord.deleteChannel(doomed);
    // Nothing more can be shown there: the failure is logged with its reason, and nothing is recorded.
    const failure = (line: string) => line.includes("could not post the answer") && line.includes(doomed.id);
    await waitUntil(() => h.logs.some(failure), 8_000);
    expect(h.logs.find(failure)).toContain(`channel ${doomed.id} is gone`);
    expect(await h.core.store.findAnswerByMessage(partial.id)).toBeUndefined();

    const next = await h.discord.sendMessage({ content: "Who attended?", author: user, mentionsBot: true });
    const answer = await h.discord.waitForBotReply(next, { predicate: isFinalAnswer });
    expect(answer.content).toContain("Israel Katz");
  });
});
