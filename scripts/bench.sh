#!/usr/bin/env bash
# Builds the release preset and runs every benchmark; each prints ratios to its baseline.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
cmake --preset release >/dev/null
cmake --build --preset release -j "$(nproc)"
for b in build/release/bench/*_bench; do
  echo "== $(basename "$b")"
  "$b" "$@"
done
