#!/usr/bin/env bash
# simulate: JSON identical for 1 and 2 threads, the shape of --json, --out files
# and exit code 2 with a message naming the bad option.
# Usage: simulate_cli.sh RACKFORGE_BIN SOURCE_DIR BUILD_DIR
set -euo pipefail
bin="$1"; src="$2"
scenario="$src/tests/scenarios/tiny"
[ -d "$scenario" ] || scenario="$src/scenarios/us-ai-racks-2026"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$bin" simulate "$scenario" --runs 3000 --seed 9 --threads 1 --json --no-db >"$work/t1.json" 2>"$work/t1.err"
"$bin" simulate "$scenario" --runs 3000 --seed 9 --threads 2 --json --no-db --out "$work/out" >"$work/t2.json" 2>"$work/t2.err"
cmp -s "$work/t1.json" "$work/t2.json" || fail "1 and 2 threads differ"
grep -q "runs/s" "$work/t1.err" || fail "no runs/s on stderr"
grep -q "runs/s" "$work/t1.json" && fail "timings on stdout"
python3 - "$work/t1.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert set(j) == {"runs", "seed", "weeks", "p_target_met_by_week", "output_racks_by_week",
                  "backlog_rack_weeks_pct", "top_loss_nodes", "shortfall_weeks",
                  "loss_node_shortfall_week_share"}, list(j)
assert [n for n, _ in j["loss_node_shortfall_week_share"]] == [n for n, _ in j["top_loss_nodes"]]
assert all(0 <= s <= 1 for _, s in j["loss_node_shortfall_week_share"])
assert j["runs"] == 3000 and j["seed"] == 9
H = j["weeks"]
assert len(j["p_target_met_by_week"]) == H and all(0 <= p <= 1 for p in j["p_target_met_by_week"])
o = j["output_racks_by_week"]
assert all(len(o[q]) == H for q in ("p5", "p50", "p95"))
assert all(o["p5"][t] <= o["p50"][t] <= o["p95"][t] for t in range(H))
for k in ("evaluation", "firm", "option"):
    b = j["backlog_rack_weeks_pct"][k]
    assert b["p5"] <= b["p50"] <= b["p95"], (k, b)
shares = [s for _, s in j["top_loss_nodes"]]
assert shares == sorted(shares, reverse=True) and all(0 < s <= 1 for s in shares)
PY
[ -s "$work/out/simulate.json" ] && [ -s "$work/out/simulate.html" ] || fail "--out files missing"
cmp -s "$work/out/simulate.json" "$work/t1.json" || fail "simulate.json differs from --json output"
"$bin" simulate "$scenario" --runs 40 --seed 9 --no-db | grep -q "P(met)" || fail "no table without --json"

# --seed defaults to 1 (DESIGN.md): same JSON as --seed 1, and the console names the seed used.
"$bin" simulate "$scenario" --runs 200 --threads 1 --json --no-db >"$work/d.json" 2>/dev/null || fail "no --seed: exit $?"
"$bin" simulate "$scenario" --runs 200 --seed 1 --threads 1 --json --no-db >"$work/s1.json" 2>/dev/null
cmp -s "$work/d.json" "$work/s1.json" || fail "default seed differs from --seed 1"
"$bin" simulate "$scenario" --runs 200 --threads 1 --no-db >"$work/d.txt" 2>/dev/null
grep -q "runs, seed 1," "$work/d.txt" || fail "console does not name the seed: $(head -1 "$work/d.txt")"
# The console shows at most 5 loss nodes (under a header line); the JSON keeps them all.
python3 - "$work/d.json" "$work/d.txt" <<'PY'
import json, sys
n = len(json.load(open(sys.argv[1]))["top_loss_nodes"])
text = open(sys.argv[2]).read().split("nodes out when output fell short")[1]
listed = [l for l in text.splitlines()[1:] if l.strip() and not l.strip().startswith(("...", "node "))]
assert len(listed) == min(n, 5), (n, listed)
# Each listed node carries its share of runs and its share of the shortfall weeks.
assert all(l.count("%") == 2 for l in listed), listed
if n > 5:
    assert f"... and {n - 5} more nodes" in text, text
PY

# --db stores the run with its result JSON.
"$bin" simulate "$scenario" --runs 100 --seed 3 --json --db "$work/runs.db" >"$work/db.json" 2>/dev/null
python3 - "$work/runs.db" "$work/db.json" <<'PY'
import json, sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute("SELECT kind, result FROM runs").fetchall()
assert len(rows) == 1 and rows[0][0] == "simulate", rows
assert json.loads(rows[0][1]) == json.load(open(sys.argv[2]))
PY

set +e
"$bin" simulate "$scenario" --runs 0 --seed 1 --no-db >/dev/null 2>"$work/err"; code=$?
set -e
[ "$code" = 2 ] || fail "--runs 0 exit $code, expected 2"
grep -q -- "--runs: 0 must be at least 1" "$work/err" || fail "message: $(cat "$work/err")"
set +e
"$bin" simulate "$work/nope" --runs 5 --seed 1 --no-db >/dev/null 2>"$work/err"; code=$?
set -e
[ "$code" = 2 ] || fail "missing scenario exit $code, expected 2"
echo "ok: simulate CLI"
