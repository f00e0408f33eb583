// Which gateway shards this machine runs: `start --shards auto|N` with SHARD_COUNT (all machines'
// shards) and SHARD_IDS (this machine's). Machines splitting the shards must agree on the count, so
// a split needs a fixed one rather than each machine asking Discord.
import { UserError } from "../errors.ts";

export interface ShardPlan {
  /** Shards across all machines; "auto" asks Discord (GET /gateway/bot). */
  total: number | "auto";
  /** The shards this machine runs; "all" when it runs every one. */
  ids: number[] | "all";
}

/** Refused input that is a usage error (exit 2), not a failure. */
export class ShardUsageError extends UserError {
  override name = "ShardUsageError";
}

export function planShards(
  flag: string,
  env: { SHARD_COUNT?: number | undefined; SHARD_IDS: number[] },
): ShardPlan {
  let total: number | "auto";
  if (flag === "auto") total = env.SHARD_COUNT ?? "auto";
  else if (/^\d+$/.test(flag) && Number(flag) > 0) total = Number(flag);
  else throw new ShardUsageError(`--shards takes "auto" or a number of shards, not "${flag}".`);
  if (env.SHARD_COUNT !== undefined && total !== env.SHARD_COUNT) {
    throw new ShardUsageError(`--shards ${flag} disagrees with SHARD_COUNT=${env.SHARD_COUNT}.`);
  }
  if (env.SHARD_IDS.length === 0) return { total, ids: "all" };
  if (total === "auto") {
    throw new ShardUsageError(
      "SHARD_IDS needs SHARD_COUNT (or --shards N), so that every machine counts the same shards.",
    );
  }
  const outside = env.SHARD_IDS.filter((id) => id >= total);
  if (outside.length > 0) {
    throw new ShardUsageError(
      `SHARD_IDS ${outside.join(", ")} ≥ the shard count ${total}: shards count from 0.`,
    );
  }
  return { total, ids: [...env.SHARD_IDS].sort((a, b) => a - b) };
}
