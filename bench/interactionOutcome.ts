// How one benchmark interaction went on the loopback Discord: how soon it was acknowledged, and
// whether it ended in an answer. Shared by the acknowledgement cells (one bot, and shards on
// PostgreSQL).
import type { FakeDiscord, FakeInteraction } from "../tests/fakes/fakeDiscord.ts";

/** Milliseconds from the interaction being sent to its deferral; throws unless it was deferred. */
export async function ackOf(
  discord: FakeDiscord,
  interaction: FakeInteraction,
  waitMs: number,
): Promise<number> {
  const response = await discord.waitForCallback(interaction, waitMs);
  if (response.type !== 5)
    throw new Error(`interaction answered with type ${response.type} instead of a deferral`);
  const ms = interaction.ackLatencyMs;
  if (ms === null) throw new Error("the fake Discord did not time the acknowledgement");
  return ms;
}

/** The final answer carries the buttons; an ephemeral message is a failure line. */
export async function doneOf(
  discord: FakeDiscord,
  interaction: FakeInteraction,
  failures: string[],
  waitMs: number,
): Promise<void> {
  const last = await discord.waitForInteractionMessage(
    interaction,
    (m) => m.ephemeral || m.components.length > 0,
    waitMs,
  );
  if (last.ephemeral)
    failures.push(`an interaction got a failure line instead of an answer: ${last.content}`);
}
