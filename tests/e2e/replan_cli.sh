#!/bin/bash
# plan --baseline-run ID --freeze-weeks N [--change-penalty USD] via the CLI with --db:
# frozen weeks identical to the stored run in the written tables, an outage in the frozen
# window reported infeasible naming the line, the change penalty in the cost breakdown,
# runs diff with per-line, per-week changes, and bad baselines as exit 2 with nothing stored.
set -euo pipefail
BIN=$1; SRC=$2; BUILD=$3
SCENARIO=$SRC/tests/scenarios/tiny
[ -d "$SCENARIO" ] || { echo "missing $SCENARIO"; exit 1; }
WORK=$(mktemp -d "$BUILD/e2e-replan-XXXXXX")
trap '[ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"' EXIT
DB=$WORK/runs.db

# The re-planned scenario: firm orders a hundred times as urgent, so a free plan buys and builds
# more in weeks 0-2 than the stored one did.
URGENT=$WORK/urgent
cp -r "$SCENARIO" "$URGENT"
sed -i 's/^    firm: 30000$/    firm: 3000000/' "$URGENT/scenario.yaml"
grep -q '^    firm: 3000000$' "$URGENT/scenario.yaml"
"$BIN" plan "$SCENARIO" --db "$DB" --out "$WORK/base" --json >"$WORK/base.json" 2>/dev/null        # run 1
"$BIN" plan "$URGENT" --db "$DB" --baseline-run 1 --freeze-weeks 3 --out "$WORK/frozen" \
  --json >"$WORK/frozen.json" 2>/dev/null                                                            # run 2
"$BIN" plan "$URGENT" --no-db --out "$WORK/free" >/dev/null 2>&1
cat >"$WORK/outage.yaml" <<'YAML'
disruptions:
  - {node: line:wi-l1, start_week: 0, weeks: 3}
YAML
"$BIN" plan "$SCENARIO" --db "$DB" --baseline-run 1 --freeze-weeks 3 --disruptions "$WORK/outage.yaml" \
  --json >"$WORK/outage.json" 2>"$WORK/outage.err"                                                   # run 3
"$BIN" plan "$SCENARIO" --db "$DB" --baseline-run 1 --freeze-weeks 3 --disruptions "$WORK/outage.yaml" \
  >"$WORK/outage.txt" 2>/dev/null                                                                    # run 4
"$BIN" plan "$SCENARIO" --db "$DB" --baseline-run 1 --freeze-weeks 1 --change-penalty 2500 --domestic 0.7 \
  --json >"$WORK/penalty.json" 2>/dev/null                                                           # run 5
"$BIN" runs diff 1 2 --db "$DB" --json >"$WORK/diff.json"
"$BIN" runs diff 1 2 --db "$DB" >"$WORK/diff.txt"
grep -q "frozen week conflict: line wi-l1 design alpha week 0 (2026-W01): frozen 1 racks" "$WORK/outage.err"
grep -q "The frozen weeks cannot be met" "$WORK/outage.txt"
grep -q "plan (ISO weeks 2026-W01..2026-W12 in common)" "$WORK/diff.txt"
grep -q "purchases per supplier" "$WORK/diff.txt"
grep -q "largest build-plan changes" "$WORK/diff.txt"

python3 - "$WORK" <<'PY'
import csv, json, os, sys
work = sys.argv[1]
load = lambda name: json.load(open(os.path.join(work, name)))
base, frozen, outage, penalty, diff = (load(n) for n in ("base.json", "frozen.json", "outage.json", "penalty.json", "diff.json"))

def table(folder, name, keys, week, value):
    rows = {}
    with open(os.path.join(work, folder, name + ".csv")) as f:
        for row in csv.DictReader(f):
            rows[tuple(row[k] for k in keys) + (int(row[week]),)] = float(row[value])
    return rows

def same(a, b):
    return abs(a - b) <= 1e-6 * abs(b) + 1e-9

# Weeks 0-2 of the re-plan are the stored run's, table by table (rows are the non-zero values),
# where the free plan of the same scenario differs.
early = lambda rows: {k: v for k, v in rows.items() if k[-1] < 3}
free_differs = False
for name, keys, week, value in (("build_plan", ("line", "design"), "week", "racks"),
                                ("purchases", ("supplier", "component", "plant"), "order_week", "units"),
                                ("shipments", ("plant", "site", "design", "kind"), "week", "racks"),
                                ("transfers_plan", ("from_plant", "to_plant", "component"), "week", "units")):
    a, b = table("base", name, keys, week, value), table("frozen", name, keys, week, value)
    ea, eb = early(a), early(b)
    assert set(ea) == set(eb), (name, sorted(set(ea) ^ set(eb)))
    for k in ea:
        assert same(eb[k], ea[k]), (name, k, ea[k], eb[k])
    ef = early(table("free", name, keys, week, value))
    free_differs = free_differs or set(ef) != set(ea) or any(not same(ef[k], ea[k]) for k in ea)
