#!/bin/bash
# runs list/show/diff over two stored plans with different domestic floors;
# missing and corrupt stores are exit 2 naming the file.
set -euo pipefail
BIN=$1; SRC=$2; BUILD=$3
SCENARIO=$SRC/scenarios/us-ai-racks-2026
[ -d "$SCENARIO" ] || { echo "missing $SCENARIO"; exit 1; }
WORK=$(mktemp -d "$BUILD/e2e-runs-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
DB=$WORK/runs.db

"$BIN" plan "$SCENARIO" --domestic 0 --db "$DB" --json >"$WORK/a.json" 2>/dev/null
"$BIN" plan "$SCENARIO" --domestic 0.5 --db "$DB" --json >"$WORK/b.json" 2>/dev/null
"$BIN" runs list --db "$DB" >"$WORK/list.txt"
# One status vocabulary: a plan with a result is done (the solve outcome is the result's own status),
# and the scenario is its folder's name with the content hash, as `serve` names it.
grep -Eq '^ +2  plan +done +\S+ +us-ai-racks-2026@[0-9a-f]{8} ' "$WORK/list.txt"
grep -Eq '^ +1  plan ' "$WORK/list.txt"
# `runs` alone is `runs list`.
"$BIN" runs --db "$DB" >"$WORK/list-default.txt"
cmp -s "$WORK/list.txt" "$WORK/list-default.txt" || { echo "FAIL: runs alone does not list" >&2; exit 1; }
# Output to a file first: grep -q stops reading at the first match, and a writer with more to say
# then dies of SIGPIPE, which pipefail reports (the diff of two whole plans is long).
"$BIN" runs show 2 --db "$DB" >"$WORK/show.txt"
grep -q 'domestic=0.5' "$WORK/show.txt"
"$BIN" runs show 2 --db "$DB" --json >"$WORK/show.json"
"$BIN" runs diff 1 2 --db "$DB" --json >"$WORK/diff.json"
"$BIN" runs diff 1 2 --db "$DB" >"$WORK/diff.txt"
grep -q 'options.domestic: 0 -> 0.5' "$WORK/diff.txt"
python3 - "$WORK/show.json" "$WORK/b.json" "$WORK/diff.json" "$WORK/a.json" <<'PY'
import json, sys
show, b, diff, a = (json.load(open(p)) for p in sys.argv[1:])
assert show["id"] == "2" and show["kind"] == "plan" and show["result"] == b, "stored result differs"
assert show["status"] == "done" and show["scenario_id"] == "us-ai-racks-2026", (show["status"], show["scenario_id"])
assert diff["inputs"]["options.domestic"]["a"] == 0 and diff["inputs"]["options.domestic"]["b"] == 0.5
assert "input_hash" not in diff["inputs"]  # same scenario files
if abs(a["objective_usd"] - b["objective_usd"]) > 1e-9 * max(1, abs(a["objective_usd"])):
    d = diff["results"]["objective_usd"]
    assert abs(d["delta"] - (b["objective_usd"] - a["objective_usd"])) <= 1e-6 * max(1, abs(d["delta"]))
print("runs ok")
PY
set +e
"$BIN" runs show 99 --db "$DB" 2>"$WORK/e1"; c1=$?
"$BIN" runs list --db "$WORK/absent.db" 2>"$WORK/e2"; c2=$?
echo "garbage garbage garbage garbage garbage garbage garbage garbage garbage garbage garbage" >"$WORK/bad.db"
"$BIN" runs list --db "$WORK/bad.db" 2>"$WORK/e3"; c3=$?
set -e
[ $c1 -eq 2 ] && grep -q "no run with id '99'" "$WORK/e1"
[ $c2 -eq 2 ] && grep -q "$WORK/absent.db: no such file" "$WORK/e2"
[ $c3 -eq 2 ] && grep -q "$WORK/bad.db: file is not a database" "$WORK/e3"
[ ! -e "$WORK/absent.db" ]
echo "runs e2e ok"
