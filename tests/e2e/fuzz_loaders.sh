#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) in a separate build
# dir and runs each for a bounded time: the loader targets seeded from
# tests/scenarios/tiny (FUZZ_SECONDS each, default 45), the HTTP target
# seeded with a few API requests (FUZZ_HTTP_SECONDS, default 20). Fails on
# any crash, sanitizer report or leak.
# Usage: fuzz_loaders.sh RACKFORGE_BIN SOURCE_DIR BUILD_DIR
set -euo pipefail
src="$2"
build="$3/fuzz"
seconds_per_target="${FUZZ_SECONDS:-45}"
http_seconds="${FUZZ_HTTP_SECONDS:-20}"

cmake -S "$src/tests/fuzz" -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo >"$build.configure.log" 2>&1 ||
  { cat "$build.configure.log"; exit 1; }
cmake --build "$build" -j2 >"$build.build.log" 2>&1 || { tail -50 "$build.build.log"; exit 1; }

# Seed corpus: one input per tiny file ("name\ntext"), plus the special inputs.
corpus="$build/corpus-scenario"
rm -rf "$corpus" "$build/corpus-csv" "$build/corpus-http"
mkdir -p "$corpus" "$build/corpus-csv" "$build/corpus-http"
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
variant("bom-qty", "component_boms.csv", b"psu-brick,psu-cell,2", b"psu-brick,psu-cell,1e13")
variant("bom-cycle", "component_boms.csv", b"psu-brick,psu-cell,2", b"psu-brick,psu-cell,2\npsu-cell,ps-33kw,1")
variant("cline-week", "plants.yaml", b"start_week: 1", b"start_week: 100001")
variant("cline-kind", "plants.yaml", b"kind: component_line", b"kind: component-line")
variant("disruption-cline", "disruptions.yaml", b"plant:tx-hou", b"line:tx-ps", "@disruptions")
variant("disruption-bytes", "disruptions.yaml", b"plant:tx-hou", b"plant:tx-\xed\xa0\x80", "@disruptions")
variant("disruption-weeks", "disruptions.yaml", b"weeks: 2}", b"weeks: 100001}", "@disruptions")
PY
printf '@json\n[{"node": "plant:wi-mp", "start_week": 1, "weeks": 1e9, "capacity_loss": 0.5}]' >"$corpus/limit-json"

# HTTP seeds: first byte 0 = no token (Host/Origin guard), 1 = token "tok"; then raw requests.
http="$build/corpus-http"
printf '\000GET /api/health HTTP/1.1\r\nHost: 127.0.0.1:0\r\n\r\n' >"$http/get"
printf '\000GET /api/runs/1/diff/2 HTTP/1.1\r\nOrigin: http://localhost:0\r\nSec-Fetch-Site: same-origin\r\n\r\n' >"$http/diff"
body='{"domestic": 0.5, "option_demand": "all", "disruptions": [{"node": "plant:wi-mp", "start_week": 1, "weeks": 2, "capacity_loss": 0.5}]}'
printf '\000POST /api/scenarios/tiny/plan HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n%s' \
  "${#body}" "$body" >"$http/plan"
printf '\001POST /api/scenarios/tiny/simulate HTTP/1.1\r\nAuthorization: Bearer tok\r\nContent-Length: 23\r\n\r\n{"runs": 10, "seed": 7}GET /api/jobs/job-1 HTTP/1.1\r\nAuthorization: Bearer tok\r\n\r\n' >"$http/simulate"
printf '\000POST /api/scenarios/tiny/risk HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n' >"$http/risk"

status=0
for target in fuzz_scenario fuzz_csv fuzz_http; do
  dir="$build/corpus-${target#fuzz_}"
  seconds="$seconds_per_target"
  [ "$target" = fuzz_http ] && seconds="$http_seconds"
  echo "fuzzing $target for ${seconds}s" >&2
  (cd "$build" && "./$target" "$dir" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -max_len=65536 -print_final_stats=1 >"$build/$target.log" 2>&1) || {
    echo "FAIL: $target crashed; see $build/$target.log" >&2
    tail -40 "$build/$target.log" >&2
    status=1
  }
  grep -E "^(stat::number_of_executed_units|#[0-9]+.*DONE)" "$build/$target.log" >&2 || true
done
exit $status
