// `storybot status [--json]`: whether a bot runs on this DATA_DIR and is connected, for a person or
// a supervisor's health check (exit 0 healthy, 1 not).
import type { Config } from "../config.ts";
import { healthFile, judgeHealth, processRunning, readHealth } from "../health/healthFile.ts";

export async function statusCommand(config: Config, options: { json: boolean }): Promise<number> {
  const health = await readHealth(healthFile(config.DATA_DIR));
  const verdict = judgeHealth(health, new Date(), processRunning);
  process.stdout.write(
    options.json
      ? `${JSON.stringify({ healthy: verdict.healthy, status: verdict.line, ...(health ? { health } : {}) })}\n`
      : `${verdict.line}\n`,
  );
  return verdict.healthy ? 0 : 1;
}
