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

# break_bytes FILE FROM TO: like break_copy, but TO is a Python bytes literal
# body ('ti\xffny', 'a\x00b'), for text that is not UTF-8.
break_bytes() {
  rm -rf "$work/s" && cp -r "$src/tests/scenarios/tiny" "$work/s"
  python3 - "$work/s/$1" "$2" "$3" <<'PY'
import ast, sys
path, old, new = sys.argv[1:]
data = open(path, "rb").read()
old = old.encode()
assert data.count(old) == 1, (path, old)
open(path, "wb").write(data.replace(old, ast.literal_eval("b'" + new + "'")))
PY
}

# expect_check DESCRIPTION NEEDLE...: runs check in an empty folder and asserts.
expect_check() {
  local what="$1"
  shift
  expect_run "$what" "$@" -- check "$work/s"
}

# expect_run DESCRIPTION NEEDLE... -- ARGS...: runs "$bin" ARGS in an empty
# folder (at most 60 s: a hang is a failure) and asserts exit code 2, every
# NEEDLE on stderr, nothing on stdout and no file written.
expect_run() {
  local what="$1"
  shift
  local needles=()
  while [[ "$1" != "--" ]]; do
    needles+=("$1")
    shift
  done
  shift
  mkdir -p "$work/run" && rm -rf "$work/run"/*
  (cd "$work/run" && timeout 60 "$bin" "$@" >"$work/out" 2>"$work/err" </dev/null)
  local code=$?
  if [[ $code -ne 2 ]]; then
    echo "FAIL [$what]: exit code $code, expected 2" >&2
    cat "$work/err" >&2
    fail=1
  fi
  for needle in "${needles[@]}"; do
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

# ---- component lines and component_boms.csv (issue 13) ----------------------

break_copy component_boms.csv "psu-brick,psu-cell,2" $'psu-brick,psu-cell,2\npsu-cell,ps-33kw,1'
expect_check "bom cycle" "component_boms.csv:5: cycle ps-33kw -> psu-brick -> psu-cell -> ps-33kw" "1 error;"

break_copy component_boms.csv "psu-brick,psu-cell,2" $'psu-brick,psu-cell,2\nps-33kw,psu-brick,5'
expect_check "duplicate bom row" \
  "component_boms.csv:5: component, part: ('ps-33kw', 'psu-brick') already has a row (first on line 2)"

break_copy component_boms.csv "ps-33kw,ps-chassis,1" "ps-33kw,ps-chassis,0"
expect_check "bom qty 0" "component_boms.csv:3: qty: 0 is not positive"

break_copy component_boms.csv "psu-brick,psu-cell,2" "psu-brick,psu-cel,2"
expect_check "unknown part" "component_boms.csv:4: part: 'psu-cel' is not a component in components.csv"

break_copy plants.yaml "components: [ps-33kw, psu-brick]" "components: [ps-33kw]"
expect_check "part neither bought nor made" \
  "component_boms.csv:2: part: 'psu-brick' is neither bought (no row in offers.csv) nor made" "1 error;"

break_copy plants.yaml "      - id: tx-ps" "      - id: tx-l1"
expect_check "component line id taken by a rack line" \
  "plants.yaml:31: plants[1].component_lines[0].id: 'tx-l1' is a duplicate line id (first on line 28;"

break_copy plants.yaml "units_per_week: 40" "units_per_wk: 40"
expect_check "unknown component-line key" "plants.yaml:33: plants[1].component_lines[0].units_per_wk: unknown key"

# ---- what the engines cannot take (issue 12) --------------------------------

too_large="is too large (at most 1e12 in absolute value)"
break_copy scenario.yaml "capex_budget_usd: 50000000" "capex_budget_usd: 1e30"
expect_check "budget beyond 1e12" "scenario.yaml:9: policy.capex_budget_usd: 1e30 $too_large" "1 error;"

break_copy scenario.yaml "    evaluation: 50000" "    evaluation: 1e25"
expect_check "penalty beyond 1e12" "scenario.yaml:12: policy.backlog_penalty_usd_per_rack_week.evaluation: 1e25 $too_large"

break_copy demand.csv "abilene-tx,alpha,10,12" "abilene-tx,alpha,10,1e30"
expect_check "demand cell beyond 1e12" "demand.csv:8: racks: 1e30 $too_large"

break_copy scenario.yaml "horizon_weeks: 12" "horizon_weeks: 521"
expect_check "horizon beyond 520" "scenario.yaml:5: horizon_weeks: 521 is outside 1..520"

break_copy plants.yaml "start_week: 2" "start_week: 100001"
expect_check "week field beyond 100000" "plants.yaml:17: plants[0].lines[1].start_week: 100001 is larger than 100000"

break_copy design_space.yaml "set: {cooling.coolant_delta_t_c: 8}" "set: {cooling.coolant_delta_t_c: 1e13}"
expect_check "design space override beyond 1e12" \
  "design_space.yaml:16: spaces[0].slots[1].options[1].set.cooling.coolant_delta_t_c: 1e13 $too_large"

break_bytes scenario.yaml "name: tiny" 'name: ti\xffny'
expect_check "scenario name not UTF-8" \
  "scenario.yaml:3: byte 0xff at column 9 is not valid UTF-8 (text must be UTF-8)" "1 error;"

break_bytes suppliers.csv "Flex,US" 'Flex\x00,US'
expect_check "NUL in a company name" "suppliers.csv:3: NUL byte at column 13 (text must not contain NUL bytes)" "1 error;"

break_bytes plants.yaml "    us_state: TX" '    us_st\xc0\xafte: TX'
expect_check "YAML key not UTF-8" "plants.yaml:22: byte 0xc0 at column 10 is not valid UTF-8"

break_copy scenario.yaml '"2026-W01"' '"2027-W53"'
expect_check "ISO week that does not exist" "scenario.yaml:4: start_week: '2027-W53' does not exist (2027 has 52 ISO weeks)"

rm -rf "$work/s" && cp -r "$src/tests/scenarios/tiny" "$work/s" && rm "$work/s/demand.csv" && mkfifo "$work/s/demand.csv"
expect_check "scenario file that is a FIFO" "demand.csv: is not a regular file (a FIFO)"

rm -rf "$work/s" && cp -r "$src/tests/scenarios/tiny" "$work/s" && ln -sf /dev/zero "$work/s/disruptions.yaml"
expect_check "scenario file linked to /dev/zero" "disruptions.yaml: is not a regular file (a character device)"

rm -rf "$work/s" && cp -r "$src/tests/scenarios/tiny" "$work/s" && truncate -s 65M "$work/s/demand.csv"
expect_check "scenario file beyond 64 MiB" "demand.csv: is 68157440 bytes (more than 64 MiB)"

# File and number arguments.
rm -rf "$work/s" && cp -r "$src/tests/scenarios/tiny" "$work/s" && mkfifo "$work/what-if.yaml"
expect_run "--disruptions FIFO" "$work/what-if.yaml: is not a regular file (a FIFO)" -- \
  plan "$work/s" --no-db --disruptions "$work/what-if.yaml"
expect_run "--seed -1" "--seed: '-1' is not an integer in 0..18446744073709551615" -- \
  simulate "$work/s" --runs 5 --seed=-1 --no-db
expect_run "--seed 2^64" "--seed: '18446744073709551616' is not an integer in 0..18446744073709551615" -- \
  simulate "$work/s" --runs 5 --seed 18446744073709551616 --no-db
expect_run "--seed hex" "--seed: '0x10' is not an integer in 0..18446744073709551615" -- \
  simulate "$work/s" --runs 5 --seed 0x10 --no-db
expect_run "generate --seed -1" "--seed: '-1' is not an integer in 0..18446744073709551615" -- \
  generate "$work/run/gen" --seed=-1
expect_run "simulate --threads 100000" "--threads: '100000' is not an integer in 0.." -- \
  simulate "$work/s" --runs 5 --seed 1 --threads 100000 --no-db
expect_run "risk --threads 100000" "--threads: '100000' is not an integer in 0.." -- \
  risk "$work/s" --threads 100000 --no-db
expect_run "risk --threads -1" "--threads: '-1' is not an integer in 0.." -- risk "$work/s" --threads=-1 --no-db

# A seed with a leading zero is decimal (CLI11 alone would read 010 as octal 8).
mkdir -p "$work/run" && rm -rf "$work/run"/*
(cd "$work/run" && "$bin" simulate "$work/s" --runs 50 --seed 010 --json --no-db >"$work/a.json" 2>/dev/null &&
  "$bin" simulate "$work/s" --runs 50 --seed 10 --json --no-db >"$work/b.json" 2>/dev/null &&
  "$bin" simulate "$work/s" --runs 50 --seed 8 --json --no-db >"$work/c.json" 2>/dev/null) ||
  { echo "FAIL [seed 010]: simulate failed" >&2; fail=1; }
cmp -s "$work/a.json" "$work/b.json" || { echo "FAIL [seed 010]: differs from --seed 10" >&2; fail=1; }
cmp -s "$work/a.json" "$work/c.json" && { echo "FAIL [seed 010]: same as --seed 8 (read as octal)" >&2; fail=1; }

exit $fail
