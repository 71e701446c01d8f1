#!/usr/bin/env bash
# risk: --json shape and order, --nodes filter, --out files, identical JSON for
# 1 and 2 threads, exit code 2 with a message for a bad --nodes value or a
# foreign --out folder (refused before solving; nothing written); stdout JSON alone on a
# generated v2 scenario.
# Usage: risk_cli.sh RACKFORGE_BIN SOURCE_DIR BUILD_DIR
set -euo pipefail
bin="$1"; src="$2"
scenario="$src/tests/scenarios/tiny"
[ -d "$scenario" ] || scenario="$src/scenarios/us-ai-racks-2026"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$bin" risk "$scenario" --json --no-db --threads 1 >"$work/r1.json" 2>"$work/r1.err"
"$bin" risk "$scenario" --json --no-db --threads 2 --out "$work/out" >"$work/r2.json" 2>/dev/null
cmp -s "$work/r1.json" "$work/r2.json" || fail "1 and 2 threads differ"
grep -q "nodes" "$work/r1.err" || fail "no progress on stderr"
python3 - "$work/r1.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
assert set(j) == {"start_week", "nodes", "concentration"}, list(j)
assert j["nodes"], "no nodes"
for n in j["nodes"]:
    assert set(n) == {"node", "recovery_weeks", "tts_weeks", "pi_rack_weeks", "exposure_index", "exposed"}, n
    assert n["node"].split(":")[0] in ("plant", "line", "supplier")
    assert n["pi_rack_weeks"] >= 0 and 0 <= n["exposure_index"] <= 1
    assert n["exposed"] == (n["tts_weeks"] < n["recovery_weeks"])
idx = [n["exposure_index"] for n in j["nodes"]]
assert idx == sorted(idx, reverse=True), "not sorted by exposure"
assert max(idx) in (0, 1)
assert set(j["concentration"]) == {"by_state", "by_country"}
PY
[ -s "$work/out/risk.json" ] && grep -q "<svg" "$work/out/risk.html" || fail "--out files missing"
"$bin" risk "$scenario" --json --no-db --nodes plant 2>/dev/null | python3 -c '
import json, sys
j = json.load(sys.stdin)
assert j["nodes"] and all(n["node"].startswith("plant:") for n in j["nodes"]), j["nodes"]'
"$bin" risk "$scenario" --no-db --nodes supplier 2>/dev/null | grep -q "exposure" || fail "no table without --json"

set +e
"$bin" risk "$scenario" --no-db --nodes plant,warehouse >/dev/null 2>"$work/err"; code=$?
set -e
[ "$code" = 2 ] || fail "bad --nodes exit $code, expected 2"
grep -q -- "--nodes: 'warehouse' is not one of plant, line, supplier" "$work/err" || fail "message: $(cat "$work/err")"

# --out into a folder rackforge did not write: refused before any solving, the folder untouched.
mkdir -p "$work/foreign" && echo keep >"$work/foreign/notes.txt"
set +e
"$bin" risk "$scenario" --no-db --out "$work/foreign" >/dev/null 2>"$work/err"; code=$?
set -e
[ "$code" = 2 ] || fail "foreign --out exit $code, expected 2"
grep -q "was not written by rackforge" "$work/err" || fail "message: $(cat "$work/err")"
[ "$(ls -A "$work/foreign")" = "notes.txt" ] || fail "foreign folder changed: $(ls -A "$work/foreign")"
[ -z "$(ls -A "$work" | grep -e '\.tmp-' || true)" ] || fail "temporary folder left behind"
# a second run may replace the folder the first one wrote
"$bin" risk "$scenario" --no-db --out "$work/out" >/dev/null 2>&1 || fail "cannot rewrite own --out"
# stdout carries the JSON and nothing else on a generated v2 scenario too (lanes, transfers,
# component lines): no solver library may print there (CLP's positive-edge pricing would).
"$bin" generate "$work/gen" --plants 3 --designs 2 --components 20 --suppliers 10 --weeks 20 --seed 5 \
  --supply-lanes --transfers --component-lines 3 >/dev/null 2>&1 || fail "generate"
"$bin" risk "$work/gen" --json --no-db --threads 2 2>/dev/null | python3 -c '
import json, sys
j = json.load(sys.stdin)
assert j["nodes"], "no nodes"' || fail "risk --json on a generated scenario is not JSON alone"
echo "ok: risk CLI"
