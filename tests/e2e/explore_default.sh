#!/usr/bin/env bash
# e2e: `rackforge explore` on the default scenario: JSON shape, variant counts
# (product of option counts), a non-dominated front, the HTML page with its SVG
# chart, every front variant written with --write-design loads and passes
# `check`, the MILP front lies on the enumerated front, bad variant ids exit 2.
# Args: RACKFORGE_BIN SOURCE_DIR BUILD_DIR.
set -euo pipefail
BIN=$1
SRC=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
DEFAULT=$SRC/scenarios/us-ai-racks-2026

fail() { echo "FAIL: $*" >&2; exit 1; }

"$BIN" explore "$DEFAULT" > "$TMP/table.txt" || fail "explore exited $?"
grep -q "Pareto front" "$TMP/table.txt" || fail "table has no front"
"$BIN" explore "$DEFAULT" --json --out "$TMP/out" > "$TMP/explore.json" || fail "explore --json exited $?"
# Each choice shows its option's parts ("power_shelf=3 (6 x ps-...)"), not a bare option number.
grep -Eq "power_shelf=[0-9]+ \([0-9.]+ x [a-z0-9-]+" "$TMP/table.txt" || fail "choices without parts: $(grep -m1 power_shelf "$TMP/table.txt")"
grep -Eq "power_shelf=[0-9]+ \([0-9.]+ x " "$TMP/out/explore.html" || fail "explore.html choices without parts"
python3 - "$TMP/explore.json" "$DEFAULT/design_space.yaml" <<'PY' || fail "explore --json content"
import json, sys, re
doc = json.load(open(sys.argv[1]))
# option counts per design from design_space.yaml (one "- bom:" line per option)
counts, design = {}, None
for line in open(sys.argv[2]):
    m = re.match(r"\s*- design:\s*(\S+)", line)
    if m:
        design = m.group(1); counts[design] = []
    elif re.match(r"\s*- slot:", line):
        counts[design].append(0)
    elif re.match(r"\s*- bom:", line):
        counts[design][-1] += 1
assert [d["design"] for d in doc["designs"]] == list(counts), doc["designs"]
def dominates(a, b):
    ma = a["min_margin"] if a["min_margin"] is not None else float("inf")
    mb = b["min_margin"] if b["min_margin"] is not None else float("inf")
    tol = lambda x, y: 1e-9 * max(abs(x), abs(y))
    ge = [b["cost_usd"] - a["cost_usd"] >= -tol(a["cost_usd"], b["cost_usd"]),
          a["domestic_share"] - b["domestic_share"] >= -tol(a["domestic_share"], b["domestic_share"]),
          a["min_suppliers"] >= b["min_suppliers"], ma - mb >= -tol(ma, mb) if ma != mb else True]
    gt = [b["cost_usd"] - a["cost_usd"] > tol(a["cost_usd"], b["cost_usd"]),
          a["domestic_share"] - b["domestic_share"] > tol(a["domestic_share"], b["domestic_share"]),
          a["min_suppliers"] > b["min_suppliers"], ma - mb > tol(ma, mb) if ma != mb else False]
    return all(ge) and any(gt)
for d in doc["designs"]:
    total = 1
    for c in counts[d["design"]]:
        total *= c
    assert d["variants_total"] == total, (d["design"], d["variants_total"], total)
    assert d["method"] == "enumeration"
    assert 0 < d["variants_passing"] < total, d["variants_passing"]
    assert d["front"], d["design"]
    for v in d["front"]:
        assert set(v) >= {"variant", "cost_usd", "domestic_share", "min_suppliers", "min_margin", "choices", "tightest_rule"}
        parts = v["variant"].split("~")
        assert parts[0] == d["design"] and len(parts) == len(counts[d["design"]]) + 1, v["variant"]
        assert {p.split("=")[0]: int(p.split("=")[1]) for p in parts[1:]} == v["choices"], v
        assert not any(dominates(w, v) for w in d["front"]), v["variant"]
    costs = [v["cost_usd"] for v in d["front"]]
    assert costs == sorted(costs)
