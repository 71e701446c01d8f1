#!/usr/bin/env bash
# make bench: runs every Google Benchmark executable in the build folder and
# times the main CLI commands end to end on the default and a generated scenario.
set -euo pipefail
build="${1:-build}"
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="$here/$build/rackforge"
scenario="$here/scenarios/us-ai-racks-2026"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

seconds() {  # seconds COMMAND...: wall time, best of BENCH_REPEAT runs (default 1)
  local best=""
  for _ in $(seq "${BENCH_REPEAT:-1}"); do
    local t0 t1
    t0=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    t1=$(date +%s.%N)
    best=$(python3 -c "a='$best'; b=$t1-$t0; print(f'{min(float(a),b) if a else b:.3f}')")
  done
  echo "$best"
}

echo "== end-to-end commands (wall seconds, best of ${BENCH_REPEAT:-1})"
printf "%-60s %s\n" "check default scenario" "$(seconds "$bin" check "$scenario" --json)"
printf "%-60s %s\n" "plan default scenario (load, build, solve, report)" \
  "$(seconds "$bin" plan "$scenario" --json --no-db --out "$work/plan-out")"
printf "%-60s %s\n" "plan default scenario, --workers 1 (one branch-and-bound search)" \
  "$(seconds "$bin" plan "$scenario" --json --no-db --out "$work/plan-out-1" --workers 1)"
"$bin" generate "$work/large" --plants 10 --designs 8 --components 500 --suppliers 300 --weeks 104 --sites 20 --seed 1 >/dev/null 2>&1
printf "%-60s %s\n" "check generated 10p/8g/500c/300s/104w" "$(seconds "$bin" check "$work/large" --json)"
printf "%-60s %s\n" "sweep default scenario, 11 points" \
  "$(seconds "$bin" sweep "$scenario" --domestic 0:0.5:0.05 --json --no-db)"
printf "%-60s %s\n" "risk default scenario, all nodes" "$(seconds "$bin" risk "$scenario" --json --no-db)"
printf "%-60s %s\n" "simulate default scenario, 20000 runs, 2 threads" \
  "$(seconds "$bin" simulate "$scenario" --runs 20000 --seed 1 --threads 2 --json --no-db)"

for b in "$here/$build"/bench/bench_*; do
  [ -x "$b" ] || continue
  echo "== $(basename "$b")"
  "$b" --benchmark_min_time=0.2 2>&1
done
