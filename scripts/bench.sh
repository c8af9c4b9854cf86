#!/usr/bin/env bash
# Builds the release preset and runs the load benchmark (issue 10's table: the local org under wrk
# beside nginx and a static server on the same HTTP stack). Arguments go to load_bench
# (--duration, --connections, --threads, --quick, ...; see bench/README.md).
# `scripts/bench.sh --micro` runs the Google Benchmark micro benchmarks instead.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh --bench
cmake --preset release >/dev/null
if [ "${1:-}" = "--micro" ]; then
  shift
  cmake --build --preset release -j "$(nproc)"
  for b in build/release/bench/*_bench; do
    [ "$(basename "$b")" = load_bench ] && continue
    echo "== $(basename "$b")"
    "$b" "$@"
  done
  exit 0
fi
cmake --build --preset release -j "$(nproc)" --target load_bench
exec build/release/bench/load_bench "$@"
