// Two machines splitting the shards: two `storybot start --shards auto` processes with SHARD_COUNT=2,
// one with SHARD_IDS=0 and one with SHARD_IDS=1, started together on one PostgreSQL database.
import { type ChildProcess, spawn } from "node:child_process";
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, expect, it } from "vitest";
import { waitForAnswer } from "./discordHarness.ts";
import { type FakeDiscord, startFakeDiscord } from "./fakes/fakeDiscord.ts";
import { describePostgres, useTestDatabases } from "./postgresTestDatabase.ts";
import { MAIN, NODE, ROOT } from "./runCli.ts";

const { createTestDatabase } = useTestDatabases();
let discord: FakeDiscord | undefined;
const machines: ChildProcess[] = [];
const dirs: string[] = [];

afterAll(async () => {
  for (const machine of machines) if (machine.exitCode === null) machine.kill("SIGKILL");
  await discord?.close();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function startMachine(fake: FakeDiscord, databaseUrl: string, shardIds: string): ChildProcess {
  const dir = mkdtempSync(path.join(tmpdir(), "storybot-machine-"));
  dirs.push(dir);
  cpSync(path.join(ROOT, "data/articles"), path.join(dir, "data/articles"), { recursive: true });
  const machine = spawn(NODE, [MAIN, "start", "--shards", "auto"], {
    cwd: dir,
    env: {
      PATH: process.env.PATH ?? "",
      // A developer's own .env must not leak into a test run.
      STORYBOT_ENV_FILE: path.join(ROOT, "tests", "fixtures", "no-such.env"),
      DATA_DIR: path.join(dir, "data"),
      DISCORD_TOKEN: fake.token,
      DISCORD_API_URL: fake.apiUrl,
      DATABASE_URL: databaseUrl,
      SHARD_COUNT: "2",
      SHARD_IDS: shardIds,
      LOG_LEVEL: "warn",
    },
    stdio: "ignore",
  });
  machines.push(machine);
  return machine;
}

describePostgres("shards split across machines", () => {
  it("registers the commands once and answers every server from the machine running its shard", async () => {
    const fake = await startFakeDiscord({ shards: 1 });
    discord = fake;
    const zero = fake.addGuild("Zero", { shard: [0, 2] });
    const one = fake.addGuild("One", { shard: [1, 2] });
    const databaseUrl = await createTestDatabase();
    const both = [startMachine(fake, databaseUrl, "0"), startMachine(fake, databaseUrl, "1")];
    // SHARD_COUNT wins over the 1 shard Discord recommends: every machine counts 2.
    await fake.waitForShards(2, 90_000);
    expect(fake.requestsTo("PUT /applications/:id/commands")).toHaveLength(1);

    for (const server of [zero, one]) {
      const i = await fake.sendSlashCommand(
        "ask",
        { question: "Who is Israel's defense minister?" },
        { channel: server.general },
      );
      expect((await waitForAnswer(fake, i)).content).toContain("Katz");
    }

    const exits = both.map((machine) => new Promise((resolve) => machine.once("exit", resolve)));
    for (const machine of both) machine.kill("SIGTERM");
    expect(await Promise.all(exits)).toEqual([0, 0]);
  }, 120_000);
});
