#!/usr/bin/env bash
# `rackforge serve` from the command line: binds a free port, reads the token
# from RACKFORGE_TOKEN, answers 401/200, serves the dashboard, rejects path
# traversal, plans through the API, stops cleanly on SIGTERM (exit 0), and
# exits 2 for a bad scenario folder.
# usage: bash serve_api.sh RACKFORGE_BIN SOURCE_DIR BUILD_DIR
set -euo pipefail
bin="$1"; src="$2"
work="$(mktemp -d)"
pid=""
cleanup() { if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" || true; fi; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

mkdir -p "$work/dist"
echo '<!doctype html><title>dash</title>' > "$work/dist/index.html"
echo 'SECRET' > "$work/secret.txt"
# The log exists before the server opens it: the port poll below must not race the redirection.
: > "$work/log"
RACKFORGE_TOKEN=tok3n "$bin" serve "$src/tests/scenarios/tiny" --port 0 --db "$work/runs.db" --web-dir "$work/dist" \
  2> "$work/log" &
pid=$!
port=""
for _ in $(seq 1 300); do
  port="$(sed -n 's|.*on http://127\.0\.0\.1:\([0-9]*\)/.*|\1|p' "$work/log" | head -1)"
  [ -n "$port" ] && break
  kill -0 "$pid" 2>/dev/null || fail "serve exited early: $(cat "$work/log")"
  sleep 0.1
done
[ -n "$port" ] || fail "serve did not report its port"
url="http://127.0.0.1:$port"
code() { curl -s -o "$work/body" -w '%{http_code}' "$@"; }

[ "$(code "$url/api/health")" = 401 ] || fail "no token must give 401"
grep -q '"error":"missing or wrong bearer token"' "$work/body" || fail "401 body: $(cat "$work/body")"
[ "$(code -H 'Authorization: Bearer wrong' "$url/api/health")" = 401 ] || fail "wrong token must give 401"
[ "$(code -H 'Authorization: Bearer tok3n' "$url/api/health")" = 200 ] || fail "right token must give 200"
grep -q '"status":"ok"' "$work/body" || fail "health body: $(cat "$work/body")"
[ "$(code "$url/")" = 200 ] || fail "dashboard index"
grep -q '<title>dash</title>' "$work/body" || fail "index body"
for p in '/../secret.txt' '/%2e%2e/secret.txt' '/%2e%2e%2fsecret.txt' '/.%2e/secret.txt'; do
  c="$(code --path-as-is "$url$p")"
  [ "$c" != 200 ] || fail "traversal $p served a file"
  ! grep -q SECRET "$work/body" || fail "traversal $p leaked the secret"
done
auth=(-H 'Authorization: Bearer tok3n')
[ "$(code "${auth[@]}" -X POST -d '{"domestic": 2}' "$url/api/scenarios/tiny/plan")" = 400 ] || fail "bad domestic"
grep -q 'domestic: 2 is outside 0..1' "$work/body" || fail "400 body: $(cat "$work/body")"
[ "$(code "${auth[@]}" -X POST -d '{}' "$url/api/scenarios/tiny/plan")" = 202 ] || fail "plan accepted"
run_id="$(sed -n 's/.*"run_id":"\([0-9]*\)".*/\1/p' "$work/body")"
[ -n "$run_id" ] || fail "no run id in $(cat "$work/body")"
for _ in $(seq 1 600); do
  code "${auth[@]}" "$url/api/runs/$run_id" > /dev/null
  grep -Eq '"status":"(queued|running)"' "$work/body" || break
  sleep 0.1
done
grep -q '"status":"done"' "$work/body" || fail "run did not finish: $(head -c 300 "$work/body")"
grep -q '"objective_usd"' "$work/body" || fail "run result has no objective"

kill -TERM "$pid"
status=0; wait "$pid" || status=$?
pid=""
[ "$status" = 0 ] || fail "serve exit code after SIGTERM: $status"

set +e
"$bin" serve "$work/no-such-scenario" --port 0 --db "$work/runs.db" 2> "$work/err"
status=$?
set -e
[ "$status" = 2 ] || fail "bad scenario folder: exit $status, $(cat "$work/err")"
echo "serve_api: 1 passed, 0 failed"
