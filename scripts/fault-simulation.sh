#!/usr/bin/env bash
# The seeded fault simulation, beyond the CI slice: runs seeds FROM..FROM+N-1 (each one reproducible history of
# user actions and faults against the real reconcilers, the API emulator and the Flink model) and reports seeds/s,
# faults per seed and every violating seed with its trace.
#
# Usage: scripts/fault-simulation.sh [--seeds N] [--from S] [--mutant none|ignoresLeadership|forgetsRestorePath|randomJobIDs]
#        scripts/fault-simulation.sh --replay SEED [--mutant M]     one seed, with its schedule and trace
set -euo pipefail
cd "$(dirname "$0")/.."
seeds=1000 from=1 mutant=none replay=""
while [ $# -gt 0 ]; do
  case "$1" in
    --seeds) seeds="$2"; shift 2 ;;
    --from) from="$2"; shift 2 ;;
    --mutant) mutant="$2"; shift 2 ;;
    --replay) replay="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
swift build --build-tests >&2
# Swift Testing captures a backtrace for every thrown error; decoding JSON throws (and catches) a great deal.
export SWT_SWIFT_ERROR_BACKTRACING_ENABLED=0
if [ -n "$replay" ]; then
  FJC_SIMULATION_SEED="$replay" FJC_SIMULATION_MUTANT="$mutant" exec swift test --skip-build --filter 'FaultSimulationReplay'
fi
FJC_SIMULATION_SEEDS="$seeds" FJC_SIMULATION_FROM="$from" FJC_SIMULATION_MUTANT="$mutant" \
  exec swift test --skip-build --filter 'FaultSimulationLongRun'
