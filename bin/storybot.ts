#!/usr/bin/env -S node --max-semi-space-size=4
// The `storybot` command (package.json "bin"); runs on the project's Node 24 through npm/npx.
import "../src/cli/main.ts";