assert free_differs, "the urgent scenario's free plan must differ in weeks 0-2"
assert frozen["status"] == "optimal", frozen["status"]
assert frozen["baseline"]["run_id"] == "1" and frozen["baseline"]["freeze_weeks"] == 3
assert frozen["baseline"]["frozen_cells"] > 0 and frozen["baseline"]["dropped"] == []
assert frozen["racks_moved"] > 1, frozen["racks_moved"]  # the free weeks build more
assert base["racks_moved"] is None and base["baseline"] is None

# The outage breaks the frozen window: infeasible, naming line wi-l1.
assert outage["status"] == "infeasible", outage["status"]
conflicts = outage["baseline"]["conflicts"]
assert any(c["family"] == "make" and c["key"] == "wi-l1,alpha" and c["week"] == 0 and c["iso_week"] == "2026-W01"
           and c["allowed"] == 0 for c in conflicts), conflicts

# The change penalty is a cost part; the parts sum to the objective.
parts = penalty["cost_breakdown_usd"]
assert "plan_changes" in parts and parts["plan_changes"] >= 0
assert abs(sum(parts.values()) - penalty["objective_usd"]) <= 1e-6 * abs(penalty["objective_usd"])
assert penalty["baseline"]["change_penalty_usd"] == 2500 and penalty["baseline"]["penalized_cells"] > 0

# runs diff: per-line, per-week build changes and purchases per supplier.
plan = diff["plan"]
assert plan["weeks"] == {"first": "2026-W01", "last": "2026-W12"}, plan["weeks"]
assert abs(plan["racks_moved"] - frozen["racks_moved"]) <= 1e-6, (plan["racks_moved"], frozen["racks_moved"])
assert plan["build_plan"] and plan["purchases"], plan
top = plan["build_plan"][0]
assert set(top) == {"line", "design", "week", "a", "b", "delta"} and abs(top["b"] - top["a"] - top["delta"]) <= 1e-9
assert all(abs(r["delta"]) <= abs(top["delta"]) + 1e-12 for r in plan["build_plan"]), "largest first"
for row in plan["purchases"]:
    assert set(row) == {"supplier", "component", "a_units", "b_units", "delta_units"}
    assert abs(row["b_units"] - row["a_units"] - row["delta_units"]) <= 1e-9
print("replan ok")
PY

