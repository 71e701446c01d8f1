#!/usr/bin/env bash
# CLI and server are one product: the README's workflow
#   rackforge plan scenarios/us-ai-racks-2026 --db runs.db
#   rackforge serve scenarios/us-ai-racks-2026 --db runs.db
# shows the CLI's run in the dashboard: /api/runs lists it under the served
# scenario's id and content hash with the status the dashboard treats as
# finished, and the overview's data (the latest done plan of that scenario,
# with its result) is there. Then: SIGTERM during a long simulation ends
# `serve` within seconds and the run is interrupted; after kill -9 of `serve`
# its running and queued runs are interrupted when the store is next opened.
# usage: bash cli_serve_one_store.sh RACKFORGE_BIN SOURCE_DIR BUILD_DIR
set -euo pipefail
bin="$(realpath "$1")"; src="$(realpath "$2")"
work="$(mktemp -d)"
pid=""
cleanup() { if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill -9 "$pid"; wait "$pid" || true; fi; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
cd "$src"  # the README's relative path

"$bin" plan scenarios/us-ai-racks-2026 --db "$work/runs.db" >/dev/null 2>"$work/plan.log" || fail "plan: $(tail -3 "$work/plan.log")"

start_server() {
  : > "$work/serve.log"  # exists before the server opens it: the port poll must not race the redirection
  "$bin" serve scenarios/us-ai-racks-2026 --db "$work/runs.db" --port 0 --web-dir "$work" 2>"$work/serve.log" &
  pid=$!
  port=""
  for _ in $(seq 1 600); do
    port="$(sed -n 's|.*on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$work/serve.log" | head -1)"
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || fail "serve exited early: $(cat "$work/serve.log")"
    sleep 0.1
  done
  [ -n "$port" ] || fail "serve did not report its port"
  url="http://127.0.0.1:$port"
}
get() { curl -sf "$url$1"; }

start_server
get /api/scenarios >"$work/scenarios.json"
get /api/runs >"$work/runs.json"
run_id="$(python3 - "$work/scenarios.json" "$work/runs.json" <<'PY'
import json, sys
scenarios = json.load(open(sys.argv[1]))
runs = json.load(open(sys.argv[2]))
served = scenarios[0]
plans = [r for r in runs if r["kind"] == "plan"]
assert len(plans) == 1, runs
run = plans[0]
assert run["scenario_id"] == served["id"], (run["scenario_id"], served["id"])
assert run["input_hash"] == served["input_hash"], (run["input_hash"], served["input_hash"])
assert run["status"] == "done", run["status"]  # the status the dashboard shows charts for
# The dashboard's own choice (web/src/main.ts, state.ts runsOf): the latest run's scenario,
# then the newest done plan of that scenario.
latest = max(runs, key=lambda r: (r["created_at"], int(r["id"])))
assert latest["scenario_id"] == served["id"]
done = [r for r in runs if r["scenario_id"] == served["id"] and r["kind"] == "plan" and r["status"] == "done"]
assert done, "the overview would be empty"
print(done[0]["id"])
PY
)" || fail "CLI run not visible to the server: $(cat "$work/runs.json")"
get "/api/runs/$run_id" >"$work/run.json"
python3 - "$work/run.json" <<'PY' || fail "the overview's run has no data"
import json, sys
run = json.load(open(sys.argv[1]))
result = run["result"]
for key in ("objective_usd", "racks_built_by_week", "racks_built_by_plant", "cost_breakdown_usd", "status"):
    assert key in result, key
assert len(result["racks_built_by_week"]) > 0 and result["racks_built"] > 0
print("overview data ok: run", run["id"], result["status"], round(result["objective_usd"]), "USD")
PY

# SIGTERM while a simulation runs: serve ends within seconds, the run is interrupted.
post() { curl -sf -X POST -H 'Content-Type: application/json' -d "$2" "$url$1"; }
job="$(post /api/scenarios/us-ai-racks-2026/simulate '{"runs": 1000000, "seed": 5}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["job_id"])')"
for _ in $(seq 1 600); do
  progress="$(get "/api/jobs/$job" | python3 -c 'import json,sys; j=json.load(sys.stdin); print(j["progress"] if j["status"]=="running" else -1)')"
  python3 -c "import sys; sys.exit(0 if $progress > 0.1 else 1)" && break
  sleep 0.1
done
t0=$(date +%s%N)
kill -TERM "$pid"
code=0; wait "$pid" || code=$?
pid=""
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
echo "serve stopped ${ms} ms after SIGTERM during a 1e6-run simulation"
[ "$code" = 0 ] || fail "serve exit code after SIGTERM: $code"
[ "$ms" -lt 10000 ] || fail "serve took ${ms} ms to stop"
"$bin" runs list --db "$work/runs.db" --json >"$work/after-term.json"
python3 - "$work/after-term.json" <<'PY' || fail "runs after SIGTERM"
import json, sys
runs = json.load(open(sys.argv[1]))
sim = [r for r in runs if r["kind"] == "simulate"]
assert len(sim) == 1 and sim[0]["status"] == "interrupted", sim
PY

# kill -9 of serve with a running and a queued job: both runs interrupted on the next open.
start_server
post /api/scenarios/us-ai-racks-2026/simulate '{"runs": 1000000, "seed": 6}' >/dev/null
post /api/scenarios/us-ai-racks-2026/plan '{}' >/dev/null
get /api/runs | python3 -c 'import json,sys; s=[r["status"] for r in json.load(sys.stdin)][:2]; assert s[0]=="queued" and s[1] in ("queued","running"), s' \
  || fail "expected a queued and a running run"
kill -9 "$pid"; wait "$pid" 2>/dev/null || true
pid=""
"$bin" runs list --db "$work/runs.db" --json >"$work/after-kill.json"
python3 - "$work/after-kill.json" <<'PY' || fail "runs after kill -9: $(cat "$work/after-kill.json" | head -c 600)"
import json, sys
runs = json.load(open(sys.argv[1]))
assert not [r for r in runs if r["status"] in ("queued", "running")], [(r["id"], r["status"]) for r in runs]
assert [r["status"] for r in runs[:2]] == ["interrupted", "interrupted"], [r["status"] for r in runs[:3]]
PY
echo "cli_serve_one_store: ok"
