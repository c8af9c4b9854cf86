#!/usr/bin/env bash
# Profiles one load_bench row: runs `load_bench --only ROW --no-nginx` under `perf record`
# (the whole benchmark process: org, HTTP server, write pool; wrk is a separate process and not
# counted), then prints CPU time per request and the per-group breakdown (bench/perf_rows.py).
# Usage: bench/profile_row.sh ROW [extra load_bench args]   (ROW: static|token|get|create|soql|mixed)
# Needs the release build (scripts/bench.sh builds it) and linux-perf.
set -euo pipefail
cd "$(dirname "$0")/.."
row="$1"
shift
out="$(mktemp -d /tmp/sfkit-profile-XXXXXX)"
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
perf record -F 1999 -o "$out/perf.data" -- build/release/bench/load_bench --only "$row" \
  --no-nginx --quick "$@" >"$out/bench.txt" 2>&1 || true
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
grep -E "conns +[0-9]+ req/s" "$out/bench.txt" || cat "$out/bench.txt"
# CPU of the benchmark process alone (wrk, its child, is left out), from the samples at 1999 Hz,
# and per request (requests = req/s x duration; the org's start-up is a small part of it).
samples=$(perf report -i "$out/perf.data" --stdio -n --sort comm 2>/dev/null |
  awk '$3 == "load_bench" {print $2}')
rps=$(grep -E "conns +[0-9]+ req/s" "$out/bench.txt" | head -1 | grep -oE "[0-9]+ req/s" | cut -d" " -f1)
dur=$(grep -oE "^load_bench: [0-9]+ s" "$out/bench.txt" | grep -oE "[0-9]+ s" | cut -d' ' -f1)
python3 -c "s=$samples/1999; print(f'CPU of load_bench: {s:.2f} s; {s*1e6/($rps*$dur):.1f} us per request')"
perf report -i "$out/perf.data" --stdio --no-children --comms load_bench --sort dso,sym -g none \
  --percent-limit 0.05 2>/dev/null >"$out/report.txt"
python3 bench/perf_rows.py <"$out/report.txt"
echo "raw report: $out/report.txt (perf.data beside it)"
