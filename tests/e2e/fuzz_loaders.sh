#!/usr/bin/env bash
# Builds the loader's libFuzzer targets with clang (ASan + UBSan) in a
# separate build dir and runs each for a bounded time, seeded from
# tests/scenarios/tiny. Fails on any crash, sanitizer report or leak.
# Usage: fuzz_loaders.sh RACKFORGE_BIN SOURCE_DIR BUILD_DIR
set -euo pipefail
src="$2"
build="$3/fuzz"
seconds_per_target="${FUZZ_SECONDS:-45}"

cmake -S "$src/tests/fuzz" -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build.configure.log" 2>&1 ||
  { cat "$build.configure.log"; exit 1; }
cmake --build "$build" -j2 >"$build.build.log" 2>&1 || { tail -50 "$build.build.log"; exit 1; }

# Seed corpus: one input per tiny file ("name\ntext"), plus the special inputs.
corpus="$build/corpus-scenario"
rm -rf "$corpus" "$build/corpus-csv"
mkdir -p "$corpus" "$build/corpus-csv"
tiny="$src/tests/scenarios/tiny"
i=0
for f in "$tiny"/*.yaml "$tiny"/*.csv "$tiny"/designs/*.yaml; do
  name="${f#"$tiny"/}"
  { printf '%s\n' "$name"; cat "$f"; } >"$corpus/seed-$i"
  i=$((i + 1))
  case "$f" in *.csv) cp "$f" "$build/corpus-csv/$(basename "$f")" ;; esac
done
{ printf '@disruptions\n'; cat "$tiny/disruptions.yaml"; } >"$corpus/seed-disruptions"
printf '@json\n[{"node": "plant:wi-mp", "start_week": 1, "weeks": 2, "capacity_loss": 0.5}]' >"$corpus/seed-json"
# Inputs at and beyond the limits (numbers beyond 1e12, weeks beyond 100000,
# horizon beyond 520, text that is not UTF-8, NUL bytes, ISO weeks that do not
# exist), so the fuzzer starts from the edges of the rules.
python3 - "$tiny" "$corpus" <<'PY'
import sys
tiny, corpus = sys.argv[1:]
def variant(tag, name, old, new, target=None):
    data = open(f"{tiny}/{name}", "rb").read()
    assert data.count(old) == 1, (name, old)
    with open(f"{corpus}/limit-{tag}", "wb") as out:
        out.write((target or name).encode() + b"\n" + data.replace(old, new))
variant("capex", "scenario.yaml", b"capex_budget_usd: 50000000", b"capex_budget_usd: 1e30")
variant("capex-edge", "scenario.yaml", b"capex_budget_usd: 50000000", b"capex_budget_usd: 1e12")
variant("horizon", "scenario.yaml", b"horizon_weeks: 12", b"horizon_weeks: 521")
variant("w53", "scenario.yaml", b'"2026-W01"', b'"2027-W53"')
variant("name-utf8", "scenario.yaml", b"name: tiny", b"name: ti\xffny")
variant("name-nul", "scenario.yaml", b"name: tiny", b"name: ti\x00ny")
variant("company-latin1", "suppliers.csv", b"Flex,US", b"Fl\xe9x,US")
variant("key-overlong", "plants.yaml", b"    us_state: TX", b"    us_st\xc0\xafte: TX")
variant("week", "plants.yaml", b"start_week: 2", b"start_week: 100001")
variant("racks", "demand.csv", b"abilene-tx,alpha,10,12", b"abilene-tx,alpha,10,1e30")
variant("racks-sum", "demand.csv", b"abilene-tx,alpha,3,5,firm", b"abilene-tx,alpha,3,999999999999,firm")
variant("set", "design_space.yaml", b"coolant_delta_t_c: 8", b"coolant_delta_t_c: 1e13")
variant("disruption-bytes", "disruptions.yaml", b"plant:tx-hou", b"plant:tx-\xed\xa0\x80", "@disruptions")
variant("disruption-weeks", "disruptions.yaml", b"weeks: 2}", b"weeks: 100001}", "@disruptions")
PY
printf '@json\n[{"node": "plant:wi-mp", "start_week": 1, "weeks": 1e9, "capacity_loss": 0.5}]' >"$corpus/limit-json"

status=0
for target in fuzz_scenario fuzz_csv; do
  dir="$build/corpus-${target#fuzz_}"
  echo "fuzzing $target for ${seconds_per_target}s" >&2
  (cd "$build" && "./$target" "$dir" -max_total_time="$seconds_per_target" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 >"$build/$target.log" 2>&1) || {
    echo "FAIL: $target crashed; see $build/$target.log" >&2
    tail -40 "$build/$target.log" >&2
    status=1
  }
  grep -E "^(stat::number_of_executed_units|#[0-9]+.*DONE)" "$build/$target.log" >&2 || true
done
exit $status
