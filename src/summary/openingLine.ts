// The first line of every summary: what is new since the last one, or plainly that nothing is.

/** "2026-02-03 09:00 UTC": a moment readers in any zone can place. */
export function sinceLabel(since: Date): string {
  return `${since.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

export function openingLine(newCount: number, since?: Date): string {
  const articles = `${newCount} article${newCount === 1 ? "" : "s"}`;
  if (!since) return `**Latest in the story** (${articles})`;
  if (newCount === 0) return `Nothing new since ${sinceLabel(since)}.`;
  return `**New since ${sinceLabel(since)}** (${articles})`;
}

export const STORY_SO_FAR = "**The story so far**";