with open(sys.argv[1] + ".ids", "w") as f:
    for d in doc["designs"]:
        for v in d["front"]:
            f.write(v["variant"] + "\n")
PY
grep -q "<svg" "$TMP/out/explore.html" || fail "explore.html has no SVG chart"
python3 -c 'import json,sys; json.load(sys.stdin)' < "$TMP/out/explore.json" || fail "explore.json does not parse"

# Every front variant written with --write-design loads with the scenario and passes check.
cp -r "$DEFAULT" "$TMP/with-variants"
while read -r id; do
  "$BIN" explore "$DEFAULT" --write-design "$TMP/with-variants/designs" "$id" 2> "$TMP/write.err" || fail "--write-design $id exited $?: $(cat "$TMP/write.err")"
done < "$TMP/explore.json.ids"
written=$(ls "$TMP/with-variants/designs" | grep -c -- '-v' || true)
[ "$written" = "$(wc -l < "$TMP/explore.json.ids")" ] || fail "wrote $written designs"
"$BIN" check "$TMP/with-variants" --json > "$TMP/variants-check.json" || fail "check with the written variants exited $?"
python3 - "$TMP/variants-check.json" "$TMP/explore.json" <<'PY' || fail "written variants do not match the front"
import json, sys
check = {d["id"]: d for d in json.load(open(sys.argv[1]))["designs"]}
for space in json.load(open(sys.argv[2]))["designs"]:
    for v in space["front"]:
        design_id = space["design"] + "-v" + "-".join(p.split("=")[1] for p in v["variant"].split("~")[1:])
        d = check[design_id]
        assert d["pass"], design_id
        assert abs(d["rollup"]["cost_usd"] - v["cost_usd"]) <= 1e-6 * v["cost_usd"], design_id
        assert abs(d["rollup"]["domestic_share"] - v["domestic_share"]) <= 1e-9, design_id
        assert d["rollup"]["min_suppliers"] == v["min_suppliers"], design_id
PY

# The MILP's front points are on the enumerated front (same design, forced MILP).
"$BIN" explore "$DEFAULT" --design gb300-nvl72 --method milp --json > "$TMP/milp.json" || fail "--method milp exited $?"
python3 - "$TMP/milp.json" "$TMP/explore.json" <<'PY' || fail "MILP front not on the enumerated front"
import json, sys
milp = json.load(open(sys.argv[1]))["designs"][0]
exact = [d for d in json.load(open(sys.argv[2]))["designs"] if d["design"] == "gb300-nvl72"][0]
assert milp["method"] == "milp" and milp["variants_passing"] is None, milp
ids = {v["variant"] for v in exact["front"]}
assert milp["front"] and all(v["variant"] in ids for v in milp["front"]), [v["variant"] for v in milp["front"]]
best = min(v["cost_usd"] for v in exact["front"])
assert abs(min(v["cost_usd"] for v in milp["front"]) - best) <= 1e-6 * best
PY

# Bad variant ids are usage errors naming the bad part.
set +e
"$BIN" explore "$DEFAULT" --write-design "$TMP/x" "gb300-nvl72~power_shelf=9~cdu=1~manifold=1~frame=1" 2> "$TMP/bad.err"
rc=$?
set -e
[ "$rc" = 2 ] || fail "bad option index exited $rc"
grep -q "power_shelf option '9' is not in 1..4" "$TMP/bad.err" || fail "message: $(cat "$TMP/bad.err")"
set +e
"$BIN" explore "$DEFAULT" --design no-such-design 2> "$TMP/bad2.err"
rc=$?
set -e
[ "$rc" = 2 ] || fail "unknown design exited $rc"
grep -q "no-such-design" "$TMP/bad2.err" || fail "message: $(cat "$TMP/bad2.err")"
echo "explore e2e: ok"
