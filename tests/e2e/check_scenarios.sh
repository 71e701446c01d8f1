#!/usr/bin/env bash
# e2e: `rackforge check` on the default scenario (must pass, exit 0), on the
# tiny test scenario, on a copy with a too-light frame (exit 1, the weight rule
# fails) and on a missing folder (exit 2). Args: RACKFORGE_BIN SOURCE_DIR BUILD_DIR.
set -euo pipefail
BIN=$1
SRC=$2
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
DEFAULT=$SRC/scenarios/us-ai-racks-2026

fail() { echo "FAIL: $*" >&2; exit 1; }

# 1. The default scenario passes every rule: exit 0, readable table, JSON of the documented shape.
"$BIN" check "$DEFAULT" > "$TMP/table.txt" || fail "check on the default scenario exited $?"
grep -q "PASS" "$TMP/table.txt" || fail "table has no PASS"
grep -q "rack units" "$TMP/table.txt" || fail "table has no rack units rule"
# The design's share is what is possible, not what a plan achieves: the label says so.
grep -q "possible domestic share [0-9.]* %" "$TMP/table.txt" || fail "domestic share not labelled as possible"
grep -q "   domestic share" "$TMP/table.txt" && fail "bare 'domestic share' label"
"$BIN" check "$DEFAULT" --json > "$TMP/default.json" || fail "check --json exited $?"
python3 - "$TMP/default.json" <<'PY' || fail "default --json content"
import json, sys
doc = json.load(open(sys.argv[1]))
rules = ["power", "busbar", "liquid cooling", "air cooling", "weight", "floor load", "rack units",
         "ports", "accelerators", "rack power", "date"]
keys = ["accelerators", "it_power_kw", "heat_liquid_kw", "heat_air_kw", "coolant_flow_l_min", "weight_kg",
        "rack_units", "cost_usd", "domestic_share", "min_suppliers", "single_source_components"]
assert len(doc["designs"]) >= 3, doc["designs"]
for d in doc["designs"]:
    assert set(["id", "meets", "pass", "rollup", "rules"]) <= set(d), d.keys()
    assert d["pass"] is True, d["id"]
    assert all(k in d["rollup"] for k in keys), d["rollup"].keys()
    assert [r["rule"] for r in d["rules"]] == rules, [r["rule"] for r in d["rules"]]
    for r in d["rules"]:
        assert set(r) >= {"rule", "need", "have", "margin", "pass"}
        if r["margin"] is not None:
            assert abs(r["margin"] - (r["have"] - r["need"]) / r["have"]) < 1e-9, r
    assert 0 <= d["rollup"]["domestic_share"] <= 1
    assert d["rollup"]["cost_usd"] > 0
PY

# 2. The tiny test scenario: --json parses and the exit code agrees with the pass flags.
TINY=$SRC/tests/scenarios/tiny
if [ -d "$TINY" ]; then
  set +e
  "$BIN" check "$TINY" --json > "$TMP/tiny.json"
  rc=$?
  set -e
  python3 -c 'import json,sys; json.load(sys.stdin)' < "$TMP/tiny.json" || fail "tiny --json does not parse"
  expected=$(python3 -c 'import json,sys; d=json.load(sys.stdin); print(0 if all(x["pass"] for x in d["designs"]) else 1)' < "$TMP/tiny.json")
  [ "$rc" = "$expected" ] || fail "tiny: exit $rc, expected $expected"
fi

# 3. A frame too light for its rack: exit 1, and exactly the weight rule of that design fails.
cp -r "$DEFAULT" "$TMP/heavy"
sed -i 's/^  max_weight_kg: .*/  max_weight_kg: 100/' "$TMP/heavy/designs/gb200-nvl72.yaml"
set +e
"$BIN" check "$TMP/heavy" --json > "$TMP/heavy.json"
rc=$?
set -e
[ "$rc" = 1 ] || fail "a failing weight rule exited $rc, expected 1"
python3 - "$TMP/heavy.json" <<'PY' || fail "heavy --json content"
import json, sys
doc = json.load(open(sys.argv[1]))
d = [x for x in doc["designs"] if x["id"] == "gb200-nvl72"][0]
assert d["pass"] is False
failing = [r["rule"] for r in d["rules"] if not r["pass"]]
assert failing == ["weight"], failing
w = [r for r in d["rules"] if r["rule"] == "weight"][0]
assert w["have"] == 100 and w["need"] > 100 and w["margin"] < 0, w
PY

# 4. A missing folder is bad input: exit 2 and the path in the message.
set +e
"$BIN" check "$TMP/no-such-scenario" > "$TMP/missing.out" 2> "$TMP/missing.err"
rc=$?
set -e
[ "$rc" = 2 ] || fail "missing scenario exited $rc, expected 2"
grep -q "no-such-scenario" "$TMP/missing.err" || fail "error does not name the folder: $(cat "$TMP/missing.err")"
[ ! -s "$TMP/missing.out" ] || fail "stdout not empty on error"
echo "check e2e: ok"
