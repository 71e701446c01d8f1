#!/bin/bash
# plan on the default scenario: --json on stdout only, --out files, cost parts
# sum to objective_usd, the run lands in the store, --workers 1 and 2 agree,
# bad options exit 2.
set -euo pipefail
BIN=$1; SRC=$2; BUILD=$3
SCENARIO=$SRC/scenarios/us-ai-racks-2026
[ -d "$SCENARIO" ] || { echo "missing $SCENARIO"; exit 1; }
WORK=$(mktemp -d "$BUILD/e2e-plan-XXXXXX")
trap 'rm -rf "$WORK"' EXIT

"$BIN" plan "$SCENARIO" --json --out "$WORK/out" --db "$WORK/runs.db" >"$WORK/plan.json" 2>"$WORK/stderr.txt"
for f in build_plan.csv shipments.csv purchases.csv transfers_plan.csv rack_inventory.csv component_inventory.csv backlog.csv \
         pegging.csv plan.json plan.xlsx report.html; do
  [ -s "$WORK/out/$f" ] || { echo "missing or empty $f"; exit 1; }
done
[ "$(head -c 2 "$WORK/out/plan.xlsx")" = "PK" ] || { echo "plan.xlsx is not a zip"; exit 1; }
unzip -p "$WORK/out/plan.xlsx" xl/workbook.xml | grep -q '<sheet name="build_plan"'
head -1 "$WORK/out/build_plan.csv" | grep -qx 'line,plant,design,week,racks'
head -1 "$WORK/out/transfers_plan.csv" | grep -q '^from_plant,to_plant,component,week,arrival_week,units'
head -1 "$WORK/out/pegging.csv" | grep -q '^site,design,kind,demand_week,plant,ship_week,arrival_week,racks,weeks_late\(,\|$\)'
unzip -p "$WORK/out/plan.xlsx" xl/workbook.xml | grep -q '<sheet name="pegging"'
grep -q 'Promise dates' "$WORK/out/report.html"
grep -q 'Weekly output vs ramp target' "$WORK/out/report.html"
# A whole plan's component builds table shows whole units ("267,784", never "267,784.0").
grep -q -E 'ps-33kw-us</td><td class="num">[0-9,]+</td>' "$WORK/out/report.html"
grep -q 'plan: stored as run 1' "$WORK/stderr.txt"

python3 - "$WORK/plan.json" "$WORK/out/plan.json" "$SCENARIO" <<'PY'
import json, sys
stdout_doc = json.load(open(sys.argv[1]))   # fails if anything but JSON is on stdout
file_doc = json.load(open(sys.argv[2]))
assert stdout_doc == file_doc, "plan.json differs from --json output"
d = stdout_doc
for key in ["objective_usd", "status", "gap", "cost_breakdown_usd", "racks_built", "racks_built_by_week",
            "racks_built_by_plant", "domestic_content", "backlog_rack_weeks", "backlog_at_end_racks", "expansions_opened",
            "bottlenecks", "late_demand", "on_time_share", "mean_weeks_late", "units_made"]:
    assert key in d, key
assert d["status"] in ("optimal", "time_limit"), d["status"]
parts = d["cost_breakdown_usd"]
assert set(parts) == {"components", "tariffs", "in_house", "production", "transport", "holding", "backlog_penalty", "capex", "plan_changes"}
total = sum(parts.values())
assert abs(total - d["objective_usd"]) <= 1e-6 * max(1.0, abs(d["objective_usd"])), (total, d["objective_usd"])
assert abs(sum(d["racks_built_by_week"]) - d["racks_built"]) <= 1e-6 * max(1.0, d["racks_built"])
assert abs(sum(d["racks_built_by_plant"].values()) - d["racks_built"]) <= 1e-6 * max(1.0, d["racks_built"])
assert 0.0 <= d["domestic_content"] <= 1.0 + 1e-9
assert d["domestic_content"] + 1e-6 >= d["domestic_content_min"]
assert len(d["target_by_week"]) == len(d["racks_built_by_week"])
assert set(d["backlog_at_end_racks"]) == {"evaluation", "firm", "option"}
# The end-of-horizon penalty keeps the plan building to the end: no firm or
# evaluation rack is still owed after week H-1 (without it 1,580 firm racks were).
# A whole plan may owe a few racks more than the continuous one (docs/model.md "Whole quantities":
# racks its rounding cuts at lines running at capacity are not caught up); the continuous plan of
# the same scenario, checked below, owes none.
owed = 10 if d["quantities"] == "whole" else 1e-6
assert d["backlog_at_end_racks"]["firm"] < owed and d["backlog_at_end_racks"]["evaluation"] < owed, d["backlog_at_end_racks"]
for b in d["bottlenecks"]:
    assert set(b) == {"kind", "node", "first_week", "last_week", "dual_usd_per_unit", "peak_week", "weekly_usd_per_unit",
                      "relief", "text"}, b
    assert b["kind"] in ("line", "component_line", "test", "supply", "domestic")
    assert 0 < b["weekly_usd_per_unit"] <= b["dual_usd_per_unit"] + 1e-9, b
    assert b["first_week"] <= b["peak_week"] <= b["last_week"], b
    # wi-l3 (earliest_week 2 + lead 18 in plants.yaml) has no capacity before week 20.
    if b["node"] == "line:wi-l3":
        assert b["first_week"] >= 20, b
    if b["relief"] is not None:
        assert b["kind"] in ("line", "component_line", "test") and b["relief"]["saving_usd"] >= 0, b
