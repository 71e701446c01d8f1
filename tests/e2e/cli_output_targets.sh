#!/bin/bash
# Output targets are checked before any solve: a bad --out, --write-mps or
# --db is exit 2 with a message naming the path, and leaves no stored run, no
# file and no temporary folder behind (plan, sweep, risk, simulate, explore).
set -uo pipefail
BIN=$(realpath "$1"); SRC=$(realpath "$2"); BUILD=$(realpath "$3")
SCENARIO=$SRC/tests/scenarios/tiny
WORK=$(mktemp -d "$BUILD/e2e-targets-XXXXXX")
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
fail() { echo "FAIL: $*"; exit 1; }
DB=$WORK/runs.db
"$BIN" plan "$SCENARIO" --db "$DB" >/dev/null 2>&1 || fail "first plan"
runs() { "$BIN" runs list --db "$DB" --json | python3 -c 'import json,sys; print(len(json.load(sys.stdin)))'; }
[ "$(runs)" = 1 ] || fail "expected 1 run"

# expect CODE PATTERN -- command...: exit code and a stderr line matching PATTERN.
expect() {
  local code=$1 pattern=$2; shift 3
  "$@" >"$WORK/out" 2>"$WORK/err"; local got=$?
  [ "$got" = "$code" ] || fail "$*: exit $got, want $code: $(tail -3 "$WORK/err")"
  grep -q -- "$pattern" "$WORK/err" || fail "$*: stderr lacks '$pattern': $(tail -3 "$WORK/err")"
}

touch "$WORK/file"
for cmd in "plan" "sweep --domestic 0:0.5:0.5" "risk" "simulate --runs 20 --seed 1"; do
  # shellcheck disable=SC2086
  expect 2 "--out $WORK/file/out: cannot create folder" -- "$BIN" $cmd "$SCENARIO" --db "$DB" --out "$WORK/file/out"
  ! grep -q "solving\|points from\|nodes (" "$WORK/err" || fail "$cmd: solved before refusing --out"
  [ "$(runs)" = 1 ] || fail "$cmd: a bad --out left a stored run"
  echo "not a database, only text long enough to look like one......................" >"$WORK/text.db"
  # shellcheck disable=SC2086
  expect 2 "--db: run store $WORK/text.db: file is not a database" -- "$BIN" $cmd "$SCENARIO" --db "$WORK/text.db" --out "$WORK/o-$RANDOM"
  ls -A "$WORK" | grep -q '^\.o-\|^o-' && fail "$cmd: --out folder left behind after a bad --db"
done
expect 2 "--out $WORK/file/out: cannot create folder" -- "$BIN" explore "$SCENARIO" --out "$WORK/file/out"

# --write-mps: unwritable is exit 2 before the solve, and no file is left behind by the check.
expect 2 "--write-mps /proc/rf.mps: cannot write" -- "$BIN" plan "$SCENARIO" --db "$DB" --write-mps /proc/rf.mps
expect 2 "--write-mps $WORK/no/such/dir/m.mps: cannot write" -- "$BIN" plan "$SCENARIO" --db "$DB" --write-mps "$WORK/no/such/dir/m.mps"
[ "$(runs)" = 1 ] || fail "a bad --write-mps left a stored run"
expect 2 "tiny.*errors\|error" -- "$BIN" plan "$SRC/tests/scenarios/no-such-scenario" --db "$DB" --write-mps "$WORK/m.mps"
[ ! -e "$WORK/m.mps" ] || fail "--write-mps file written although the plan failed"

# A read-only store (a user who cannot write it; root can write any file).
mkdir -p "$WORK/ro" && cp "$DB" "$WORK/ro/runs.db" && chmod 755 "$WORK/ro" "$WORK" && chmod 644 "$WORK/ro/runs.db"
if id nobody >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
  expect 2 "--db: run store $WORK/ro/runs.db: cannot be written (read-only)" -- \
    runuser -u nobody -- "$BIN" plan "$SCENARIO" --db "$WORK/ro/runs.db"
else
  chmod 444 "$WORK/ro/runs.db"
  expect 2 "--db: run store $WORK/ro/runs.db: cannot be written (read-only)" -- "$BIN" plan "$SCENARIO" --db "$WORK/ro/runs.db"
fi
ls -A "$WORK" | grep -q '\.tmp-' && fail "temporary folder left behind"
echo "output targets ok"
