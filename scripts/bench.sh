#!/usr/bin/env bash
# Builds the release preset and runs the load benchmark (issue 10's table: the local org under wrk
# beside nginx and a static server on the same HTTP stack). Arguments go to load_bench
# (--duration, --connections, --threads, --quick, ...; see bench/README.md).
# `scripts/bench.sh --micro` runs the Google Benchmark micro benchmarks instead, and
# `scripts/bench.sh --bulk [--rows N]` the bulk benchmark (bench/bulk_bench.cpp).
# `scripts/bench.sh --engines [--rounds N]`: the mixed load on SQLite, PostgreSQL one node and two
# nodes behind a round-robin nginx, with ratios to SQLite (issue 13; load_bench --engines).
# `scripts/bench.sh --pg-scale [--rows 10000000]`: Accounts loaded through Bulk 2.0 into an org
# on PostgreSQL, then query latency beside the same SQL run directly (bench/pg_scale_bench.cpp).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh --bench
cmake --preset release >/dev/null
if [ "${1:-}" = "--bulk" ]; then
  # Issue 11's bulk figures: `sfkit bulk import` / `export` against a local org beside a raw
  # SQLite insert (bench/bulk_bench.cpp); e.g. scripts/bench.sh --bulk --rows 1000000.
  shift
  cmake --build --preset release -j "$(nproc)" --target bulk_bench sfkit_cli
  exec build/release/bench/bulk_bench "$@"
fi
if [ "${1:-}" = "--pg-scale" ]; then
  shift
  cmake --build --preset release -j "$(nproc)" --target pg_scale_bench sfkit_cli
  exec build/release/bench/pg_scale_bench "$@"
fi
if [ "${1:-}" = "--micro" ]; then
  shift
  cmake --build --preset release -j "$(nproc)"
  for b in build/release/bench/*_bench; do
    case "$(basename "$b")" in load_bench | bulk_bench | pg_scale_bench) continue ;; esac
    echo "== $(basename "$b")"
    "$b" "$@"
  done
  exit 0
fi
cmake --build --preset release -j "$(nproc)" --target load_bench
exec build/release/bench/load_bench "$@"
