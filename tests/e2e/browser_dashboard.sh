#!/usr/bin/env bash
# Browser test of the dashboard (tests/browser/dashboard.mjs) with Debian's
# Chromium through playwright-core. Screenshots go to BUILD_DIR/browser-screenshots.
# usage: bash browser_dashboard.sh RACKFORGE_BIN SOURCE_DIR BUILD_DIR
set -euo pipefail
bin="$1"; src="$2"; build="$3"
if [ ! -d "$src/web/node_modules/playwright-core" ]; then
  echo "browser_dashboard: web/node_modules is missing; run scripts/install-deps.sh (npm ci in web/)" >&2
  exit 1
fi
if [ ! -x /usr/bin/chromium ]; then
  echo "browser_dashboard: /usr/bin/chromium is missing; run scripts/install-deps.sh" >&2
  exit 1
fi
# Build the dashboard when the bundle is missing or older than its sources.
if [ ! -f "$src/web/dist/index.html" ] || [ -n "$(find "$src/web/src" "$src/web/index.html" -newer "$src/web/dist/index.html" -print -quit)" ]; then
  (cd "$src/web" && npm run --silent build >&2)
fi
timeout 180 node "$src/tests/browser/dashboard.mjs" "$bin" "$src" "$build/browser-screenshots"