for l in d["late_demand"]:
    assert set(l) == {"site", "design", "kind", "rack_weeks", "held_back_by", "held_back_share", "late_racks",
                      "latest_order", "text"}, l
    assert len(l["held_back_share"]) == len(l["held_back_by"]), l
    assert " and " not in l["text"].split("held back most by")[-1], l["text"]  # no "and 26 more"
for name in ("on_time_share", "mean_weeks_late"):
    assert set(d[name]) == {"evaluation", "firm", "option"}, d[name]
for kind, share in d["on_time_share"].items():
    assert share is None or 0.0 <= share <= 1.0, (kind, share)
    late = d["mean_weeks_late"][kind]
    assert (share is None) == (late is None) and (late is None or late >= 0.0), (kind, late)
# pegging.csv: pegged racks per (site, design, kind) add up to what shipments.csv delivers plus the end backlog.
import csv, collections, os
out = os.path.join(os.path.dirname(sys.argv[2]))
pegged = collections.defaultdict(float); shipped = collections.defaultdict(float)
unserved = collections.defaultdict(float); end_backlog = collections.defaultdict(float)
H = len(d["racks_built_by_week"])
for row in csv.DictReader(open(os.path.join(out, "pegging.csv"))):
    key = (row["site"], row["design"], row["kind"])
    assert float(row["racks"]) > 1e-6, row
    if row["plant"]:
        pegged[key] += float(row["racks"])
        assert int(row["weeks_late"]) == max(0, int(row["arrival_week"]) - int(row["demand_week"])), row
    else:
        unserved[key] += float(row["racks"])
        assert int(row["weeks_late"]) == H - int(row["demand_week"]), row
for row in csv.DictReader(open(os.path.join(out, "shipments.csv"))):
    shipped[(row["site"], row["design"], row["kind"])] += float(row["racks"])
for row in csv.DictReader(open(os.path.join(out, "backlog.csv"))):
    if int(row["week"]) == H - 1:
        end_backlog[(row["site"], row["design"], row["kind"])] += float(row["racks"])
for key in set(pegged) | set(shipped):
    assert abs(pegged[key] - shipped[key]) <= 1e-4, (key, pegged[key], shipped[key])
for key in set(unserved) | set(end_backlog):
    assert abs(unserved[key] - end_backlog[key]) <= 1e-4, (key, unserved[key], end_backlog[key])
# The default scenario plans whole quantities: whole racks, units and orders in every table, the
# continuous optimum as the bound, whole_gap small.
assert d["quantities"] == "whole", d["quantities"]
assert d["continuous_bound_usd"] <= d["objective_usd"] * (1 + 1e-12), (d["continuous_bound_usd"], d["objective_usd"])
assert abs(d["whole_gap"] - (d["objective_usd"] - d["continuous_bound_usd"]) / abs(d["objective_usd"])) <= 1e-12
# The 0.1 % goal (docs/model.md "Whole quantities"; measured 0.061 % with the improvement LPs,
# 0.136 % without them).
assert 0 <= d["whole_gap"] <= 0.001, d["whole_gap"]
for name, column in [("build_plan.csv", "racks"), ("shipments.csv", "racks"), ("purchases.csv", "units"),
                     ("transfers_plan.csv", "units"), ("component_builds.csv", "units"), ("rack_inventory.csv", "racks")]:
    for row in csv.DictReader(open(os.path.join(out, name))):
        assert row[column].lstrip("-").isdigit(), (name, row)  # "47", never "47.9027" or "18.000000000003215"
