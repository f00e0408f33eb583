// `storybot summary [--json] [--since ISO-DATE]` and `storybot timeline [--json]`.
import { parseArgs } from "node:util";
import type { Core } from "../app.ts";
import { UserError } from "../errors.ts";
import { buildSummary } from "../summary/buildSummary.ts";
import { buildTimeline } from "../summary/buildTimeline.ts";
import { formatSummaryText, formatTimelineText } from "../summary/formatText.ts";
import { citationJson } from "./formatAnswer.ts";

export async function summaryCommand(core: Core, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { json: { type: "boolean", default: false }, since: { type: "string" } },
  });
  let since: Date | undefined;
  if (values.since !== undefined) {
    since = new Date(values.since);
    if (Number.isNaN(since.getTime()))
      throw new UserError(`--since must be an ISO date such as 2026-02-03, not "${values.since}".`);
  }
  const result = await buildSummary(core, since ? { since } : {});
  if (values.json) {
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

export async function timelineCommand(core: Core, args: string[]): Promise<number> {
  const { values } = parseArgs({ args, options: { json: { type: "boolean", default: false } } });
  const timeline = buildTimeline(core);
  if (values.json) {
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
