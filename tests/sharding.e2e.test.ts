// `storybot start --shards 2` as an operator runs it: a real shard manager process and two real
// shard processes (discord.js ShardingManager) on the loopback Discord with two shards and several
// servers, sharing a real PostgreSQL database.
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { silentLogger } from "../src/log.ts";
import { openStorage } from "../src/store/openStorage.ts";
import { waitForAnswer } from "./discordHarness.ts";
import { type FakeChannel, type FakeDiscord, type FakeGuild, startFakeDiscord } from "./fakes/fakeDiscord.ts";
import { fixture, type PageServer, startPageServer } from "./fixtures/ingest/pageServer.ts";
import { describePostgres, useTestDatabases } from "./postgresTestDatabase.ts";
import { MAIN, NODE, ROOT } from "./runCli.ts";

const { createTestDatabase } = useTestDatabases();
const QUESTION = "Who is Israel's defense minister?";

interface Server {
  guild: FakeGuild;
  general: FakeChannel;
  summaries: FakeChannel;
}

let discord: FakeDiscord;
let pages: PageServer;
let dir: string;
let databaseUrl: string;
let manager: ChildProcess;
let output = "";
/** Two servers on each shard. */
let servers: { zero: Server[]; one: Server[] };

beforeAll(async () => {
  if (!process.env.TEST_DATABASE_URL) return;
  discord = await startFakeDiscord({ shards: 2 });
  servers = {
    zero: [discord.addGuild("Zero A", { shard: [0, 2] }), discord.addGuild("Zero B", { shard: [0, 2] })],
    one: [discord.addGuild("One A", { shard: [1, 2] }), discord.addGuild("One B", { shard: [1, 2] })],
  };
  pages = await startPageServer();
  pages.routes.set("/news/lighthouse", { body: fixture("lighthouse.html") });
  databaseUrl = await createTestDatabase();
  // Every server posts its daily summary at 00:00 UTC: due as soon as the bot starts.
  const storage = await openStorage({
    dataDir: tmpdir(),
    databaseUrl,
    log: silentLogger(),
    clock: () => new Date(),
  });
  for (const server of [...servers.zero, ...servers.one]) {
    await storage.store.updateGuildSettings(server.guild.id, {
      summaryChannelId: server.summaries.id,
      summaryTime: "00:00",
      summaryTimezone: "UTC",
    });
  }
  await storage.close();

  dir = mkdtempSync(path.join(tmpdir(), "storybot-shards-"));
  cpSync(path.join(ROOT, "data/articles"), path.join(dir, "data/articles"), { recursive: true });
  manager = spawn(NODE, [MAIN, "start", "--shards", "auto"], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? "",
      // A developer's own .env must not leak into a test run.
      STORYBOT_ENV_FILE: path.join(ROOT, "tests", "fixtures", "no-such.env"),
      DATA_DIR: path.join(dir, "data"),
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      DATABASE_URL: databaseUrl,
      INGEST_ALLOW_LOOPBACK: "true",
      LOG_LEVEL: "info",
      LOG_FORMAT: "json",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  manager.stdout?.on("data", (chunk) => (output += chunk));
  manager.stderr?.on("data", (chunk) => (output += chunk));
  await discord.waitForShards(2, 90_000);
}, 120_000);

afterAll(async () => {
  if (manager && manager.exitCode === null) manager.kill("SIGKILL");
  for (const pid of await shardPids().catch(() => [])) process.kill(pid, "SIGKILL");
  await discord?.close();
  await pages?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function ask(server: Server, question: string, user = discord.users.member) {
  const interaction = await discord.sendSlashCommand("ask", { question }, { channel: server.general, user });
  const reply = await waitForAnswer(discord, interaction);
  return { interaction, reply };
}

/** The shard processes the manager started: children whose environment names their shard. */
async function shardPids(): Promise<number[]> {
  const pids: number[] = [];
  for (const entry of await readdir("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = await readFile(`/proc/${entry}/stat`, "utf8");
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (parent === manager.pid) pids.push(Number(entry));
    } catch {
      // The process ended while being looked at.
    }
  }
  return pids;
}

function shardOf(pid: number): number | undefined {
  const environ = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
  const shards = environ.find((v) => v.startsWith("SHARDS="));
  return shards ? Number(shards.slice("SHARDS=".length)) : undefined;
}

async function turnsOf(key: string): Promise<string[]> {
  const storage = await openStorage({
    dataDir: tmpdir(),
    databaseUrl,
    log: silentLogger(),
    clock: () => new Date(),
  });
  try {
    return (await storage.store.history(key)).map((turn) => turn.content);
  } finally {
    await storage.close();
  }
}

describePostgres("storybot start --shards", () => {
  it("runs one process per shard and registers the slash commands once", async () => {
    expect((await shardPids()).map(shardOf).sort()).toEqual([0, 1]);
    expect(discord.requestsTo("PUT /applications/:id/commands")).toHaveLength(1);
  });

  it("answers every server from its own shard, each interaction exactly once", async () => {
    for (const server of [...servers.zero, ...servers.one]) {
      const { interaction, reply } = await ask(server, QUESTION);
      expect(reply.content).toContain("Katz");
      expect(interaction.callbackAttempts).toHaveLength(1);
      expect(interaction.followUps()).toHaveLength(0);
    }
  });

  // Each shard builds and posts its servers' summaries one after another after it connects: on a busy
  // machine (the whole suite running beside it) that takes longer than the default test time, so the
  // test's time is its own waits'.
  it(
    "posts one daily summary per server across both shards",
    async () => {
      for (const server of [...servers.zero, ...servers.one]) {
        await discord
          .waitForMessage((m) => m.channelId === server.summaries.id, 30_000)
          .catch((error: unknown) => {
            // What the shards said about the summaries, to tell a slow post from a failed one.
            const said = output.split("\n").filter((line) => /summar/i.test(line));
            throw new Error(`no summary in ${server.guild.name}: ${String(error)}\n${said.join("\n")}`);
          });
      }
      // Both shards check every server's schedule; give a second post every chance to appear.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      for (const server of [...servers.zero, ...servers.one]) {
        expect(discord.messages(server.summaries)).toHaveLength(1);
      }
    },
    4 * 30_000 + 10_000,
  );

  it("answers, on one shard, from an article added through the other", async () => {
    const [zero] = servers.zero;
    const [one] = servers.one;
    if (!zero || !one) throw new Error("servers missing");
    const add = await discord.sendSlashCommand(
      "story",
      { url: `${pages.origin}/news/lighthouse` },
      { channel: zero.general, user: discord.users.owner, subcommand: "add" },
    );
    const added = await discord.waitForReply(add, (m) => m.content.startsWith("Added"), 20_000);
    expect(added.content).toContain("Gull Point");
    // The other process learns of it by NOTIFY within moments.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const { reply } = await ask(
      one,
      "How much will the Gull Point lighthouse restoration cost?",
      discord.users.other,
    );
    expect(reply.content).toContain("1.2 million");
  });

  it("loses no acknowledged turn when a shard process is killed, and the follow-up sees the conversation", async () => {
    const [, server] = servers.one;
    if (!server) throw new Error("server missing");
    const user = discord.users.admin;
    const key = `chan:${server.guild.id}:${server.general.id}:${user.id}`;
    await ask(server, QUESTION, user);
    await expect.poll(() => turnsOf(key), { timeout: 5_000 }).toHaveLength(2);

    const before = discord
      .shardSessions()
      .filter((s) => s.shard[0] === 1 && s.connected)
      .map((s) => s.id);
    const victim = (await shardPids()).find((pid) => shardOf(pid) === 1);
    if (!victim) throw new Error("no process for shard 1");
    process.kill(victim, "SIGKILL");
    // The manager starts the shard again; it identifies anew.
    await expect
      .poll(
        () => discord.shardSessions().some((s) => s.shard[0] === 1 && s.connected && !before.includes(s.id)),
        {
          timeout: 60_000,
          interval: 250,
        },
      )
      .toBe(true);

    await ask(server, "When is he expected to meet Witkoff?", user);
    // The turn is saved just after the answer is shown, as for the first question.
    await expect.poll(() => turnsOf(key), { timeout: 5_000 }).toHaveLength(4);
    expect((await turnsOf(key))[0]).toBe(QUESTION);
  });

  it("stops every shard gracefully on SIGTERM", async () => {
    const shards = await shardPids();
    expect(shards).toHaveLength(2);
    const exited = new Promise<number | null>((resolve) => manager.once("exit", resolve));
    manager.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(await shardPids()).toEqual([]);
    expect(discord.shardSessions().filter((s) => s.connected)).toEqual([]);
    const stops = output.split("\n").filter((line) => line.includes("disconnected from Discord"));
    expect(stops).toHaveLength(2);
  });
});
