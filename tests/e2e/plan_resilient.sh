#!/usr/bin/env bash
# plan --resilient on the tiny scenario: the JSON has the plan keys plus
# `resilience` (figures >= 0 where DESIGN.md says so, one entry per
# contingency), --out writes plan.json with it and a Resilience section in
# report.html, the run is stored as a plan run with the resilient option,
# identical JSON for --threads 1 and 2 (both methods), the L-shaped method's
# expected cost is the extensive form's, and bad --contingencies and
# --resilient-method values exit 2 naming the value, before anything is stored.
# Usage: plan_resilient.sh RACKFORGE_BIN SOURCE_DIR BUILD_DIR
set -euo pipefail
bin="$1"; src="$2"
scenario="$src/tests/scenarios/tiny"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$bin" plan "$scenario" --resilient --contingencies all --threads 1 --json --db "$work/runs.db" --out "$work/out" \
  >"$work/r1.json" 2>"$work/r1.err" || fail "exit $?: $(cat "$work/r1.err")"
"$bin" plan "$scenario" --resilient --contingencies all --threads 2 --json --no-db >"$work/r2.json" 2>/dev/null
cmp -s "$work/r1.json" "$work/r2.json" || fail "1 and 2 threads differ"
python3 - "$work/r1.json" "$work/out/plan.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
assert d == json.load(open(sys.argv[2])), "plan.json differs from --json"
for key in ["objective_usd", "status", "gap", "cost_breakdown_usd", "bottlenecks", "late_demand", "resilience"]:
    assert key in d, key
r = d["resilience"]
assert d["status"] == "optimal", d["status"]
tol = 1e-6 * max(1.0, abs(r["expected_cost_usd"]))
assert r["vss_usd"] >= -tol, r["vss_usd"]
assert r["price_of_resilience_usd"] >= -tol, r["price_of_resilience_usd"]
assert abs(r["price_of_resilience_usd"] - (d["objective_usd"] - r["ordinary_objective_usd"])) <= tol
assert abs(r["vss_usd"] - (r["ordinary_expected_cost_usd"] - r["expected_cost_usd"])) <= tol
names = [c["node"] for c in r["contingencies"]]
assert names[:2] == ["plant:wi-mp", "plant:tx-hou"], names
assert any(n.startswith("line:") for n in names) and any(n.startswith("supplier:") for n in names), names
w = r["weight_nominal"] + sum(c["weight"] for c in r["contingencies"])
assert abs(w - 1) < 1e-12, w
for c in r["contingencies"]:
    assert set(c) >= {"node", "weight", "backlog_rack_weeks_resilient", "backlog_rack_weeks_ordinary"}, c
    assert c["backlog_rack_weeks_resilient"] >= -1e-6 and c["backlog_rack_weeks_ordinary"] >= -1e-6
PY
grep -q "<h2>Resilience</h2>" "$work/out/report.html" || fail "no Resilience section in report.html"
grep -q "plan: stored as run 1" "$work/r1.err" || fail "run not stored: $(cat "$work/r1.err")"
"$bin" runs show 1 --db "$work/runs.db" --json | python3 -c '
import json, sys
run = json.load(sys.stdin)
assert run["kind"] == "plan", run["kind"]
assert run["options"]["resilient"] is True and run["options"]["contingencies"] == "all", run["options"]
assert "resilience" in run["result"]'

# The L-shaped method: the same program, so the same expected cost (1e-6 relative); same JSON for
# 1 and 2 threads; an unknown method is exit 2 naming it.
"$bin" plan "$scenario" --resilient --contingencies plants --resilient-method lshaped --threads 1 --json --no-db \
  >"$work/l1.json" 2>/dev/null || fail "lshaped: exit $?"
"$bin" plan "$scenario" --resilient --contingencies plants --resilient-method lshaped --threads 2 --json --no-db \
  >"$work/l2.json" 2>/dev/null
cmp -s "$work/l1.json" "$work/l2.json" || fail "lshaped: 1 and 2 threads differ"
"$bin" plan "$scenario" --resilient --contingencies plants --resilient-method extensive --json --no-db \
  >"$work/e1.json" 2>/dev/null
python3 - "$work/l1.json" "$work/e1.json" <<'PY'
import json, sys
l, e = (json.load(open(f))["resilience"] for f in sys.argv[1:3])
assert l["method"] == "lshaped" and e["method"] == "extensive", (l["method"], e["method"])
assert abs(l["expected_cost_usd"] - e["expected_cost_usd"]) <= 1e-6 * abs(e["expected_cost_usd"]), (l, e)
assert abs(l["vss_usd"] - e["vss_usd"]) <= 1e-6 * abs(e["expected_cost_usd"])
PY
set +e
"$bin" plan "$scenario" --resilient --resilient-method benders --no-db >/dev/null 2>"$work/err"; code=$?
set -e
[ "$code" = 2 ] && grep -q "'benders' is not one of auto, extensive, lshaped" "$work/err" || fail "bad method: $code $(cat "$work/err")"

# The console says what the resilient plan does differently.
"$bin" plan "$scenario" --resilient --no-db >"$work/text.txt" 2>/dev/null
grep -q "What it does differently from the ordinary plan" "$work/text.txt" || fail "no resilience text"
grep -q "saves .* in expectation (VSS)" "$work/text.txt" || fail "no VSS sentence"

for bad in "plant:nowhere" "plant:wi-mp,,plant:tx-hou" "plant:wi-mp,plant:wi-mp"; do
  set +e
  "$bin" plan "$scenario" --resilient --contingencies "$bad" --db "$work/bad.db" >"$work/out.txt" 2>"$work/err"; code=$?
  set -e
  [ "$code" = 2 ] || fail "--contingencies $bad: exit $code, expected 2"
  grep -q -- "--contingencies: '" "$work/err" || fail "message: $(cat "$work/err")"
  [ ! -s "$work/out.txt" ] || fail "stdout not empty for $bad"
done
grep -q "'plant:nowhere' names no plant" <("$bin" plan "$scenario" --resilient --contingencies plant:nowhere --no-db 2>&1 || true) \
  || fail "unknown node not named"
[ ! -e "$work/bad.db" ] || [ "$("$bin" runs list --db "$work/bad.db" | grep -c plan || true)" = 0 ] || fail "bad run stored"
set +e
"$bin" plan "$scenario" --contingencies plants --no-db >/dev/null 2>"$work/err"; code=$?
set -e
[ "$code" = 2 ] && grep -q "needs --resilient" "$work/err" || fail "--contingencies without --resilient: $code $(cat "$work/err")"
echo "ok: plan --resilient"
