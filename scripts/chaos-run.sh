#!/usr/bin/env bash
# The real-Flink chaos run: seeded schedules of operator SIGKILLs (also in the middle of an upgrade), JobManager
# restarts (with and without their jars), API faults and spec edits against the built operator binary (leader
# election on), the API emulator and a dedicated real Flink session cluster ('e2e-chaos'). While each schedule
# runs, Flink's REST API is polled: at most one live Flink job per FlinkJob, and every job started after state
# existed reports a restore; after it, the FlinkJob must converge, and deleting it must leave nothing running.
#
# Usage: scripts/chaos-run.sh [--schedules N] [--from S]     (default 30 schedules from seed 1; about 70 s each)
set -euo pipefail
cd "$(dirname "$0")/.."
schedules=30 from=1
while [ $# -gt 0 ]; do
  case "$1" in
    --schedules) schedules="$2"; shift 2 ;;
    --from) from="$2"; shift 2 ;;
    -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
scripts/flink-session.sh install >&2
scripts/flink-session.sh jobs >&2
swift build --build-tests >&2
export SWT_SWIFT_ERROR_BACKTRACING_ENABLED=0
trap 'scripts/flink-session.sh stop --name e2e-chaos >/dev/null 2>&1 || true' EXIT
FJC_CHAOS_SCHEDULES="$schedules" FJC_CHAOS_FROM="$from" swift test --skip-build --filter 'ChaosRunTests'
