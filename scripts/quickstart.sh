#!/usr/bin/env bash
# One command to try the Flink Job Controller without Kubernetes (local mode, docs/local-mode.md).
#
# Usage: scripts/quickstart.sh [start|stop|status]
#
#   start   (default) install what is missing (system packages, Java 17, Flink 2.3 in .venv-flink/, the test
#           jobs), build the operator, start a local Flink session cluster (instance "quickstart"), write the
#           manifests of examples/local/ into .run/quickstart/manifests/ with the cluster's REST URL, run the
#           operator in local mode in the background (pid and log in .run/quickstart/), wait until the example
#           streaming job is RUNNING in Flink, and print the Flink UI URL and `flink-job-controller status`.
#           Running it again starts nothing twice.
#   stop    stop the operator (SIGTERM: it finishes in-flight work), then the Flink cluster, and remove the
#           operator's state file (the next start begins afresh)
#   status  print the operator's view (`flink-job-controller status`) and the Flink cluster's
#
# Environment:
#   QUICKSTART_BUILD      release (default) or debug: how the operator is built
#   QUICKSTART_BINARY     use this flink-job-controller binary instead of building one
#   QUICKSTART_LISTEN     metrics/health address of the operator (default 127.0.0.1:9180)
#   QUICKSTART_NAME       Flink instance and .run/ directory name (default quickstart; tests use their own)
#   QUICKSTART_TIMEOUT    seconds to wait for the job to run (default 300)
#   QUICKSTART_SKIP_DEPS  1: do not run scripts/install-deps.sh (packages already there, no root)
set -euo pipefail

cd -P "$(dirname "$0")/.."
ROOT="$(pwd -P)"
NAME="${QUICKSTART_NAME:-quickstart}"
RUN_DIR="$ROOT/.run/$NAME"
MANIFESTS="$RUN_DIR/manifests"
STATE="$RUN_DIR/state.sqlite"
PID_FILE="$RUN_DIR/operator.pid"
LOG_FILE="$RUN_DIR/operator.log"
BUILD="${QUICKSTART_BUILD:-release}"
LISTEN="${QUICKSTART_LISTEN:-127.0.0.1:9180}"
TIMEOUT="${QUICKSTART_TIMEOUT:-300}"
JOB="quickstart-streaming"

say() { printf '[quickstart] %s\n' "$*" >&2; }
die() { printf '[quickstart] ERROR: %s\n' "$*" >&2; exit 1; }

