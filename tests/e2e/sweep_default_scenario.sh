#!/bin/bash
# sweep on the default scenario: the cost curve has the documented points,
# cost never falls as the domestic floor rises, --out writes the files.
set -euo pipefail
BIN=$1; SRC=$2; BUILD=$3
SCENARIO=$SRC/scenarios/us-ai-racks-2026
[ -d "$SCENARIO" ] || { echo "missing $SCENARIO"; exit 1; }
WORK=$(mktemp -d "$BUILD/e2e-sweep-XXXXXX")
trap 'rm -rf "$WORK"' EXIT

"$BIN" sweep "$SCENARIO" --domestic 0:0.6:0.3 --json --out "$WORK/out" --db "$WORK/runs.db" \
  >"$WORK/sweep.json" 2>"$WORK/stderr.txt"
grep -q 'sweep: model built in' "$WORK/stderr.txt"
for f in sweep.csv sweep.json sweep.html; do [ -s "$WORK/out/$f" ] || { echo "missing $f"; exit 1; }; done
[ "$(wc -l <"$WORK/out/sweep.csv")" -eq 4 ]
python3 - "$WORK/sweep.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
pts = d["points"]
assert [p["domestic_content_min"] for p in pts] == [0.0, 0.3, 0.6], [p["domestic_content_min"] for p in pts]
for p in pts:
    assert set(["domestic_content_min", "status", "objective_usd", "cost_breakdown_usd", "domestic_content",
                "backlog_rack_weeks"]) <= set(p), p.keys()
    total = sum(p["cost_breakdown_usd"].values())
    assert abs(total - p["objective_usd"]) <= 1e-6 * max(1.0, abs(p["objective_usd"]))
    if p["status"] == "optimal":
        assert p["domestic_content"] + 1e-6 >= p["domestic_content_min"], p
opt = [p for p in pts if p["status"] == "optimal"]
for a, b in zip(opt, opt[1:]):  # a tighter floor never makes the optimum cheaper
    assert b["objective_usd"] >= a["objective_usd"] * (1 - 1e-6), (a["objective_usd"], b["objective_usd"])
print("sweep ok:", [round(p["objective_usd"]) for p in pts])
PY
"$BIN" sweep "$SCENARIO" --domestic 0.4:0.4:0.1 --no-db >"$WORK/table.txt" 2>/dev/null
grep -q 'total cost' "$WORK/table.txt"
grep -Eq '^ +40.0 %  (optimal|time_limit) ' "$WORK/table.txt"
set +e
"$BIN" sweep "$SCENARIO" --domestic 0:1.5:0.5 --no-db >/dev/null 2>"$WORK/bad.err"; code=$?
"$BIN" sweep "$SCENARIO" --domestic 0-1 --no-db >/dev/null 2>"$WORK/bad2.err"; code2=$?
set -e
[ $code -eq 2 ] && [ $code2 -eq 2 ]
grep -q "'0-1' is not FROM:TO:STEP" "$WORK/bad2.err"
echo "sweep e2e ok"
