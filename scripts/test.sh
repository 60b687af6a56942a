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

step "System packages"
scripts/install-deps.sh

step "Flink 2.3 (project-local virtualenv) and test jobs"
scripts/flink-session.sh install
scripts/flink-session.sh jobs

step "Build (debug, with tests)"
swift build --build-tests

step "Test suites (unit and emulator suites; then the suites against real Flink, CRD and packaging checks)"
scripts/test-suites.sh

step "All tests passed"
