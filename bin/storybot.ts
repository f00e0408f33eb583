#!/usr/bin/env node
// The `storybot` command (package.json "bin"); runs on the project's Node 24 through npm/npx.
import "../src/cli/main.ts";
