#!/usr/bin/env bash
# `rackforge serve` against hostile requests, on 127.0.0.1 only: bytes that
# are not UTF-8 in paths and bodies, deeply nested and out-of-range JSON, a
# second server on the same port, foreign Host/Origin (DNS rebinding,
# text/plain cross-site POSTs), trickling clients, megabytes of headers
# (memory must stay bounded), kept-alive latency (TCP_NODELAY), the
# security headers, and the warning for a non-loopback --host without token.
# Every check fails on the server as it was before the hardening.
# usage: bash serve_hardening.sh RACKFORGE_BIN SOURCE_DIR BUILD_DIR
set -euo pipefail
bin="$1"; src="$2"
work="$(mktemp -d)"
pid=""
cleanup() { if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then kill "$pid"; wait "$pid" || true; fi; rm -rf "$work"; }
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

mkdir -p "$work/dist"
echo '<!doctype html><title>dash</title>' > "$work/dist/index.html"
# The log exists before the server opens it: the port poll below must not race the redirection.
: > "$work/log"
"$bin" serve "$src/tests/scenarios/tiny" --port 0 --db "$work/runs.db" --web-dir "$work/dist" 2> "$work/log" &
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
alive() { kill -0 "$pid" 2>/dev/null && [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 20 "$url/api/health")" = 200 ]; }

# The probes that need raw bytes or many sockets, in one Python program.
# It prints "ok NAME" or "FAIL NAME: why" per probe.
python3 - "$port" "$pid" > "$work/probes" 2>&1 <<'EOF' || true
import socket, sys, time, json
port, pid = int(sys.argv[1]), int(sys.argv[2])

def rss_kb():
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])

def exchange(raw, timeout=20):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.sendall(raw)
    data = b""
    try:
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    except (ConnectionResetError, socket.timeout):
        pass
    s.close()
    return data

def status(reply):
    return int(reply.split(b" ", 2)[1]) if reply.startswith(b"HTTP/1.1 ") else -1

def body(reply):
    return reply.split(b"\r\n\r\n", 1)[1] if b"\r\n\r\n" in reply else b""

def check(name, cond, why=""):
    print(("ok " if cond else "FAIL ") + name + ("" if cond else ": " + why), flush=True)

host = f"Host: 127.0.0.1:{port}\r\n".encode()
# 1. a path that is not UTF-8
r = exchange(b"GET /api/\xff\xfe HTTP/1.1\r\n" + host + b"Connection: close\r\n\r\n")
check("utf8-path", status(r) == 404 and json.loads(body(r)) is not None, repr(r[:200]))
# 2. JSON bodies: bad UTF-8, deep nesting, overflow
def post(payload):
    return exchange(b"POST /api/scenarios/tiny/plan HTTP/1.1\r\n" + host + b"Content-Type: application/json\r\n"
                    + f"Content-Length: {len(payload)}\r\nConnection: close\r\n\r\n".encode() + payload)
for name, payload in [("utf8-body", b'{"option_demand": "\xff"}'),
                      ("deep-body", b'{"disruptions":' + b'{"a":' * 100000 + b'1' + b'}' * 100001),
                      ("overflow-body", b'{"domestic": 1e400}')]:
    r = post(payload)
    check(name, status(r) == 400, repr(r[:200]))
