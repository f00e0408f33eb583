// Acknowledgement latency: the real bot (createBot, discord.js) logged in to the tests' fake Discord;
// /ask interactions are sent at a steady pace and in bursts, and each is timed from its
// INTERACTION_CREATE frame being written to the gateway socket to the request carrying its deferral
// arriving (the fake stamps both on the same clock). Every interaction is answered in full by the model
// given, so acknowledgements compete with the answers in flight, as in a busy server. The fake runs in
// this process, so its own work shares the event loop with the bot and is counted too, as are the
// MESSAGE_CREATE/UPDATE events it sends the bot for the bot's own messages (as Discord does).
import { setTimeout as sleep } from "node:timers/promises";
import { commands } from "../commands/index.ts";
import { createBot } from "../src/discord/createBot.ts";
import { type FakeDiscord, startFakeDiscord } from "../tests/fakes/fakeDiscord.ts";
import { benchCore, type CoreParts } from "./benchFixtures.ts";
import { ackOf, doneOf } from "./interactionOutcome.ts";

export interface AckPlan {
  questions: readonly string[];
  /** Interactions sent at a steady pace, each `steadyGapMs` after the last, answers still running. */
  steady: number;
  steadyGapMs: number;
  bursts: number;
  /** Interactions of a burst, sent together. */
  burstSize: number;
  /** Pause before each burst (after the previous answers are posted). */
  burstGapMs: number;
}

export interface AckResult {
  steadyMs: number[];
  burstMs: number[];
  /** Times discord.js's REST client held a request back for a rate limit (its own 50/s global one included). */
  restRateLimited: number;
}

interface SentInteraction {
  /** Milliseconds from the event leaving the gateway to the acknowledgement callback arriving. */
  acked: Promise<number>;
  /** Settles when the final answer (the message with its buttons) or a failure line has been posted. */
  done: Promise<void>;
}

/** Generous: a waited-for answer that never comes is a broken run, not a slow one. */
const WAIT_MS = 120_000;

export async function measureAcks(parts: Omit<CoreParts, "env">, plan: AckPlan): Promise<AckResult> {
  const discord = await startFakeDiscord();
  const core = benchCore({
    ...parts,
    env: { DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.apiUrl },
  });
  const bot = createBot(core, commands);
  let restRateLimited = 0;
  try {
    await bot.start();
    await discord.waitForIdentify();
    bot.client.rest.on("rateLimited", () => restRateLimited++);
    const result = await sendAckPlan(discord, plan);
    return { ...result, restRateLimited };
  } finally {
    await bot.stop();
    await discord.close();
  }
}

let readers = 0;

/**
 * Sends the plan's interactions to a bot logged in to `discord` (in this process or another) and times
 * their acknowledgements; throws if any went wrong.
 */
export async function sendAckPlan(
  discord: FakeDiscord,
  plan: AckPlan,
): Promise<Omit<AckResult, "restRateLimited">> {
  const result = { steadyMs: [] as number[], burstMs: [] as number[] };
  const failures: string[] = [];
  let asked = 0;
  // Every interaction comes from a different reader, so none meets the per-user rate limit.
  const ask = async (): Promise<SentInteraction> => {
    const question = plan.questions[asked % plan.questions.length] as string;
    asked++;
    const user = discord.addUser(`reader${readers++}`);
    const interaction = await discord.sendSlashCommand(
      "ask",
      { question },
      { user, channel: discord.channels.general },
    );
    const sent = {
      acked: ackOf(discord, interaction, WAIT_MS),
      done: doneOf(discord, interaction, failures, WAIT_MS),
    };
    // Awaited later; marked handled now so that a failure while others are still being sent (or the
    // fake closing after one) surfaces as the run's error, not as an unhandled rejection.
    sent.acked.catch(() => {});
    sent.done.catch(() => {});
    return sent;
  };
  const steady: SentInteraction[] = [];
  for (let i = 0; i < plan.steady; i++) {
    if (i > 0) await sleep(plan.steadyGapMs);
    steady.push(await ask());
  }
  result.steadyMs.push(...(await Promise.all(steady.map((sent) => sent.acked))));
  await Promise.all(steady.map((sent) => sent.done));
  for (let b = 0; b < plan.bursts; b++) {
    await sleep(plan.burstGapMs);
    // All of a burst's frames are written before any is awaited: sendSlashCommand writes synchronously.
    const burst = await Promise.all(Array.from({ length: plan.burstSize }, ask));
    result.burstMs.push(...(await Promise.all(burst.map((sent) => sent.acked))));
    await Promise.all(burst.map((sent) => sent.done));
  }
  const refused = discord.requests
    .filter((request) => request.status >= 400)
    .map((request) => `${request.method} ${request.path} answered ${request.status}`);
  const problems = [...discord.problems, ...refused, ...failures];
  if (problems.length > 0)
    throw new Error(`the acknowledgement benchmark went wrong: ${problems.join("; ")}`);
  return result;
}
