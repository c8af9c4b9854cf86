#!/usr/bin/env bash
# Installs sfkit's build and test dependencies from Debian 12's archive, only those missing.
# Run by scripts/demo.sh and scripts/test.sh; safe to run repeatedly.
# `deps.sh --bench` also installs the benchmark-only tools (scripts/bench.sh uses it; CI does not
# run benchmarks, so these stay out of the build and test list).
set -euo pipefail

SFKIT_APT_PACKAGES=(
  g++ cmake ninja-build ccache pkg-config git curl ca-certificates
  libboost1.81-dev libboost-json1.81-dev libboost-system1.81-dev
  libpugixml-dev libsqlite3-dev libcurl4-openssl-dev libssl-dev libsodium-dev
  libpq-dev  # the PostgreSQL engine's client library (src/server/storage/pg)
  libcli11-dev libspdlog-dev libfmt-dev libgtest-dev libgmock-dev libbenchmark-dev
  libunistring-dev  # display width of the CLI's table cells (apps/sfkit/table.cpp)
  zsh fish  # the CLI tests load `sfkit completion zsh|fish` in these shells
  openssl procps
  zlib1g-dev  # gzip request bodies of the Bulk APIs (src/server/http/gzip_body.cpp)
  time  # GNU time: the tests' and bulk_bench's peak RSS of a CLI run (tests/support/subprocess.cpp)
  chromium  # headless browser of tests/node/browser (the login-page test)
  postgresql  # throwaway clusters of the PostgreSQL test runs (scripts/pg-cluster.sh)
  nginx-light  # the round-robin proxy in front of several nodes (scripts/lb.sh: jsforce_two_nodes,
               # scripts/cluster-demo.sh) and load_bench's static baseline
  clang  # libFuzzer + sanitizers for scripts/fuzz.sh (fuzz/README.md)
  python3-yaml  # reading VCR cassettes: scripts/gen_standard_schema.py, extract_recorded_shapes.py
)

# Benchmark-only: wrk drives the load, linux-perf profiles (nginx-light is in the main list).
SFKIT_BENCH_APT_PACKAGES=(wrk linux-perf)

if [ "${1:-}" = "--bench" ]; then
  SFKIT_APT_PACKAGES+=("${SFKIT_BENCH_APT_PACKAGES[@]}")
fi

missing=()
for p in "${SFKIT_APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if ((${#missing[@]})); then
  echo "sfkit: installing missing packages: ${missing[*]}" >&2
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
