#!/usr/bin/env bash
# The whole test suite on a fresh machine: Debian's Chromium and Virtuoso (when run
# as root), Comunica (npm) for the fragments test, a venv with kfgraph and its test
# dependencies, then pytest. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests drive for real: Chromium (browser tests) and Virtuoso (the
# remote-store suite; its service is never started, the tests start their own on loopback).
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v virtuoso-t >/dev/null 2>&1 || missing+=(virtuoso-opensource)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing Debian's ${missing[*]} for the tests" >&2
    apt-get update -qq >/dev/null
    # Virtuoso's package asks for a dba password through debconf and starts a service: preseed a
    # throwaway password (the tests set their own) and keep invoke-rc.d from starting anything.
    echo "virtuoso-opensource-7 virtuoso-opensource-7/dba-password password dba" | debconf-set-selections
    echo "virtuoso-opensource-7 virtuoso-opensource-7/dba-password-again password dba" | debconf-set-selections
    made_policy=""
    if [ ! -e /usr/sbin/policy-rc.d ]; then
      printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && made_policy=1
    fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    if [ -n "$made_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi
  else
    echo "${missing[*]} missing and cannot be installed here: the tests that need them will be skipped" >&2
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
    # the registry sometimes drops a connection: try again before giving up
    for attempt in 1 2 3; do
      (cd tests/comunica && npm ci --no-audit --no-fund --loglevel=error --fetch-retries=5) && break
      [ "$attempt" = 3 ] && exit 1
      echo "npm ci failed (attempt $attempt); trying again" >&2
      sleep 10
    done
  else
    echo "npm is missing and cannot be installed here: the Comunica test will be skipped" >&2
  fi
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[test]"

mkdir -p test-artifacts
exec .venv/bin/python -m pytest "$@"
