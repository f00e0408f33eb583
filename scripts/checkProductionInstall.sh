#!/usr/bin/env bash
# The production install, as deploy/ and the README describe it, on a fresh clone of the committed
# tree: `npm ci --omit=dev`, then `npm start` answers a piped question (the local chat, offline).
# Needs the npm registry; CI runs it after the test suite.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

git clone --quiet "$repo" "$work/storybot"
cd "$work/storybot"
npm ci --omit=dev --no-audit --no-fund --loglevel=error

# No dev dependency may be needed at run time.
for dev in typescript vitest @biomejs/biome; do
  if [ -e "node_modules/$dev" ]; then echo "production install has the dev dependency $dev" >&2; exit 1; fi
done

answer="$(echo "Who heads IDF intelligence?" | env -i PATH="$PATH" HOME="$work" npm start --silent 2>"$work/stderr")"
if ! grep -q "Binder" <<<"$answer"; then
  echo "npm start after npm ci --omit=dev did not answer:" >&2
  echo "$answer" >&2
  cat "$work/stderr" >&2
  exit 1
fi
echo "production install: npm ci --omit=dev && npm start answered a piped question"
