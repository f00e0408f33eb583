// Acknowledgement latency: the real bot (createBot, discord.js) logged in to the loopback Discord;
// /ask interactions are sent at a steady pace and in bursts, and each is timed from its
// INTERACTION_CREATE leaving the gateway to its deferral arriving. Every interaction is answered in
// full by the model given, so acknowledgements compete with the answers in flight, as in a busy server.
import { setTimeout as sleep } from "node:timers/promises";
import { createBot } from "../src/discord/createBot.ts";
import { benchCore, type CoreParts } from "./benchFixtures.ts";
import { type SentInteraction, startLoopbackDiscord } from "./loopbackDiscord.ts";

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

export async function measureAcks(parts: Omit<CoreParts, "env">, plan: AckPlan): Promise<AckResult> {
  const discord = await startLoopbackDiscord();
  const core = benchCore({
    ...parts,
    env: { DISCORD_TOKEN: discord.token, DISCORD_API_URL: discord.apiUrl },
  });
  const bot = createBot(core);
  const result: AckResult = { steadyMs: [], burstMs: [], restRateLimited: 0 };
  let asked = 0;
  // Every interaction comes from a different reader, so none meets the per-user rate limit.
  const ask = () => {
    const question = plan.questions[asked % plan.questions.length] as string;
    return discord.ask(question, String(300_000_000_000_000_000n + BigInt(asked++)));
  };
  try {
    await bot.start();
    await discord.connected();
    bot.client.rest.on("rateLimited", () => result.restRateLimited++);
    const steady: SentInteraction[] = [];
    for (let i = 0; i < plan.steady; i++) {
      if (i > 0) await sleep(plan.steadyGapMs);
      steady.push(ask());
    }
    result.steadyMs.push(...(await Promise.all(steady.map((sent) => sent.acked))));
    await Promise.all(steady.map((sent) => sent.done));
    for (let b = 0; b < plan.bursts; b++) {
      await sleep(plan.burstGapMs);
      const burst = Array.from({ length: plan.burstSize }, ask);
      result.burstMs.push(...(await Promise.all(burst.map((sent) => sent.acked))));
      await Promise.all(burst.map((sent) => sent.done));
    }
  } finally {
    await bot.stop();
    await discord.close();
  }
  const problems = discord.problems();
  if (problems.length > 0)
    throw new Error(`the acknowledgement benchmark went wrong: ${problems.join("; ")}`);
  return result;
}
