// `storybot summary [--json] [--since ISO-DATE]` and `storybot timeline [--json]`.
import type { Core } from "../app.ts";
import { buildSummary } from "../summary/buildSummary.ts";
import { buildTimeline } from "../summary/buildTimeline.ts";
import { formatSummaryText, formatTimelineText } from "../summary/formatText.ts";
import { citationJson } from "./formatAnswer.ts";

export async function summaryCommand(core: Core, options: { json: boolean; since?: Date }): Promise<number> {
  const result = await buildSummary(core, options.since ? { since: options.since } : {});
  if (options.json) {
    const { summary, citations, newArticles, mode, notice } = result;
    const line = {
      summary,
      citations: citations.map(citationJson),
      newArticles,
      mode,
      ...(notice ? { notice } : {}),
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  } else {
    process.stdout.write(`${formatSummaryText(result)}\n`);
  }
  return 0;
}

export async function timelineCommand(core: Core, options: { json: boolean }): Promise<number> {
  const timeline = buildTimeline(core);
  if (options.json) {
    const events = timeline.events.map((e) => ({
      date: e.date,
      text: e.text,
      citations: e.citations.map(citationJson),
      ...(e.resolved ? { resolved: e.resolved } : {}),
    }));
    process.stdout.write(`${JSON.stringify({ events })}\n`);
  } else {
    process.stdout.write(`${formatTimelineText(timeline)}\n`);
  }
  return 0;
}
