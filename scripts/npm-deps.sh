#!/usr/bin/env bash
# Installs the npm packages the conformance tests drive (pinned in tests/node/package.json),
# only when they are missing. Skipped quietly when tests/node does not exist yet.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f tests/node/package.json ] || exit 0
if ! command -v npm >/dev/null; then
  echo "sfkit: npm is missing; install Node.js 20 (Debian: apt-get install nodejs npm)" >&2
  exit 1
fi
if [ ! -d tests/node/node_modules ] || [ tests/node/package.json -nt tests/node/node_modules ]; then
  (cd tests/node && npm install --no-audit --no-fund --loglevel=error)
fi
