#!/usr/bin/env bash
# Runs every sfkit test on a fresh Debian 12 machine: installs missing packages, builds the dev
# preset and runs its CTest suite (unit, wire, seed cURL, crash, client/CLI, jsforce, newman,
# hostile inputs, the login page in headless Chromium). With Debian's postgresql installed (deps.sh
# installs it), CTest also starts a throwaway PostgreSQL cluster (scripts/pg-cluster.sh, fixture
# `pg_cluster_start`) for the PostgreSQL engine's tests (label `postgresql`) and removes it after;
# with nginx (deps.sh) these include the jsforce suite on two nodes behind the round-robin proxy
# (`jsforce_two_nodes`, scripts/lb.sh) and scripts/cluster-demo.sh (`cluster_demo`).
# SFKIT_ASAN=1 adds a second pass of the whole suite under AddressSanitizer + UBSan (roughly
# doubles the time).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/deps.sh
bash scripts/npm-deps.sh

jobs=$(nproc)
cmake --preset dev >/dev/null
cmake --build --preset dev -j "$jobs"
ctest --preset dev

if [ "${SFKIT_ASAN:-0}" = 1 ]; then
  cmake --preset asan >/dev/null
  cmake --build --preset asan -j "$jobs"
  ctest --preset asan
fi
