// End-to-end harness for the Discord bot: the real bot (createBot over the real core) logged in to the
// loopback Discord, with an optional loopback OpenAI-compatible model, in a temporary data directory.
import { cp, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { commands } from "../commands/index.ts";
import { type Core, createCore } from "../src/app.ts";
import { parseConfig } from "../src/config.ts";
import { type Bot, type BotOptions, createBot } from "../src/discord/createBot.ts";
import { createLogger } from "../src/log.ts";
import {
  type FakeDiscord,
  type FakeDiscordOptions,
  type FakeInteraction,
  type FakeMessage,
  startFakeDiscord,
} from "./fakes/fakeDiscord.ts";
import { type FakeOpenAI, type Responder, startFakeOpenAI } from "./fakes/fakeOpenAI.ts";

const ARTICLES = path.resolve(import.meta.dirname, "../data/articles");

export interface HarnessOptions {
  /** Serve a loopback model (default true); without it answers are extractive. */
  llm?: boolean;
  responder?: Responder;
  env?: Record<string, string>;
  bot?: BotOptions;
  discord?: FakeDiscordOptions;
  /** Reuse a data directory (a restart); otherwise a fresh one with the story's articles. */
  dataDir?: string;
}

export interface Harness {
  /** Every log line of the bot and its core, as JSON text. */
  logs: string[];
  discord: FakeDiscord;
  openai: FakeOpenAI | undefined;
  core: Core;
  bot: Bot;
  dataDir: string;
  /** Stops the bot and the core only (the fake Discord, model and data stay), for a restart. */
  stopBot(): Promise<void>;
  /** Starts a new core and bot on the same data directory, fake Discord and model. */
  restartBot(options?: { env?: Record<string, string>; bot?: BotOptions }): Promise<void>;
  close(): Promise<void>;
}

/** Fast timings for tests: edits 150 ms apart, a short grace period. */
export const TEST_BOT_OPTIONS: BotOptions = {
  editIntervalMs: 150,
  graceMs: 2_000,
  rest: { globalRequestsPerSecond: 1_000 },
};

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dataDir = options.dataDir ?? (await mkdtemp(path.join(tmpdir(), "storybot-discord-")));
  if (!options.dataDir) await cp(ARTICLES, path.join(dataDir, "articles"), { recursive: true });
  const openai =
    (options.llm ?? true)
      ? await startFakeOpenAI(options.responder ? { responder: options.responder } : {})
      : undefined;
  const discord = await startFakeDiscord(options.discord);

  const logs: string[] = [];
  const echo = process.env.STORYBOT_TEST_LOG !== undefined;
  const log = createLogger("debug", {
    write(line: string) {
      logs.push(line);
      if (echo) process.stderr.write(line);
    },
  });

  async function launch(env: Record<string, string> = {}, botOptions: BotOptions = {}) {
    const config = parseConfig({
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      DATA_DIR: dataDir,
      LLM_TIMEOUT_MS: "3000",
      LLM_MAX_RETRIES: "0",
      RATE_LIMIT_PER_MINUTE: "100",
      ...(openai ? { OPENAI_API_KEY: "test-key", OPENAI_BASE_URL: openai.url, OPENAI_API: "chat" } : {}),
      ...env,
    });
    const core = await createCore(config, log);
    const bot = createBot(core, commands, { ...TEST_BOT_OPTIONS, ...botOptions });
    await bot.start();
    return { core, bot };
  }

  let running = await launch(options.env, options.bot);
  let stopped = false;
  const harness: Harness = {
    logs,
    discord,
    openai,
    dataDir,
    get core() {
      return running.core;
    },
    get bot() {
      return running.bot;
    },
    async stopBot() {
      if (stopped) return;
      stopped = true;
      await running.bot.stop();
      await running.core.close();
    },
    async restartBot(restart = {}) {
      await harness.stopBot();
      running = await launch({ ...options.env, ...restart.env }, { ...options.bot, ...restart.bot });
      stopped = false;
    },
    async close() {
      await harness.stopBot();
      await discord.close();
      await openai?.close();
      if (!options.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}

/** Every message of an /ask answer: the reply, then its follow-ups, in order. */
export function answerMessages(interaction: FakeInteraction): FakeMessage[] {
  return interaction.messages().filter((m) => !m.ephemeral && !m.deleted);
}

/** Text as a reader sees it, without the zero-width spaces that keep mentions inert. */
export function visible(text: string): string {
  return text.replaceAll("\u200b", "");
}

/** Polls until `condition` holds (for state outside the fake Discord, such as the model's requests). */
export async function waitUntil(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    if (performance.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms: ${condition}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The last message of a finished answer carries its feedback buttons; partial answers have none. */
export function isFinalAnswer(message: FakeMessage): boolean {
  return JSON.stringify(message.components).includes("answer:up:");
}

/** The reply to /ask once the whole answer is posted (its last message has the buttons). */
export async function waitForAnswer(
  discord: FakeDiscord,
  interaction: FakeInteraction,
): Promise<FakeMessage> {
  await discord.waitForMessage((m) => m.interactionId === interaction.id && isFinalAnswer(m));
  const original = interaction.original();
  if (!original) throw new Error("the answer has no original reply");
  return original;
}

/** Waits until the store links the answer to its posted message (done right after posting). */
export async function waitForRecord(h: Harness, messageId: string) {
  let record: Awaited<ReturnType<Harness["core"]["store"]["findAnswerByMessage"]>>;
  const deadline = performance.now() + 5_000;
  while (!(record = await h.core.store.findAnswerByMessage(messageId))) {
    if (performance.now() > deadline) throw new Error(`no answer record for message ${messageId}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return record;
}
