// `storybot start --shards auto|N`: the bot as one process per gateway shard (see shards/).
import type { Config } from "../config.ts";
import type { Command } from "../discord/command.ts";
import type { Logger } from "../log.ts";
import { planShards, ShardUsageError } from "../shards/planShards.ts";
import { runShardManager } from "../shards/runShardManager.ts";

export async function startShardsCommand(
  shards: string,
  config: Config,
  log: Logger,
  slashCommands: readonly Command[],
): Promise<number> {
  try {
    const plan = planShards(shards, config);
    return await runShardManager(config, plan, log, slashCommands);
  } catch (error) {
    if (!(error instanceof ShardUsageError)) throw error;
    process.stderr.write(`storybot: ${error.message} (see storybot start --help)\n`);
    return 2;
  }
}
