import { describe, expect, it } from "vitest";
import { planShards, ShardUsageError } from "../src/shards/planShards.ts";
import { runCli } from "./runCli.ts";

describe("planShards", () => {
  const none = { SHARD_IDS: [] as number[] };

  it("runs every shard of a count given, recommended, or set by SHARD_COUNT", () => {
    expect(planShards("4", none)).toEqual({ total: 4, ids: "all" });
    expect(planShards("auto", none)).toEqual({ total: "auto", ids: "all" });
    expect(planShards("auto", { ...none, SHARD_COUNT: 6 })).toEqual({ total: 6, ids: "all" });
  });

  it("runs this machine's share when SHARD_IDS splits a fixed count", () => {
    expect(planShards("auto", { SHARD_COUNT: 4, SHARD_IDS: [3, 1] })).toEqual({ total: 4, ids: [1, 3] });
    expect(planShards("4", { SHARD_IDS: [0] })).toEqual({ total: 4, ids: [0] });
  });

  it("refuses what machines could disagree on, or that cannot be", () => {
    expect(() => planShards("auto", { SHARD_IDS: [0] })).toThrow(/SHARD_IDS needs SHARD_COUNT/);
    expect(() => planShards("3", { SHARD_COUNT: 4, SHARD_IDS: [] })).toThrow(/disagrees/);
    expect(() => planShards("2", { SHARD_IDS: [2] })).toThrow(/count from 0/);
    expect(() => planShards("0", none)).toThrow(ShardUsageError);
    expect(() => planShards("many", none)).toThrow(/"auto" or a number/);
  });
});

describe("storybot start --shards without what it needs", () => {
  it("says sharding needs DATABASE_URL (lowdb is one process), and --shards needs a valid value", async () => {
    const env = { DISCORD_TOKEN: "x.y.z", DATA_DIR: "/nonexistent" };
    const lowdb = await runCli(["start", "--shards", "2"], { env });
    expect(lowdb.code).toBe(1);
    expect(lowdb.stderr).toMatch(/--shards needs DATABASE_URL/);
    const bad = await runCli(["start", "--shards", "many"], { env });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--shards takes "auto" or a number/);
  });
});
