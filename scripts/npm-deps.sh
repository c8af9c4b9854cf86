#!/usr/bin/env bash
# Installs the npm packages the conformance tests drive, only when they are missing:
# tests/node (jsforce, newman; ~60 MB) and tests/node/sfcli (the Salesforce CLI, @salesforce/cli
# pinned with an undici override so it runs on Debian 12's Node 20; ~290 MB, 720 packages,
# about a minute from a warm npm cache). Skipped quietly when tests/node does not exist yet.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f tests/node/package.json ] || exit 0
if ! command -v npm >/dev/null; then
  echo "sfkit: npm is missing; install Node.js 20 (Debian: apt-get install nodejs npm)" >&2
  exit 1
fi
for dir in tests/node tests/node/sfcli; do
  [ -f "$dir/package.json" ] || continue
  if [ ! -d "$dir/node_modules" ] || [ "$dir/package.json" -nt "$dir/node_modules" ]; then
    (cd "$dir" && npm install --no-audit --no-fund --loglevel=error)
  fi
done
