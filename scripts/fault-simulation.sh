#!/usr/bin/env bash
# The seeded fault simulation, beyond the CI slice: runs seeds FROM..FROM+N-1 (each one reproducible history of
# user actions and faults against the real reconcilers, the API emulator and the Flink model) and reports seeds/s,
# faults per seed and every violating seed with its trace.
#
# A violating seed is reported with its history shrunk to the steps that still break the promise.
#
# Usage: scripts/fault-simulation.sh [--seeds N] [--from S] [--mutant none|ignoresLeadership|forgetsRestorePath|randomJobIDs] [--debug]
#        scripts/fault-simulation.sh --replay SEED [--mutant M] [--debug]    one seed, its schedule, trace and shrunk history
#
# It builds and runs the tests optimised (release, with testing enabled; the first build takes about 12 minutes
# on two cores); --debug uses the debug build the test suite uses (about 6 times slower to run).
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=1000 from=1 mutant=none replay="" configuration=(-c release -Xswiftc -enable-testing)
while [ $# -gt 0 ]; do
  case "$1" in
    --seeds) seeds="$2"; shift 2 ;;
    --from) from="$2"; shift 2 ;;
    --mutant) mutant="$2"; shift 2 ;;
    --replay) replay="$2"; shift 2 ;;
    --debug) configuration=(-c debug); shift ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
swift build "${configuration[@]}" --build-tests >&2
# Swift Testing captures a backtrace for every thrown error; decoding JSON throws (and catches) a great deal.
export SWT_SWIFT_ERROR_BACKTRACING_ENABLED=0
if [ -n "$replay" ]; then
  FJC_SIMULATION_SEED="$replay" FJC_SIMULATION_MUTANT="$mutant" exec swift test "${configuration[@]}" --skip-build --filter 'FaultSimulationReplay'
fi
FJC_SIMULATION_SEEDS="$seeds" FJC_SIMULATION_FROM="$from" FJC_SIMULATION_MUTANT="$mutant" \
  exec swift test "${configuration[@]}" --skip-build --filter 'FaultSimulationLongRun'
