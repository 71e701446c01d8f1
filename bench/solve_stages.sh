#!/usr/bin/env bash
# The plan's size and solve breakdown (docs/model.md "Solving"), part of make bench: columns and
# rows as built, after CLP's presolve, the root LP (seconds, dual simplex iterations), the rounding
# heuristic, branch and bound (seconds, nodes) and the whole plan command's wall time, from the
# -v log of `rackforge plan --quantities continuous`. Cases: the default scenario, the generated
# 10 plants x 104 weeks of issue 17 (seed 3), the same shape with the v2 features of generate, and
# with BENCH_SCALE_CURVE=1 a curve of generated sizes from 43k to 1.16M columns (long: minutes to hours).
# BENCH_STAGES_LIMIT: --time-limit of each plan (default 600 s; a stopped plan says so).
set -euo pipefail
build="${1:-build}"
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="$here/$build/rackforge"
scenario="$here/scenarios/us-ai-racks-2026"
limit="${BENCH_STAGES_LIMIT:-600}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

stages() {  # stages LABEL SCENARIO
  local label=$1 dir=$2 t0 t1
  t0=$(date +%s.%N)
  /usr/bin/time -f '%U %S' -o "$work/cpu" "$bin" -v plan "$dir" --no-db --quantities continuous --time-limit "$limit" \
    >/dev/null 2>"$work/log" || true
  t1=$(date +%s.%N)
  python3 - "$label" "$t0" "$t1" "$work/log" "$work/cpu" <<'PY'
import re, sys
label, t0, t1, path = sys.argv[1], float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
cpu = sum(map(float, open(sys.argv[5]).read().split()[-2:]))  # user + sys, children (the second worker) included
log = open(path).read()
built = re.search(r"built (\d+) columns, (\d+) rows in ([0-9.]+) s", log)
milp = re.search(r"MILP: presolved (\d+)x(\d+) -> (\d+)x(\d+); root LP ([0-9.]+) s \((\d+) iterations[^)]*\), "
                 r"rounding heuristic ([0-9.]+) s(?: \([^)]*\))?, branch and bound ([0-9.]+) s \((\d+) nodes[^)]*\).*; ([a-z ]+)$", log, re.M)
if not built or not milp:
    print(f"{label:<40} no solve breakdown in the log ({path})")
    sys.exit(0)
cols, rows, build_s = int(built[1]), int(built[2]), float(built[3])
print(f"{label:<40} {cols:>8} cols {rows:>7} rows (build {build_s:.3f} s, {cols / max(build_s, 1e-9) / 1e6:.1f} M cols/s) "
      f"-> presolved {int(milp[4]):>7} x {int(milp[3]):>6}   root LP {float(milp[5]):7.2f} s ({int(milp[6])} it)   "
      f"heuristic {float(milp[7]):6.2f} s   B&B {float(milp[8]):7.2f} s ({int(milp[9])} nodes)   "
      f"total {t1 - t0:7.2f} s (cpu {cpu:7.2f} s)   {milp[10]}")
PY
}

echo "== plan size and solve stages (continuous quantities; wall seconds; time limit ${limit} s)"
stages "default scenario" "$scenario"
"$bin" generate "$work/g10" --plants 10 --designs 6 --components 100 --suppliers 50 --weeks 104 --seed 3 >/dev/null 2>&1
stages "generated 10p/6g/100c/50s/104w seed 3" "$work/g10"
"$bin" generate "$work/g10v2" --plants 10 --designs 6 --components 100 --suppliers 50 --weeks 104 --seed 3 \
  --supply-lanes --transfers --component-lines 10 --phase-out --end-penalty-weeks 4 >/dev/null 2>&1
stages "same, v2 features (lanes, transfers, clines)" "$work/g10v2"
if [ "${BENCH_SCALE_CURVE:-0}" = 1 ]; then
  for shape in "5 4 60 30 52" "10 6 100 50 52" "10 8 100 50 156" "10 8 200 100 208" "10 8 300 150 260"; do
    read -r p g c s w <<<"$shape"
    "$bin" generate "$work/curve" --plants "$p" --designs "$g" --components "$c" --suppliers "$s" --weeks "$w" \
      --seed 3 >/dev/null 2>&1
    stages "generated ${p}p/${g}g/${c}c/${s}s/${w}w seed 3" "$work/curve"
  done
fi
