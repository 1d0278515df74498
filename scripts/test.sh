#!/usr/bin/env bash
# The whole test suite on a fresh machine: a venv with kfgraph and its test
# dependencies, Debian's Chromium for the browser tests (when run as root),
# Comunica (npm) for the fragments test, then pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's chromium for the browser tests" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "chromium is missing and cannot be installed here: browser tests will be skipped" >&2
  fi
fi

# Comunica, the Triple Pattern Fragments client of tests/web/test_fragments_comunica.py, from the
# committed lock file (npm's registry; the test itself then runs offline on loopback)
if [ ! -d tests/comunica/node_modules ]; then
  if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's nodejs and npm for the Comunica test" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
  fi
  if command -v npm >/dev/null 2>&1; then
    (cd tests/comunica && npm ci --no-audit --no-fund --loglevel=error)
  else
    echo "npm is missing and cannot be installed here: the Comunica test will be skipped" >&2
  fi
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"

mkdir -p test-artifacts
exec .venv/bin/python -m pytest "$@"
