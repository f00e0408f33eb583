// Running storybot as a service: the health signal a supervisor checks, the invite link, and
// clearing slash commands left behind in Discord (against the loopback Discord).
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PermissionFlagsBits } from "discord.js";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { applicationIdOfToken, BOT_PERMISSIONS, inviteUrl } from "../src/discord/inviteUrl.ts";
import { type Health, judgeHealth, STALE_AFTER_MS, startHealthFile } from "../src/health/healthFile.ts";
import { type FakeDiscord, startFakeDiscord } from "./fakes/fakeDiscord.ts";
import { runCli } from "./runCli.ts";

// Each test runs real processes; on a busy machine (2 cores) they take a while to start.
vi.setConfig({ testTimeout: 120_000 });

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), "storybot-ops-"));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const NOW = new Date("2026-02-04T09:00:00Z");
const health = (over: Partial<Health> = {}): Health => ({
  pid: 4242,
  state: "ready",
  updatedAt: new Date(NOW.getTime() - 5_000).toISOString(),
  startedAt: "2026-02-04T08:00:00Z",
  user: "storybot#0001",
  guilds: 3,
  ...over,
});
const alive = () => true;

describe("health", () => {
  it("is healthy only when connected, recently heard from and running", () => {
    expect(judgeHealth(health(), NOW, alive)).toEqual({
      healthy: true,
      line: "running: pid 4242, connected to Discord as storybot#0001 in 3 servers (5 s ago)",
    });
    const unhealthy: [Health | undefined, (pid: number) => boolean, RegExp][] = [
      [undefined, alive, /^not running: no health file/],
      [health({ state: "stopped" }), alive, /^not running: stopped/],
      [health(), () => false, /^not running: process 4242 is gone/],
      [
        health({ updatedAt: new Date(NOW.getTime() - STALE_AFTER_MS - 1_000).toISOString() }),
        alive,
        /^stuck: pid 4242 last wrote its health file/,
      ],
      [health({ state: "connecting" }), alive, /^not connected: pid 4242 is connecting/],
    ];
    for (const [h, running, line] of unhealthy) {
      const verdict = judgeHealth(h, NOW, running);
      expect(verdict.healthy).toBe(false);
      expect(verdict.line).toMatch(line);
    }
  });

  it("is written at once and marked stopped on stop", async () => {
    const file = path.join(dir, "health-writer.json");
    const writer = startHealthFile(
      file,
      () => ({ state: "ready", guilds: 1 }),
      () => NOW,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({
      pid: process.pid,
      state: "ready",
      guilds: 1,
    });
    await writer.stop();
    expect(JSON.parse(readFileSync(file, "utf8"))).toMatchObject({ state: "stopped" });
  });

  it("is what `storybot status` reports, with exit 0 only when healthy", async () => {
    const dataDir = path.join(dir, "status");
    const write = (h: Health) => {
      rmSync(dataDir, { recursive: true, force: true });
      mkdirSync(dataDir, { recursive: true });
      writeFileSync(path.join(dataDir, "health.json"), JSON.stringify(h));
    };
    // This test's own process stands in for the bot: it is running.
    write(health({ pid: process.pid, updatedAt: new Date().toISOString() }));
    const ok = await runCli(["status"], { env: { DATA_DIR: dataDir } });
    expect(ok.code).toBe(0);
    expect(ok.stdout).toMatch(/^running: pid \d+, connected to Discord as storybot#0001 in 3 servers/);

    write(health({ pid: process.pid, updatedAt: new Date(Date.now() - 10 * 60_000).toISOString() }));
    const stuck = await runCli(["status", "--json"], { env: { DATA_DIR: dataDir } });
    expect(stuck.code).toBe(1);
    expect(JSON.parse(stuck.stdout)).toMatchObject({
      healthy: false,
      status: expect.stringMatching(/^stuck/),
    });

    const none = await runCli(["status"], { env: { DATA_DIR: path.join(dir, "never-started") } });
    expect(none.code).toBe(1);
    expect(none.stdout).toMatch(/^not running: no health file/);
  });
});

describe("invite link", () => {
  it("asks for the bot and applications.commands scopes and the permissions the bot uses", () => {
    const url = new URL(inviteUrl("123456789012345678"));
    expect(url.origin + url.pathname).toBe("https://discord.com/oauth2/authorize");
    expect(url.searchParams.get("client_id")).toBe("123456789012345678");
    expect(url.searchParams.get("scope")).toBe("bot applications.commands");
    const permissions = BigInt(url.searchParams.get("permissions") ?? "0");
    expect(permissions).toBe(BOT_PERMISSIONS);
    for (const needed of [
      "ViewChannel",
      "SendMessages",
      "SendMessagesInThreads",
      "CreatePublicThreads",
      "ReadMessageHistory",
    ] as const)
      expect(permissions & PermissionFlagsBits[needed]).toBe(PermissionFlagsBits[needed]);
    expect(permissions & PermissionFlagsBits.Administrator).toBe(0n);
  });

  it("reads the application id from a bot token", () => {
    const id = "1234567890123456789";
    expect(
      applicationIdOfToken(`${Buffer.from(id).toString("base64url")}.GhIjKl.abcdefghijklmnopqrstuvwxyz0`),
    ).toBe(id);
    expect(applicationIdOfToken("not-a-token")).toBeUndefined();
  });

  it("is printed by `storybot invite`, from the token or --client-id", async () => {
    const id = "1234567890123456789";
    const token = `${Buffer.from(id).toString("base64")}.GhIjKl.abcdefghijklmnopqrstuvwxyz0`;
    const fromToken = await runCli(["invite"], { env: { DISCORD_TOKEN: token } });
    expect(fromToken.code).toBe(0);
    expect(fromToken.stdout.trim()).toBe(inviteUrl(id));
    const given = await runCli(["invite", "--client-id", "223456789012345678"]);
    expect(given.stdout.trim()).toBe(inviteUrl("223456789012345678"));
    const neither = await runCli(["invite"]);
    expect(neither.code).toBe(2);
    expect(neither.stderr.trim()).toBe(
      "storybot: Set DISCORD_TOKEN, or pass the application id with --client-id.",
    );
  });
});

describe("deploy-commands against the loopback Discord", () => {
  let discord: FakeDiscord;
  beforeAll(async () => {
    discord = await startFakeDiscord();
  });
  afterAll(() => discord.close());
  const env = () => ({
    DATA_DIR: path.join(dir, "deploy"),
    DISCORD_TOKEN: discord.token,
    DISCORD_API_URL: discord.apiUrl,
  });
  const names = (guildId?: string) => discord.commands(guildId).map((c) => c.name);

  it("registers in a guild or globally, prints the invite link, and clears stale copies", async () => {
    const inGuild = await runCli(["deploy-commands", "--guild", discord.guild.id], { env: env() });
    expect(inGuild.code, inGuild.stderr).toBe(0);
    expect(inGuild.stdout).toMatch(new RegExp(`^Registered .*/ask.* in guild ${discord.guild.id}`));
    expect(inGuild.stdout).toMatch(
      /Invite the bot to a server: https:\/\/discord\.com\/oauth2\/authorize\?client_id=\d+/,
    );
    expect(names(discord.guild.id)).toContain("ask");

    // Moving to global commands: the guild copies would show every command twice.
    const global = await runCli(["deploy-commands", "--global"], {
      env: { ...env(), DISCORD_GUILD_ID: discord.guild.id },
    });
    expect(global.code, global.stderr).toBe(0);
    expect(names()).toContain("ask");

    const cleared = await runCli(["deploy-commands", "--clear"], {
      env: { ...env(), DISCORD_GUILD_ID: discord.guild.id },
    });
    expect(cleared.code, cleared.stderr).toBe(0);
    expect(cleared.stdout.trim()).toBe(`Cleared the slash commands in guild ${discord.guild.id}.`);
    expect(names(discord.guild.id)).toEqual([]);
    expect(names()).toContain("ask");

    const clearedGlobal = await runCli(["deploy-commands", "--clear", "--global"], { env: env() });
    expect(clearedGlobal.stdout.trim()).toBe("Cleared the global slash commands.");
    expect(names()).toEqual([]);
  }, 90_000);
});
