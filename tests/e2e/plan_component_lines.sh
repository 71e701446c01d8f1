#!/usr/bin/env bash
# Component lines end to end: `plan --out` on tests/scenarios/tiny (line tx-ps makes 6 PSU bricks
# and 2 power shelves in week 1 from the 12 PSU cells on hand at tx-hou, plus bought chassis)
# writes component_builds.csv, plan.json's units_made and cost_breakdown_usd.in_house, a
# component_builds sheet in plan.xlsx and a "Component builds" section in report.html; risk
# lists the component line as a node; a generated scenario with --component-lines plans with
# in-house production. Usage: plan_component_lines.sh RACKFORGE_BIN SOURCE_DIR BUILD_DIR
set -uo pipefail
BIN=$(realpath "$1"); SRC=$(realpath "$2")
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$BIN" plan "$SRC/tests/scenarios/tiny" --no-db --out "$WORK/out" >"$WORK/stdout" 2>"$WORK/stderr" || fail "plan tiny: $(tail -3 "$WORK/stderr")"
grep -q "^In-house: 6.0 psu-brick at tx-hou (line tx-ps), 2.0 ps-33kw at tx-hou (line tx-ps); value added \$2,400$" "$WORK/stdout" \
  || fail "console in-house line: $(grep In-house "$WORK/stdout")"
python3 - "$WORK/out" <<'PY' || fail "outputs"
import csv, json, sys, zipfile
out = sys.argv[1]
rows = list(csv.DictReader(open(f"{out}/component_builds.csv")))
assert [r["line"] for r in rows] == ["tx-ps", "tx-ps"], rows
assert set(rows[0]) >= {"line", "plant", "component", "week", "units"}, rows[0]
made = {r["component"]: float(r["units"]) for r in rows}
assert abs(made["ps-33kw"] - 2) < 1e-6 and abs(made["psu-brick"] - 6) < 1e-6, made
assert all(r["plant"] == "tx-hou" and r["week"] == "1" for r in rows), rows
d = json.load(open(f"{out}/plan.json"))
assert set(d["units_made"]) == {"ps-33kw", "psu-brick"}, d["units_made"]  # the components some line makes
assert abs(d["units_made"]["ps-33kw"] - 2) < 1e-6 and abs(d["units_made"]["psu-brick"] - 6) < 1e-6, d["units_made"]
parts = d["cost_breakdown_usd"]
assert abs(parts["in_house"] - (2 + 6) * 300) < 1e-6, parts
assert abs(sum(parts.values()) - d["objective_usd"]) <= 1e-6 * abs(d["objective_usd"]), parts
workbook = zipfile.ZipFile(f"{out}/plan.xlsx").read("xl/workbook.xml").decode()
assert 'name="component_builds"' in workbook, workbook[:500]
html = open(f"{out}/report.html").read()
assert "Component builds" in html and "tx-ps" in html
PY

"$BIN" risk "$SRC/tests/scenarios/tiny" --no-db --json >"$WORK/risk.json" 2>"$WORK/risk.err" || fail "risk tiny: $(tail -3 "$WORK/risk.err")"
python3 - "$WORK/risk.json" <<'PY' || fail "risk nodes"
import json, sys
names = [n["node"] if "node" in n else n["name"] for n in json.load(open(sys.argv[1]))["nodes"]]
assert "line:tx-ps" in names, names
PY

"$BIN" generate "$WORK/gen" --weeks 16 --component-lines 6 >/dev/null 2>&1 || fail "generate --component-lines"
[ -s "$WORK/gen/component_boms.csv" ] || fail "generate wrote no component_boms.csv"
"$BIN" plan "$WORK/gen" --no-db --json >"$WORK/gen.json" 2>"$WORK/gen.err" || fail "plan generated: $(tail -3 "$WORK/gen.err")"
python3 - "$WORK/gen.json" <<'PY' || fail "generated plan makes nothing in-house"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["cost_breakdown_usd"]["in_house"] > 0 and sum(d["units_made"].values()) > 0, d["units_made"]
PY
echo "component lines e2e ok"