operator_pid() {
    [ -f "$PID_FILE" ] || return 1
    local pid
    pid="$(cat "$PID_FILE")"
    # The recorded pid must still be our operator (not a recycled pid).
    [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q -- "--state $STATE" || return 1
    printf '%s' "$pid"
}

binary() {
    if [ -n "${QUICKSTART_BINARY:-}" ]; then
        printf '%s' "$QUICKSTART_BINARY"
    else
        printf '%s/flink-job-controller' "$(swift build -c "$BUILD" --show-bin-path)"
    fi
}

render_manifests() {
    local rest_url="$1" tmp
    mkdir -p "$MANIFESTS" "$RUN_DIR/savepoints"
    for template in "$ROOT"/examples/local/*.yaml; do
        tmp="$(mktemp "$RUN_DIR/.render.XXXXXX")"
        sed -e "s#\${FLINK_REST_URL}#$rest_url#g" -e "s#\${TESTJOBS_DIR}#$ROOT/testjobs/build#g" \
            -e "s#\${QUICKSTART_DIR}#$RUN_DIR#g" "$template" > "$tmp"
        # Rewrite only what changed: the operator reloads on every write.
        if cmp -s "$tmp" "$MANIFESTS/$(basename "$template")"; then rm -f "$tmp"; else mv "$tmp" "$MANIFESTS/$(basename "$template")"; fi
    done
}

start() {
    if [ "${QUICKSTART_SKIP_DEPS:-0}" != 1 ]; then
        say "System packages (scripts/install-deps.sh)"
        scripts/install-deps.sh
    fi
    say "Flink 2.3 and the test jobs (scripts/flink-session.sh install, jobs)"
    scripts/flink-session.sh install
    scripts/flink-session.sh jobs
    if [ -z "${QUICKSTART_BINARY:-}" ]; then
        say "Building the operator (swift build -c $BUILD --product flink-job-controller; the first build takes minutes)"
        swift build -c "$BUILD" --product flink-job-controller
    fi
    local bin
    bin="$(binary)"
    [ -x "$bin" ] || die "no operator binary at $bin"

    say "Flink session cluster '$NAME' (scripts/flink-session.sh start --name $NAME)"
    local rest_url
    rest_url="$(scripts/flink-session.sh start --name "$NAME" | tail -n 1)"
    case "$rest_url" in http*) ;; *) die "the Flink cluster did not start (scripts/flink-session.sh logs --name $NAME)" ;; esac

    render_manifests "$rest_url"

    local pid
    if pid="$(operator_pid)"; then
        say "Operator already running (pid $pid)"
    else
        say "Starting the operator in local mode (log: ${LOG_FILE#"$ROOT"/})"
        nohup "$bin" run --local --manifests "$MANIFESTS" --state "$STATE" \
            --artifact-dir "$ROOT/testjobs/build" --listen "$LISTEN" --log-format text \
            >> "$LOG_FILE" 2>&1 < /dev/null &
        echo $! > "$PID_FILE"
    fi

    say "Waiting for FlinkJob $JOB to run in Flink"
    local deadline=$((SECONDS + TIMEOUT))
    until "$bin" status --state "$STATE" 2>/dev/null | grep -Eq "^default +$JOB +Running +RUNNING "; do
        if ! operator_pid > /dev/null; then
            tail -n 30 "$LOG_FILE" >&2 || true
            die "the operator exited (log above: ${LOG_FILE#"$ROOT"/})"
        fi
        [ "$SECONDS" -lt "$deadline" ] || { "$bin" status --state "$STATE" >&2 || true; die "$JOB is not RUNNING after ${TIMEOUT}s (log: $LOG_FILE)"; }
        sleep 1
    done

    echo
    echo "Flink UI:          $rest_url"
    echo "Operator metrics:  http://$LISTEN/metrics"
    echo "Manifests:         $MANIFESTS   (edit them: the operator reacts)"
    echo "Operator log:      $LOG_FILE"
    echo
    "$bin" status --state "$STATE"
    echo
    echo "More:  $bin describe $JOB --state $STATE"
    echo "Stop:  scripts/quickstart.sh stop"
}

stop() {
    local pid
    if pid="$(operator_pid)"; then
        say "Stopping the operator (pid $pid)"
        kill -TERM "$pid"
        for _ in $(seq 1 400); do kill -0 "$pid" 2> /dev/null || break; sleep 0.1; done
        if kill -0 "$pid" 2> /dev/null; then say "Operator still running after 40 s; killing it"; kill -KILL "$pid"; fi
    else
        say "Operator not running"
    fi
    rm -f "$PID_FILE"
    say "Stopping the Flink cluster '$NAME'"
    scripts/flink-session.sh stop --name "$NAME" || true
    rm -f "$STATE" "$STATE-wal" "$STATE-shm" "$STATE.lock"
    say "Stopped"
}

status() {
    local bin
    bin="$(binary)"
    if [ -f "$STATE" ] && [ -x "$bin" ]; then "$bin" status --state "$STATE"; else say "No operator state yet (run: scripts/quickstart.sh start)"; fi
    echo
    scripts/flink-session.sh status --name "$NAME" || true
}

case "${1:-start}" in
    start) start ;;
    stop) stop ;;
    status) status ;;
    -h | --help | help) sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//' ;;
    *) die "unknown command '$1' (start, stop or status)" ;;
esac
