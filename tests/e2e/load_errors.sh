#!/usr/bin/env bash
# `rackforge check` on broken copies of tests/scenarios/tiny: exit code 2,
# every problem as "file:line: message" on stderr, nothing on stdout and no
# file written. Usage: load_errors.sh RACKFORGE_BIN SOURCE_DIR BUILD_DIR
set -uo pipefail
bin="$1"
src="$2"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail=0

# break FILE FROM TO: a fresh copy of tiny with one text replaced.
break_copy() {
  rm -rf "$work/s" && cp -r "$src/tests/scenarios/tiny" "$work/s"
  python3 - "$work/s/$1" "$2" "$3" <<'PY'
import sys
path, old, new = sys.argv[1:]
text = open(path).read()
assert text.count(old) == 1, (path, old)
open(path, "w").write(text.replace(old, new))
PY
}

# expect_check DESCRIPTION NEEDLE...: runs check in an empty folder and asserts.
expect_check() {
  local what="$1"
  shift
  mkdir -p "$work/run" && rm -rf "$work/run"/*
  (cd "$work/run" && "$bin" check "$work/s" >"$work/out" 2>"$work/err")
  local code=$?
  if [[ $code -ne 2 ]]; then
    echo "FAIL [$what]: exit code $code, expected 2" >&2
    cat "$work/err" >&2
    fail=1
  fi
  for needle in "$@"; do
    if ! grep -qF -- "$needle" "$work/err"; then
      echo "FAIL [$what]: stderr lacks: $needle" >&2
      cat "$work/err" >&2
      fail=1
    fi
  done
  if [[ -s "$work/out" ]]; then
    echo "FAIL [$what]: stdout is not empty" >&2
    fail=1
  fi
  if [[ -n "$(ls -A "$work/run")" ]]; then
    echo "FAIL [$what]: files written: $(ls -A "$work/run")" >&2
    fail=1
  fi
}

break_copy plants.yaml "racks_per_week: 10" "racks_per_week: -5"
expect_check "negative line rate" "plants.yaml:12: plants[0].lines[0].racks_per_week: -5 is negative"

break_copy offers.csv "vertiv-us,cdu" "acme,cdu"
expect_check "unknown supplier" "offers.csv:8: supplier: 'acme' is not a supplier in suppliers.csv"

break_copy demand.csv "option,0.9" "option,1.5"
expect_check "probability" "demand.csv:7: probability: 1.5 is outside 0..1"

# Several files at once: all reported, with a count.
break_copy lanes.csv "wi-mp,abilene-tx,1,5000" "wi-mp,abilene-tx,0.5,5000"
python3 - "$work/s/designs/beta.yaml" <<'PY'
import sys
p = sys.argv[1]
text = open(p).read()
open(p, "w").write(text.replace("meets: gen-b", "meets: gen-z"))
PY
expect_check "two files" "lanes.csv:2: transit_weeks: 0.5 is not a whole number of weeks" \
  "designs/beta.yaml:4: meets: 'gen-z' is not a requirement in roadmap.yaml" "2 errors"

rm -rf "$work/s" && cp -r "$src/tests/scenarios/tiny" "$work/s" && rm "$work/s/demand.csv"
expect_check "missing file" "demand.csv: required file is missing"

exit $fail
