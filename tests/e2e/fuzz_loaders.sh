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
