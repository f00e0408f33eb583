// What the shard manager sends a shard process to make it stop gracefully (over the IPC channel
// discord.js's ShardingManager opens), and how a shard recognises it.
export const STOP_MESSAGE = { storybot: "stop" } as const;

export function isStopMessage(message: unknown): boolean {
  return (
    typeof message === "object" && message !== null && (message as { storybot?: unknown }).storybot === "stop"
  );
}
