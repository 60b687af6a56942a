#!/usr/bin/env bash
# The test suites, run by scripts/test.sh while the Flink test clusters are up (FLINK_TEST_REST_URL and
# FLINK_TEST_ADAPTIVE_REST_URL are exported by `scripts/flink-session.sh with-test-clusters`). Runs every suite
# even when an earlier one fails, then fails if any did.
set -uo pipefail
cd "$(dirname "$0")/.."

failed=()
run() {
  printf '\n==> %s\n' "$*" >&2
  "$@" || failed+=("$*")
}

FJC_OPERATOR_BINARY="$(swift build --show-bin-path)/flink-job-controller"
export FJC_OPERATOR_BINARY
run swift test --skip-build
run scripts/check-crds.sh
run scripts/check-packaging.sh

if [ "${#failed[@]}" -gt 0 ]; then
  printf '\nFAILED: %s\n' "${failed[@]}" >&2
  exit 1
fi