# 3. text/plain cross-site POST and DNS rebinding
r = exchange(b"POST /api/scenarios/tiny/plan HTTP/1.1\r\n" + host + b"Origin: http://evil.example\r\n"
             b"Content-Type: text/plain\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
check("cross-origin-post", status(r) == 403, repr(r[:200]))
r = exchange(f"GET /api/runs HTTP/1.1\r\nHost: rebound.example:{port}\r\nConnection: close\r\n\r\n".encode())
check("dns-rebinding", status(r) == 403, repr(r[:200]))
# 4. 40 clients trickling their headers must not starve /api/health
slow = []
for i in range(40):
    s = socket.create_connection(("127.0.0.1", port), timeout=5)
    s.sendall(b"GET /api/health HTTP/1.1\r\n" + host + b"X-Slow: ")
    slow.append(s)
time.sleep(0.5)
for s in slow:
    s.sendall(b"x")
r = exchange(b"GET /api/health HTTP/1.1\r\n" + host + b"Connection: close\r\n\r\n", timeout=8)
check("trickling-clients", status(r) == 200, repr(r[:200]))
for s in slow:
    s.close()
# 5. megabytes of headers: refused early, memory stays bounded
before = rss_kb()
for _ in range(4):
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    s.sendall(b"GET /api/health HTTP/1.1\r\n" + host)
    line = b"X-Big: " + b"v" * 4000 + b"\r\n"
    sent, reply = 0, b""
    try:
        while sent < 50 << 20:
            s.sendall(line * 16)
            sent += len(line) * 16
    except (BrokenPipeError, ConnectionResetError):
        pass
    try:
        reply = s.recv(65536)
    except (ConnectionResetError, socket.timeout):
        pass
    s.close()
    ok = sent < 50 << 20  # the server closed the connection long before 50 MB
    check("big-headers-cut", ok, f"server took {sent} bytes of headers")
grown = rss_kb() - before
print(f"info rss before {before} KB, grown by {grown} KB after 4 x 50 MB header attempts", flush=True)
check("big-headers-memory", grown < 50 * 1024, f"RSS grew by {grown} KB")
# 6. kept-alive requests are not delayed ~40 ms each (Nagle + delayed ACK)
s = socket.create_connection(("127.0.0.1", port), timeout=20)
start = time.monotonic()
for i in range(50):
    s.sendall(b"GET /api/health HTTP/1.1\r\n" + host + b"\r\n")
    got = b""
    while b"\r\n\r\n" not in got or not got.endswith(b"}"):
        got += s.recv(65536)
elapsed = time.monotonic() - start
s.close()
check("keep-alive-latency", elapsed < 1.5, f"50 kept-alive requests took {elapsed:.2f} s")
EOF
cat "$work/probes"
! grep -q '^FAIL' "$work/probes" || fail "$(grep '^FAIL' "$work/probes" | head -5)"
[ "$(grep -c '^ok' "$work/probes")" = 13 ] || fail "probes incomplete: $(tail -5 "$work/probes")"
alive || fail "server not answering after the probes"

# Security headers.
curl -s -D "$work/h" -o /dev/null "$url/api/health"
grep -qi '^Cache-Control: no-store' "$work/h" || fail "API reply without Cache-Control: no-store"
grep -qi '^X-Content-Type-Options: nosniff' "$work/h" || fail "API reply without nosniff"
curl -s -D "$work/h" -o /dev/null "$url/"
grep -qi "^Content-Security-Policy:.*frame-ancestors 'none'" "$work/h" || fail "dashboard without CSP"
# curl sends no Origin: allowed; the server's own Origin too.
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "Origin: $url" -X POST -H 'Content-Type: application/json' \
  -d '{}' "$url/api/scenarios/tiny/risk")" = 202 ] || fail "same-origin POST refused"

# A second server on the same port fails with exit 2.
set +e
timeout 20 "$bin" serve "$src/tests/scenarios/tiny" --port "$port" --db "$work/runs2.db" 2> "$work/err2"
status=$?
set -e
[ "$status" = 2 ] || fail "second serve on port $port: exit $status, $(cat "$work/err2")"
grep -q "cannot listen on 127.0.0.1:$port" "$work/err2" || fail "second serve message: $(cat "$work/err2")"
alive || fail "first server gone after the second tried"

# A non-loopback --host without token warns (192.0.2.1 is TEST-NET: binding fails, exit 2).
set +e
timeout 20 "$bin" serve "$src/tests/scenarios/tiny" --host 192.0.2.1 --port 0 --db "$work/runs3.db" 2> "$work/err3"
status=$?
set -e
grep -q "no --token is set" "$work/err3" || fail "no warning for a non-loopback host: $(cat "$work/err3")"
[ "$status" = 2 ] || fail "unbindable host: exit $status"

kill -TERM "$pid"
status=0; wait "$pid" || status=$?
pid=""
[ "$status" = 0 ] || fail "serve exit code after SIGTERM: $status"
echo "serve_hardening: 1 passed, 0 failed"
