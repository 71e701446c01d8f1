#!/usr/bin/env bash
# Whole quantities (docs/model.md "Whole quantities"), part of make bench: the continuous plan's
# wall time, the whole plan's (the continuous solve, then rounding and repair), their ratio (goal
# <= 2) and whole_gap (goal <= 0.1 %), on the default scenario and on generated ones.
# BENCH_REPEAT: best of that many runs (default 1).
set -euo pipefail
build="${1:-build}"
here="$(cd "$(dirname "$0")/.." && pwd)"
bin="$here/$build/rackforge"
scenario="$here/scenarios/us-ai-racks-2026"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

seconds() {  # seconds COMMAND...: "wall cpu" (cpu = user + sys), of the run with the least wall time of BENCH_REPEAT runs
  local best=""
  for _ in $(seq "${BENCH_REPEAT:-1}"); do
    /usr/bin/time -f '%e %U %S' -o "$work/time" "$@" >/dev/null 2>&1 || true
    best=$(python3 -c "
e, u, s = map(float, open('$work/time').read().split()[-3:])
a = '$best'.split()
print(' '.join(a) if a and float(a[0]) <= e else f'{e:.3f} {u + s:.3f}')")
  done
  echo "$best"
}

whole_case() {  # whole_case LABEL SCENARIO
  local label=$1 dir=$2 tc tw
  tc=$(seconds "$bin" plan "$dir" --json --no-db --quantities continuous)
  tw=$(seconds "$bin" plan "$dir" --json --no-db --quantities whole)
  "$bin" plan "$dir" --json --no-db --quantities whole >"$work/whole.json" 2>/dev/null
  python3 - "$label" "$tc" "$tw" "$work/whole.json" <<'PY'
import json, sys
label, path = sys.argv[1], sys.argv[4]
(tc, cc), (tw, cw) = (map(float, a.split()) for a in sys.argv[2:4])
d = json.load(open(path))
gap = "no whole plan" if d.get("whole_gap") is None else f"{100 * d['whole_gap']:.4f} %"
print(f"{label:<44} continuous {tc:8.3f} s (cpu {cc:7.3f})   whole {tw:8.3f} s (cpu {cw:7.3f})   "
      f"ratio {tw / tc:5.2f} (cpu {cw / max(cc, 1e-9):5.2f})   whole_gap {gap}   ({d['status']})")
PY
}

echo "== whole quantities (wall seconds and user+sys CPU seconds, the fastest of ${BENCH_REPEAT:-1})"
whole_case "default scenario" "$scenario"
for seed in 1 2 3; do
  "$bin" generate "$work/gen-$seed" --plants 5 --designs 4 --components 60 --suppliers 30 --weeks 52 --seed "$seed" \
    --supply-lanes --transfers --end-penalty-weeks 4 >/dev/null 2>&1
  whole_case "generated 5p/4g/60c/30s/52w seed $seed" "$work/gen-$seed"
done
"$bin" generate "$work/gen-cl" --plants 3 --designs 2 --components 14 --suppliers 8 --weeks 16 --sites 3 --seed 1 \
  --supply-lanes --transfers --component-lines 2 >/dev/null 2>&1
whole_case "generated 3p/2g/14c/8s/16w, 2 component lines" "$work/gen-cl"
"$bin" generate "$work/gen-cl52" --plants 5 --designs 4 --components 60 --suppliers 30 --weeks 52 --seed 1 \
  --supply-lanes --transfers --end-penalty-weeks 4 --component-lines 3 >/dev/null 2>&1
whole_case "generated 5p/4g/60c/30s/52w, 3 component lines" "$work/gen-cl52"
# With component lines (sub-part BOMs, a component-line expansion) and transfers, like the default scenario.
for seed in 2 3; do
  "$bin" generate "$work/genc-$seed" --plants 5 --designs 4 --components 60 --suppliers 30 --weeks 26 --seed "$seed" \
    --supply-lanes --transfers --component-lines 3 >/dev/null 2>&1
  whole_case "generated 5p/4g/60c/30s/26w 3 c-lines seed $seed" "$work/genc-$seed"
done