# Bad baselines: exit 2, a message naming the run, and no run stored.
runs_before=$("$BIN" runs list --db "$DB" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
"$BIN" sweep "$SCENARIO" --domestic 0:0.3:0.3 --db "$DB" >/dev/null 2>&1                            # run 6
runs_before=$((runs_before + 1))
expect_2() {  # expect_2 MESSAGE ARGS...: exit 2 with MESSAGE on stderr
  local message=$1; shift
  set +e
  "$BIN" plan "$SCENARIO" --db "$DB" "$@" >"$WORK/out" 2>"$WORK/err"; local code=$?
  set -e
  [ $code -eq 2 ] || { echo "exit $code for $*"; cat "$WORK/err"; exit 1; }
  grep -qF -- "$message" "$WORK/err" || { echo "no '$message' for $*"; cat "$WORK/err"; exit 1; }
  [ ! -s "$WORK/out" ] || { echo "output for $*"; exit 1; }
}
expect_2 "--baseline-run: no run with id '99' in sqlite:$DB" --baseline-run 99 --freeze-weeks 2
expect_2 "--freeze-weeks needs --baseline-run" --freeze-weeks 2
expect_2 "--baseline-run needs --freeze-weeks" --baseline-run 1
expect_2 "--freeze-weeks: 13 is outside 0..12" --baseline-run 1 --freeze-weeks 13
expect_2 "--change-penalty: -1 must be a finite amount" --baseline-run 1 --freeze-weeks 1 --change-penalty -1
expect_2 "run 3 in sqlite:$DB has no stored plan quantities: its plan has no solution (infeasible)" \
  --baseline-run 3 --freeze-weeks 1
expect_2 "run 6 in sqlite:$DB has no stored plan quantities: it is a sweep run" --baseline-run 6 --freeze-weeks 1
runs_after=$("$BIN" runs list --db "$DB" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$runs_before" -eq "$runs_after" ] || { echo "runs stored by failed commands: $runs_before -> $runs_after"; exit 1; }

# A plan run stored by schema 3 has no quantities: a clear error, after the store is migrated.
OLD=$WORK/old.db
python3 - "$OLD" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.executescript("""
CREATE TABLE schema_version (version INTEGER NOT NULL);
CREATE TABLE runs (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, scenario_id TEXT NOT NULL,
  scenario_name TEXT NOT NULL, created_at TEXT NOT NULL, options TEXT NOT NULL, input_hash TEXT NOT NULL,
  status TEXT NOT NULL, result TEXT, finished_at TEXT, owner_host TEXT NOT NULL DEFAULT '',
  owner_pid INTEGER NOT NULL DEFAULT 0, owner_start INTEGER NOT NULL DEFAULT 0);
INSERT INTO schema_version VALUES (1), (2), (3);
INSERT INTO runs (kind, scenario_id, scenario_name, created_at, options, input_hash, status, result, finished_at)
  VALUES ('plan', 'tiny', 'tiny', '2026-11-20T10:00:00Z', '{}', 'abc', 'done', '{"status": "optimal"}',
          '2026-11-20T10:01:00Z');
""")
db.commit()
PY
set +e
"$BIN" plan "$SCENARIO" --db "$OLD" --baseline-run 1 --freeze-weeks 1 >/dev/null 2>"$WORK/old.err"; code=$?
set -e
[ $code -eq 2 ] && grep -qF "run 1 in sqlite:$OLD has no stored plan quantities: it was stored before run store schema 4" \
  "$WORK/old.err" || { echo "old store: exit $code"; cat "$WORK/old.err"; exit 1; }
# Whole quantities and re-planning together: a whole baseline, re-planned whole against it with
# --no-db --db (the store is read, not written): frozen weeks identical, every value whole.
"$BIN" plan "$SCENARIO" --quantities whole --db "$DB" --out "$WORK/wbase" --json >"$WORK/wbase.json" 2>/dev/null
wrun=$("$BIN" runs list --db "$DB" --json | python3 -c 'import json,sys; print(max(int(r["id"]) for r in json.load(sys.stdin)))')
runs_before=$("$BIN" runs list --db "$DB" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
"$BIN" plan "$URGENT" --quantities whole --no-db --db "$DB" --baseline-run "$wrun" --freeze-weeks 3 \
  --out "$WORK/wfrozen" --json >"$WORK/wfrozen.json" 2>"$WORK/wfrozen.err"
"$BIN" plan "$URGENT" --quantities whole --no-db --out "$WORK/wfree" >/dev/null 2>&1
runs_after=$("$BIN" runs list --db "$DB" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))')
[ "$runs_before" -eq "$runs_after" ] || { echo "--no-db --db stored a run: $runs_before -> $runs_after"; exit 1; }
! grep -q "stored as run" "$WORK/wfrozen.err" || { echo "--no-db says it stored the run"; exit 1; }
python3 - "$WORK" <<'PY'
import csv, json, os, sys
work = sys.argv[1]
base, frozen = (json.load(open(os.path.join(work, n))) for n in ("wbase.json", "wfrozen.json"))
assert base["whole_gap"] is not None and frozen["whole_gap"] is not None, (base["whole_gap"], frozen["whole_gap"])
assert frozen["status"] == "optimal", frozen["status"]
assert frozen["baseline"]["frozen_cells"] > 0, frozen["baseline"]
assert frozen["continuous_bound_usd"] <= frozen["objective_usd"] * (1 + 1e-9)
def table(folder, name, keys, week, value):
    rows = {}
    with open(os.path.join(work, folder, name + ".csv")) as f:
        for row in csv.DictReader(f):
            rows[tuple(row[k] for k in keys) + (int(row[week]),)] = row[value]
    return rows
free_differs = False
for name, keys, week, value in (("build_plan", ("line", "design"), "week", "racks"),
                                ("purchases", ("supplier", "component", "plant"), "order_week", "units"),
                                ("shipments", ("plant", "site", "design", "kind"), "week", "racks"),
                                ("transfers_plan", ("from_plant", "to_plant", "component"), "week", "units")):
    a, b, f = (table(d, name, keys, week, value) for d in ("wbase", "wfrozen", "wfree"))
    for rows in (a, b):
        for k, v in rows.items():  # whole numbers, written without float noise
            assert v.isdigit(), (name, k, v)
    early = lambda rows: {k: v for k, v in rows.items() if k[-1] < 3}
    assert early(a) == early(b), (name, sorted(set(early(a).items()) ^ set(early(b).items())))
    free_differs = free_differs or early(f) != early(a)
assert free_differs, "the urgent scenario's free whole plan must differ in weeks 0-2"
print("whole replan ok")
PY

# --baseline-run with --no-db needs an explicit --db: the default rackforge.db (here a copy of the
# store holding the baseline) is not read behind the user's back. Exit 2 naming the flag, no output.
mkdir "$WORK/cwd"
cp "$DB" "$WORK/cwd/rackforge.db"
set +e
bin_abs=$(readlink -f "$BIN")
(cd "$WORK/cwd" && "$bin_abs" plan "$SCENARIO" --no-db --baseline-run 1 --freeze-weeks 1 --out "$WORK/nodb" \
  >"$WORK/out" 2>"$WORK/err"); code=$?
set -e
[ $code -eq 2 ] || { echo "--no-db --baseline-run without --db: exit $code"; cat "$WORK/err"; exit 1; }
grep -qF -- "--baseline-run needs a run store" "$WORK/err" || { cat "$WORK/err"; exit 1; }
grep -qF -- "--db" "$WORK/err" || { cat "$WORK/err"; exit 1; }
[ ! -s "$WORK/out" ] && [ ! -e "$WORK/nodb" ] || { echo "output written for a usage error"; exit 1; }
echo "replan e2e ok"
