#!/usr/bin/env bash
# simulate and risk under `mpirun -np 2` print byte for byte the JSON of one process.
# Usage: simulate_mpi.sh RACKFORGE_BIN SOURCE_DIR BUILD_DIR
set -euo pipefail
bin="$1"; src="$2"
scenario="$src/tests/scenarios/tiny"
[ -d "$scenario" ] || scenario="$src/scenarios/us-ai-racks-2026"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
command -v mpirun >/dev/null || { echo "FAIL: mpirun not found (OpenMPI is a dependency)"; exit 1; }

"$bin" simulate "$scenario" --runs 2001 --seed 42 --threads 1 --json --no-db >"$work/one.json" 2>"$work/one.err"
# OpenMPI's own start-up allocations (libmpi and its dlopened plugins) are never
# freed; under the sanitizer build LeakSanitizer would report them. Leak checks
# of rackforge's code run in the single-process calls and the unit tests.
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" mpirun --allow-run-as-root --oversubscribe -np 2 \
  "$bin" simulate "$scenario" --runs 2001 --seed 42 --threads 1 --json --no-db >"$work/two.json" 2>"$work/two.err"
if ! cmp -s "$work/one.json" "$work/two.json"; then
  echo "FAIL: 2 ranks differ from 1 process"; diff "$work/one.json" "$work/two.json" | head -20; exit 1
fi
grep -q '"runs": 2001' "$work/two.json" || { echo "FAIL: rank 0 did not print the 2001-run summary"; exit 1; }
grep -q "2 ranks" "$work/two.err" || { echo "FAIL: stderr does not report 2 ranks"; cat "$work/two.err"; exit 1; }
# Only rank 0 prints: exactly one JSON document on stdout.
[ "$(grep -c '"top_loss_nodes"' "$work/two.json")" = 1 ] || { echo "FAIL: more than one rank printed"; exit 1; }

# risk: nodes split over the ranks, gathered on rank 0.
"$bin" risk "$scenario" --threads 1 --json --no-db >"$work/risk1.json" 2>/dev/null
ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0" mpirun --allow-run-as-root --oversubscribe -np 2 \
  "$bin" risk "$scenario" --threads 1 --json --no-db >"$work/risk2.json" 2>"$work/risk2.err"
if ! cmp -s "$work/risk1.json" "$work/risk2.json"; then
  echo "FAIL: risk on 2 ranks differs from 1 process"; diff "$work/risk1.json" "$work/risk2.json" | head -20; exit 1
fi
[ "$(grep -c '"concentration"' "$work/risk2.json")" = 1 ] || { echo "FAIL: risk printed by more than one rank"; exit 1; }
python3 - "$work/risk2.json" <<'PY'
import json, sys
nodes = json.load(open(sys.argv[1]))["nodes"]
assert len(nodes) >= 4, nodes  # both ranks had nodes to compute
assert any(n["pi_rack_weeks"] > 0 for n in nodes), "no node with an impact: the gather lost figures"
PY
echo "ok: mpirun -np 2 output identical to one process (simulate, risk)"
