// The one list of slash commands, used by the router and by the deploy script alike.
import type { Command } from "../src/discord/command.ts";
import ask from "./ask.ts";
import forget from "./forget.ts";
import settings from "./settings.ts";
import sources from "./sources.ts";
import story from "./story.ts";
import summary from "./summary.ts";
import timeline from "./timeline.ts";

export const commands: readonly Command[] = [ask, summary, sources, timeline, forget, settings, story];
