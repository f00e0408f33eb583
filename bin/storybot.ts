#!/usr/bin/env -S node --max-semi-space-size=4
// The `storybot` command (package.json "bin"); runs on the project's Node 24 through npm/npx.
// The one place the command line meets the slash commands: src/ never imports commands/, so the list
// is handed in here, and loaded only by the commands that talk to Discord.
import { main } from "../src/cli/main.ts";

process.exitCode = await main(process.argv.slice(2), {
  loadSlashCommands: async () => (await import("../commands/index.ts")).commands,
});
