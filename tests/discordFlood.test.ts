// One user flooding a channel with mentions, end to end (the real discord.js client on the loopback
// Discord): past the per-user limit the channel gets one short notice, not one message per mention,
// and no thread is opened for a refused question.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Harness, isFinalAnswer, startHarness, waitUntil } from "./discordHarness.ts";
import type { FakeMessage } from "./fakes/fakeDiscord.ts";

/** The configured default: five questions a minute per user. */
const LIMIT = 5;
const MENTIONS = 15;

let h: Harness;

beforeAll(async () => {
  h = await startHarness({
    responder: () => "Defense Minister Israel Katz attended the meeting with Witkoff [1].",
    env: { RATE_LIMIT_PER_MINUTE: String(LIMIT) },
  });
});
afterAll(async () => {
  await h?.close();
});

describe("a mention flood from one user", () => {
  it(`posts at most ${LIMIT} answers and one notice for ${MENTIONS} mentions in a second`, async () => {
    const flooder = h.discord.addUser("flooder");
    const channel = h.discord.channels.general;
    const postsBefore = h.discord.requestsTo("POST /channels/:id/messages").length;
    const started = performance.now();
    const questions: FakeMessage[] = [];
    for (let n = 1; n <= MENTIONS; n++) {
      questions.push(
        await h.discord.sendMessage({
          content: `Who attended the meeting? (${n})`,
          author: flooder,
          mentionsBot: true,
        }),
      );
    }
    expect(performance.now() - started).toBeLessThan(1_000);

    const botMessages = () =>
      h.discord
        .messages(channel, { includeEphemeral: true })
        .filter((m) => m.author.id === h.discord.botUser.id && BigInt(m.id) > BigInt(questions[0]?.id ?? 0));
    await waitUntil(() => botMessages().filter(isFinalAnswer).length >= LIMIT, 10_000);
    // Give any late notice time to arrive before counting.
    await new Promise((resolve) => setTimeout(resolve, 1_000));

    const answers = botMessages().filter(isFinalAnswer);
    const others = botMessages().filter((m) => !isFinalAnswer(m));
    expect(answers).toHaveLength(LIMIT);
    expect(others.map((m) => m.content)).toEqual([
      expect.stringMatching(/^You're asking quickly — try again in \d+ s\.$/),
    ]);
    // Every message the bot sent to the channel, counted at the API: the answers and one notice.
    expect(h.discord.requestsTo("POST /channels/:id/messages").length - postsBefore).toBe(LIMIT + 1);

    // The answered questions got their answers (and threads); the refused ones got nothing.
    const answered = new Set(answers.map((m) => m.reference?.messageId));
    const noticed = new Set(others.map((m) => m.reference?.messageId));
    expect(answered.size).toBe(LIMIT);
    const threads = botMessages().filter((m) => h.discord.message(m.id)?.threadId !== undefined);
    expect(threads.every((m) => answered.has(m.reference?.messageId))).toBe(true);
    for (const question of questions.slice(LIMIT)) {
      expect(answered.has(question.id)).toBe(false);
      expect(h.discord.message(question.id)?.threadId).toBeUndefined();
    }
    expect(noticed.size).toBe(1);
  });

  it("keeps the private refusal for /ask past the limit, once per command", async () => {
    const user = h.discord.addUser("eager-slasher");
    for (let n = 0; n < LIMIT; n++) {
      const question = await h.discord.sendMessage({
        content: `Who is Katz? (${n})`,
        author: user,
        mentionsBot: true,
      });
      await h.discord.waitForBotReply(question, { predicate: isFinalAnswer });
    }
    const refusals = [];
    for (let n = 0; n < 3; n++) {
      const i = await h.discord.sendSlashCommand("ask", { question: "Who is Zamir?" }, { user });
      refusals.push(await h.discord.waitForReply(i));
    }
    for (const refusal of refusals) {
      expect(refusal.ephemeral).toBe(true);
      expect(refusal.content).toMatch(/^You're asking quickly — try again in \d+ s\.$/);
    }
  });
});