# It makes components in its own plants and moves them between plants.
assert sum(d["units_made"].values()) > 0 and d["cost_breakdown_usd"]["in_house"] > 0, d["units_made"]
assert any(True for _ in csv.DictReader(open(os.path.join(out, "transfers_plan.csv")))), "no transfer planned"
assert any(True for _ in csv.DictReader(open(os.path.join(out, "component_builds.csv")))), "no component build"
assert any(e in d["expansions_opened"] for e in ("oh-ps110x", "tx-cc2")), d["expansions_opened"]
print("plan json ok:", d["status"], round(d["objective_usd"]), "USD,", round(d["racks_built"]), "racks, whole gap",
      d["whole_gap"])
PY

# --quantities continuous overrides the policy: the continuous optimum, the whole plan's bound.
"$BIN" plan "$SCENARIO" --json --no-db --quantities continuous >"$WORK/continuous.json" 2>/dev/null
python3 - "$WORK/plan.json" "$WORK/continuous.json" <<'PY'
import json, sys
whole, cont = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
assert cont["quantities"] == "continuous" and cont["whole_gap"] is None and cont["continuous_bound_usd"] is None, cont["quantities"]
assert cont["backlog_at_end_racks"]["firm"] < 1e-6 and cont["backlog_at_end_racks"]["evaluation"] < 1e-6, cont["backlog_at_end_racks"]
assert abs(cont["objective_usd"] - whole["continuous_bound_usd"]) <= 1e-9 * abs(cont["objective_usd"]), (
    cont["objective_usd"], whole["continuous_bound_usd"])
PY

# The console summary names the ramp, plants and cost parts.
(cd "$WORK" && "$BIN" plan "$SCENARIO" --no-db >"$WORK/summary.txt" 2>/dev/null)
grep -q '^Status: ' "$WORK/summary.txt"
grep -q 'Ramp target' "$WORK/summary.txt"
grep -q 'backlog penalty' "$WORK/summary.txt"
grep -q 'Latest orders:' "$WORK/summary.txt"
grep -q '(2026-W' "$WORK/summary.txt"
# Whole quantities: the in-house units are whole numbers ("267,784 ps-33kw-us", never "267,784.0").
grep -q '^In-house: [0-9,]* [a-z0-9-]* at ' "$WORK/summary.txt"
in_house=$(grep '^In-house: ' "$WORK/summary.txt")
if [[ "$in_house" =~ [0-9]\.[0-9]+\ [a-z] ]]; then echo "FAIL: fractional in-house units: $in_house" >&2; exit 1; fi
[ ! -e "$WORK/rackforge.db" ]  # --no-db stores nothing

# One branch-and-bound worker gives the same plan as the default (two on a
# machine with two cores: the search split at the root, half in a child process).
"$BIN" plan "$SCENARIO" --json --no-db --workers 1 >"$WORK/plan1.json" 2>/dev/null
"$BIN" plan "$SCENARIO" --json --no-db --workers 2 >"$WORK/plan2.json" 2>/dev/null
cmp "$WORK/plan1.json" "$WORK/plan2.json" || { echo "--workers 1 and 2 give different plans"; exit 1; }

# Bad options: exit 2 with a clear message, nothing stored.
set +e
"$BIN" plan "$SCENARIO" --domestic 1.5 --db "$WORK/runs.db" >"$WORK/bad.out" 2>"$WORK/bad.err"; code=$?
set -e
[ $code -eq 2 ] || { echo "--domestic 1.5 exited $code"; exit 1; }
grep -q -- '--domestic: 1.5 is outside 0..1' "$WORK/bad.err"
[ ! -s "$WORK/bad.out" ]
set +e
"$BIN" plan "$SCENARIO" --option-demand maybe --no-db >/dev/null 2>"$WORK/bad2.err"; code=$?
set -e
[ $code -eq 2 ] && grep -q "'maybe' is not one of expected, all, none" "$WORK/bad2.err"
set +e
"$BIN" plan "$SCENARIO" --workers 3 --no-db >/dev/null 2>"$WORK/bad3.err"; code=$?
set -e
[ $code -eq 2 ] && grep -q -- "--workers: Value 3 not in range 1 to 2" "$WORK/bad3.err"
set +e
"$BIN" plan "$SCENARIO" --quantities integer --no-db >/dev/null 2>"$WORK/bad4.err"; code=$?
set -e
[ $code -eq 2 ] && grep -q -- "--quantities: 'integer' is not one of whole, continuous" "$WORK/bad4.err"
[ "$("$BIN" runs list --db "$WORK/runs.db" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')" = 1 ]
echo "plan e2e ok"
