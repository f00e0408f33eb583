// Plain-text views of summaries and timelines (the CLI, and the default post body), and the daily
// post's heading, which also marks the post so it can be found again after a crash.
import { citationLine } from "../text/citationLine.ts";
import type { SummaryResult } from "./buildSummary.ts";
import type { Timeline } from "./buildTimeline.ts";

const HEADING_MARK = "Daily summary — ";

/** First line of the daily post: "📰 **Daily summary — 2026-02-04**". */
export function summaryHeading(localDate: string): string {
  return `📰 **${HEADING_MARK}${localDate}**`;
}

/** True when a message is the daily post of that local date. */
export function isSummaryPostFor(content: string, localDate: string): boolean {
  return content.includes(`${HEADING_MARK}${localDate}`);
}

export function formatSummaryText(result: SummaryResult): string {
  const lines = [result.summary];
  if (result.citations.length > 0) lines.push("", ...result.citations.map(citationLine));
  if (result.notice) lines.push("", `(${result.notice})`);
  return lines.join("\n");
}

export function formatTimelineText(timeline: Timeline): string {
  if (timeline.events.length === 0) return "The story gives no dates.";
  return timeline.events
    .map((e) => {
      const lines = [`${e.date}  ${e.text}`];
      if (e.resolved) lines.push(`    (${e.resolved})`);
      lines.push(...e.citations.map((c) => `    ${citationLine(c)}`));
      return lines.join("\n");
    })
    .join("\n");
}
