// `npm start` with a token, as an operator runs it: a real process that logs in to the loopback
// Discord, registers its commands, answers, and stops cleanly on SIGTERM with its history on disk.
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { waitForAnswer } from "./discordHarness.ts";
import { type FakeDiscord, startFakeDiscord } from "./fakes/fakeDiscord.ts";
import { runCli } from "./runCli.ts";

const ROOT = path.resolve(import.meta.dirname, "..");
let dir: string;
let discord: FakeDiscord;
let bot: ChildProcess;
let stderr = "";

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "storybot-start-"));
  cpSync(path.join(ROOT, "data/articles"), path.join(dir, "data/articles"), { recursive: true });
  discord = await startFakeDiscord();
  bot = spawn(path.join(ROOT, "node_modules/.bin/node"), [path.join(ROOT, "bin/storybot.ts"), "start"], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? "",
      DATA_DIR: path.join(dir, "data"),
      DISCORD_TOKEN: discord.token,
      DISCORD_API_URL: discord.apiUrl,
      DISCORD_GUILD_ID: discord.guild.id,
      LOG_LEVEL: "info",
      STORYBOT_ENV_FILE: path.join(dir, "none.env"),
    },
    stdio: ["ignore", "ignore", "pipe"],
  });
  bot.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
});
afterAll(async () => {
  if (bot.exitCode === null) bot.kill("SIGKILL");
  await discord.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("storybot start with a Discord token", () => {
  it("logs in, registers the commands in the guild, answers, and stops on SIGTERM with its history saved", async () => {
    await discord.waitForIdentify(15_000);
    await discord.waitForRequest((r) => r.method === "PUT" && r.path.includes("/commands"), 15_000);
    expect(discord.commands(discord.guild.id).map((c) => c.name)).toEqual(
      expect.arrayContaining(["ask", "summary", "sources", "timeline", "forget", "settings", "story"]),
    );

    const i = await discord.sendSlashCommand(
      "ask",
      { question: "Who is Israel's defense minister?" },
      { user: discord.users.member },
    );
    const reply = await waitForAnswer(discord, i);
    expect(reply.content).toContain("Katz");

    // A supervisor's health check sees it running and connected.
    const status = await runCli(["status"], { env: { DATA_DIR: path.join(dir, "data") } });
    expect(status.code, status.stdout).toBe(0);
    expect(status.stdout).toMatch(/^running: pid \d+, connected to Discord as .+ in \d+ servers?/);

    const exited = new Promise<number | null>((resolve) => bot.on("exit", resolve));
    bot.kill("SIGTERM");
    expect(await exited).toBe(0);
    const after = await runCli(["status"], { env: { DATA_DIR: path.join(dir, "data") } });
    expect(after.code).toBe(1);
    expect(after.stdout).toMatch(/^not running: stopped/);
    const db = JSON.parse(readFileSync(path.join(dir, "data/db.json"), "utf8"));
    expect(JSON.stringify(db)).toContain("Who is Israel's defense minister?");
    expect(stderr).not.toContain(discord.token);
  });
});
