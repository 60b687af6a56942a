#!/usr/bin/env bash
# The test command (README "Testing"; .ci/run calls exactly this).
#
# On a fresh Debian 12 machine with Swift 6.3 it installs what the build and the tests need (Debian packages,
# Java 17, the Flink 2.3 wheels in a project-local virtualenv, the Python tools for the CRD checks), builds the
# package and its tests, starts real local Flink session clusters, runs every test suite against them and the
# Kubernetes API emulator, and stops exactly the Flink processes it started — also when a test fails.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*" >&2; }

# Steps run in the background and are waited for, so that SIGTERM/SIGINT (a CI timeout, Ctrl-C) is handled at
# once: it is passed on to the running step (the Flink instances it started are stopped) and the script exits
# 128 + the signal number.
child=""
forward() {
  trap '' TERM INT
  if [ -n "$child" ]; then kill -s "$1" "$child" 2>/dev/null; wait "$child" 2>/dev/null; fi
  exit $(( 128 + $2 ))
}
trap 'forward TERM 15' TERM
trap 'forward INT 2' INT
run_step() {
  "$@" &
  child=$!
  local status=0
  wait "$child" || status=$?
  child=""
  return "$status"
}

step "System packages"
run_step scripts/install-deps.sh

step "Flink 2.3 (project-local virtualenv) and test jobs"
run_step scripts/flink-session.sh install
run_step scripts/flink-session.sh jobs

step "Build (debug, with tests)"
run_step swift build --build-tests

step "Test suites (unit and emulator suites; then the suites against real Flink, CRD and packaging checks)"
run_step scripts/test-suites.sh

step "All tests passed"
