#!/usr/bin/env bash
# Installs what rackforge needs to build, test and benchmark, from Debian's
# packages and the npm registry only. Idempotent: a second run installs nothing.
# Node.js 20 and npm are expected to be preinstalled (Debian's nodejs/npm
# packages conflict with them and are too old for vite).
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"

APT_PACKAGES=(
  build-essential cmake pkg-config ccache
  coinor-libcbc-dev coinor-cbc glpk-utils
  libyaml-cpp-dev nlohmann-json3-dev libcli11-dev libfmt-dev libspdlog-dev
  libsqlite3-dev sqlite3 libpqxx-dev postgresql
  libxlsxwriter-dev libcpp-httplib-dev libssl-dev zlib1g-dev libtbb-dev
  libopenmpi-dev openmpi-bin
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev
  wrk chromium
  python3-scipy
)

missing=()
for p in "${APT_PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}" >&2
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
else
  echo "install-deps: Debian packages present" >&2
fi

# Front-end dependencies (dashboard build and browser tests), pinned in web/package-lock.json.
if [ -f "$here/web/package.json" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "install-deps: npm is missing; Node.js 20 with npm is required for the dashboard" >&2
    exit 1
  fi
  stamp="$here/web/node_modules/.install-stamp"
  if [ ! -f "$stamp" ] || [ "$here/web/package-lock.json" -nt "$stamp" ]; then
    echo "install-deps: npm ci in web/" >&2
    (cd "$here/web" && npm ci --no-audit --no-fund --loglevel=error >&2)
    touch "$stamp"
  else
    echo "install-deps: npm packages present" >&2
  fi
fi
