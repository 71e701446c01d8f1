#!/bin/bash
# kill -9 at random moments of `plan --db --out` (24 times, on a small
# generated scenario: about 0.3 s a plan) leaves neither a stuck run nor a
# hidden temporary folder: the next open of the store marks the killed runs
# interrupted, the next --out removes the folders of dead processes, and the
# SQLite file passes PRAGMA integrity_check. Bounded: well under a minute.
set -uo pipefail
BIN=$(realpath "$1"); BUILD=$(realpath "$3")
WORK=$(mktemp -d "$BUILD/e2e-kill-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
"$BIN" generate "$WORK/scenario" --plants 3 --designs 2 --components 20 --suppliers 10 --weeks 26 --sites 4 \
  >/dev/null 2>&1 || fail "generate"
DB=$WORK/runs.db
OUT=$WORK/out
"$BIN" plan "$WORK/scenario" --db "$DB" --out "$OUT" >/dev/null 2>&1 || fail "first plan"
start=$(date +%s%N)
"$BIN" plan "$WORK/scenario" --db "$DB" --out "$OUT" >/dev/null 2>&1 || fail "second plan"
plan_ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$plan_ms" -ge 2 ] || plan_ms=2
killed=0
attempts=0
while [ "$killed" -lt 24 ] && [ "$attempts" -lt 60 ]; do  # a plan that ends before its kill does not count
  attempts=$((attempts + 1))
  "$BIN" plan "$WORK/scenario" --db "$DB" --out "$OUT" >/dev/null 2>&1 &
  pid=$!
  # a random moment within the plan's duration (load, solve, writing the folder, storing)
  delay_ms=$((RANDOM % (plan_ms * 9 / 10)))
  sleep "$((delay_ms / 1000)).$(printf '%03d' $((delay_ms % 1000)))"
  kill -9 "$pid" 2>/dev/null
  { wait "$pid"; } 2>/dev/null; code=$?
  [ "$code" = 137 ] && killed=$((killed + 1))
done
echo "plan takes ${plan_ms} ms; $killed of $attempts plans were killed by kill -9"
[ "$killed" -ge 20 ] || fail "only $killed plans were killed"
echo "left beside --out by the kills: $(ls -A "$WORK" | grep -cE '^\.out\.tmp-|^out\.old-') folder(s)"

# The store: intact, and after one open no run is left queued or running.
[ "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check"
"$BIN" runs list --db "$DB" --json >"$WORK/list.json" || fail "runs list"
python3 - "$WORK/list.json" "$killed" <<'PY' || exit 1
import json, sys
runs = json.load(open(sys.argv[1]))
killed = int(sys.argv[2])
by = {}
for r in runs:
    by[r["status"]] = by.get(r["status"], 0) + 1
print("statuses:", by)
stuck = [r["id"] for r in runs if r["status"] in ("running", "queued")]
assert not stuck, f"stuck runs: {stuck}"
assert set(by) <= {"done", "interrupted"}, by
# a plan killed before it opened the store has no run; every other killed one is interrupted
assert by.get("interrupted", 0) <= killed and by.get("interrupted", 0) >= 1, by
for r in runs:
    if r["status"] == "interrupted":
        assert "ended before the run finished" in r.get("result", {}).get("error", "") if "result" in r else True
PY
[ "$(sqlite3 "$DB" "SELECT COUNT(*) FROM runs WHERE status IN ('running','queued')")" = 0 ] || fail "stuck rows"

# The output folder: one more plan, then nothing hidden beside it.
"$BIN" plan "$WORK/scenario" --db "$DB" --out "$OUT" >/dev/null 2>&1 || fail "last plan"
left=$(ls -A "$WORK" | grep -E '^\.out\.tmp-|^out\.old-' || true)
[ -z "$left" ] || fail "left behind: $left"
[ -f "$OUT/plan.json" ] || fail "no $OUT/plan.json"
echo "kill -9 ok"
