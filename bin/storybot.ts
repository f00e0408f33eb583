#!/usr/bin/env -S MALLOC_ARENA_MAX=2 MALLOC_MMAP_THRESHOLD_=131072 MALLOC_TRIM_THRESHOLD_=131072 node --max-semi-space-size=4 --heap-growing-percent=20
// The `storybot` command (package.json "bin"); runs on the project's Node 24 through npm/npx.
// The one place the command line meets the slash commands: src/ never imports commands/, so the list
// is handed in here, and loaded only by the commands that talk to Discord.
// The first line is how the service runs (the systemd unit and the container run this file): a small
// young generation; the heap grown by a fifth of what is live after each full collection rather than
// by up to four times (the bot's live heap is small and steady, so collections stay short); and the C
// allocator held to two arenas, with blocks from 128 KB on mapped and unmapped on their own and free
// memory at the top of its heap returned from 128 KB, rather than thresholds that rise with the
// largest block freed (file reads, saves of the database) and leave freed memory resident.
import { main } from "../src/cli/main.ts";

process.exitCode = await main(process.argv.slice(2), {
  loadSlashCommands: async () => (await import("../commands/index.ts")).commands,
});
