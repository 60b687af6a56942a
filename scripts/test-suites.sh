#!/usr/bin/env bash
# The test suites, run by scripts/test.sh after the build. Two phases, so the suites that measure timing (leader
# election, debouncing, watches) do not compete for two cores with JVMs starting and jobs being submitted:
#   1. the unit and loopback suites (the Kubernetes emulator, the HTTP transport, the controller runtime, ...),
#      with no Flink running, then the seeded fault simulation's CI slice and mutants on their own;
#   2. the suites against real Flink (FLINK_SUITES below, in four groups) plus the CRD and packaging checks, inside
#      `scripts/flink-session.sh with-test-clusters`, which starts the 'test' and 'test-adaptive' instances,
#      exports FLINK_TEST_REST_URL and FLINK_TEST_ADAPTIVE_REST_URL, and stops them afterwards.
# Runs every phase even when an earlier one fails, then fails if any did.
#
# Usage: scripts/test-suites.sh            both phases
#        scripts/test-suites.sh flink-phase  phase 2 only (what with-test-clusters runs)
set -uo pipefail
cd "$(dirname "$0")/.."

# Test identifiers (module.Type/test) of the suites that need a real Flink session cluster, in four groups run
# one after the other: Flink client, operator end to end, local mode, chaos. Within a group suites run in parallel;
# across groups they would crowd two cores and the JobManager (PyFlink submissions must not overlap others).
FLINK_REST_SUITES='FlinkRESTTests\..*IntegrationTests/'
OPERATOR_SUITES='FlinkJobOperatorTests\.(.*EndToEndTests|KubectlWalkthroughTests|FlinkSessionClusterControllerTests)/'
LOCAL_MODE_SUITES='LocalModeTests\.(LocalModeEndToEndTests|QuickstartTests)/'
# The real-Flink chaos run's CI slice (one schedule on its own dedicated instance; scripts/chaos-run.sh runs more).
CHAOS_SUITES='FlinkJobOperatorTests\.ChaosRunTests/'
FLINK_SUITES="$FLINK_REST_SUITES|$OPERATOR_SUITES|$LOCAL_MODE_SUITES|$CHAOS_SUITES"
# The seeded fault simulation keeps both cores busy for about three minutes: a step of its own, after the suites
# that measure timing (debounce, leases, streaming memory), which it would otherwise starve.
SIMULATION_SUITES='FlinkJobOperatorTests\.FaultSimulation'

FJC_OPERATOR_BINARY="$(swift build --show-bin-path)/flink-job-controller"
export FJC_OPERATOR_BINARY
# Swift Testing captures a backtrace for every thrown error (even one caught at once, as JSON decoding does all
# the time): it made the fault simulation four times slower. Failures still name the error and the expectation.
export SWT_SWIFT_ERROR_BACKTRACING_ENABLED=0

failed=()
# Each step runs in the background and is waited for, so that SIGTERM/SIGINT (a CI timeout, Ctrl-C) reaches this
# script at once; it is passed on to the running step (with-test-clusters then stops its Flink instances) and the
# script exits 128 + the signal number.
child=""
forward() {
  trap '' TERM INT
  if [ -n "$child" ]; then kill -s "$1" "$child" 2>/dev/null; wait "$child" 2>/dev/null; fi
  exit $(( 128 + $2 ))
}
trap 'forward TERM 15' TERM
trap 'forward INT 2' INT
run() {
  printf '\n==> %s\n' "$*" >&2
  "$@" &
  child=$!
  wait "$child" || failed+=("$*")
  child=""
}

if [ "${1:-}" = flink-phase ]; then
  run swift test --skip-build --filter "$FLINK_REST_SUITES"
  run swift test --skip-build --filter "$OPERATOR_SUITES"
  run swift test --skip-build --filter "$LOCAL_MODE_SUITES"
  run swift test --skip-build --filter "$CHAOS_SUITES"
  run scripts/check-crds.sh
  run scripts/check-packaging.sh
else
  run swift test --skip-build --skip "$FLINK_SUITES|$SIMULATION_SUITES"
  run swift test --skip-build --filter "$SIMULATION_SUITES"
  run scripts/flink-session.sh with-test-clusters -- scripts/test-suites.sh flink-phase
fi

if [ "${#failed[@]}" -gt 0 ]; then
  printf '\nFAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
