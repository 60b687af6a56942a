#!/usr/bin/env bash
# Runs real local Apache Flink 2.3 session clusters for tests and for trying the operator by hand.
#
# Usage: scripts/flink-session.sh COMMAND [--name NAME] [--adaptive] [--slots N]
#        scripts/flink-session.sh with-test-clusters [--] CMD [ARGS...]
#
# Commands:
#   install   install Java 17 (apt) and Flink 2.3.0 (PyFlink wheels into .venv-flink/) if missing
#   start     start instance NAME (a JobManager and one TaskManager with N slots), wait until the slots are
#             registered, print the REST URL on stdout; a running instance is left as it is
#   stop      stop exactly the recorded JobManager/TaskManager processes of instance NAME
#   restart   stop and start again on the same ports (no HA: the JobManager forgets its jobs)
#   status    print running/stopped, REST URL and slot counts (exit 0 running, 3 stopped, 1 broken)
#   env       print shell exports for test wrappers: eval "$(scripts/flink-session.sh env)"
#   jobs      compile the test jobs in testjobs/ into testjobs/build/*.jar and the SQL runner in runtime/sql-runner/
#             into runtime/sql-runner/build/sql-runner.jar (each skipped when up to date)
#   logs      print the tail of the instance's JobManager and TaskManager logs
#   with-test-clusters CMD...
#             compile the test jobs, start the test instances 'test' and 'test-adaptive' (adaptive scheduler)
#             with 16 slots each (in parallel), run CMD with FLINK_TEST_REST_URL and
#             FLINK_TEST_ADAPTIVE_REST_URL exported, then stop the instances this command started (and
#             the dedicated 'test-restart', 'e2e-restart' and 'e2e-chaos' if a test left them running); exits with CMD's status
#
# Options:
#   --name NAME   instance name (default "default"); state lives in .flink/NAME/
#   --adaptive    use the adaptive scheduler with fast rescale settings (in-place rescaling tests)
#   --slots N     task slots of the TaskManager (default 4; kept on restart). TaskManager memory grows with
#                 N above 4 (128 MB per extra slot). Starting a running instance with another N is refused.
#
# Environment:
#   FLINK_START_TIMEOUT   seconds to wait for REST and then for slots (default 120)
#   FLINK_STOP_TIMEOUT    seconds to wait after SIGTERM before SIGKILL (default 20)
#   FLINK_BASE_PYTHON     python used to create the virtualenv (default python3)
#
# Only machine-independent facts live here; every path is derived from the repository root.
# Messages go to stderr; stdout carries only results (URL, exports) so callers can capture them.
set -euo pipefail

cd -P "$(dirname "$0")/.."
# Physical path (cd -P): a symlinked path to this checkout must not look like a second repository.
ROOT="$(pwd -P)"

FLINK_VERSION="2.3.0"
VENV="$ROOT/.venv-flink"
STATE_ROOT="$ROOT/.flink"
TESTJOBS_DIR="$ROOT/testjobs"
START_TIMEOUT="${FLINK_START_TIMEOUT:-120}"
STOP_TIMEOUT="${FLINK_STOP_TIMEOUT:-20}"
BASE_PYTHON="${FLINK_BASE_PYTHON:-python3}"

JM_CLASS="org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint"
TM_CLASS="org.apache.flink.runtime.taskexecutor.TaskManagerRunner"
DEFAULT_SLOTS=4

log() { printf '[flink-session] %s\n' "$*" >&2; }
die() { printf '[flink-session] ERROR: %s\n' "$*" >&2; exit 1; }

usage() {
    sed -n '2,/^set -euo/p' "$0" | sed -e '/^set -euo/d' -e 's/^# \{0,1\}//' >&2
    exit 2
}

# ---------------------------------------------------------------------------------------------------------------
# Arguments
# ---------------------------------------------------------------------------------------------------------------
COMMAND="${1:-}"
[ -n "$COMMAND" ] || usage
shift
NAME="default"
ADAPTIVE_FLAG=""
SLOTS_FLAG=""
WRAPPED_COMMAND=()
while [ $# -gt 0 ]; do
    # with-test-clusters passes everything after its own name (and an optional --) to the wrapped command.
    if [ "$COMMAND" = with-test-clusters ]; then
        [ "$1" != "--" ] || shift
        WRAPPED_COMMAND=("$@")
        break
    fi
    case "$1" in
        --name) [ $# -ge 2 ] || die "--name needs a value"; NAME="$2"; shift 2 ;;
        --name=*) NAME="${1#--name=}"; shift ;;
        --adaptive) ADAPTIVE_FLAG="true"; shift ;;
        --slots) [ $# -ge 2 ] || die "--slots needs a value"; SLOTS_FLAG="$2"; shift 2 ;;
        --slots=*) SLOTS_FLAG="${1#--slots=}"; shift ;;
        -h|--help) usage ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done
[[ "$NAME" =~ ^[A-Za-z0-9][A-Za-z0-9._-]*$ ]] || die "invalid instance name '$NAME' (letters, digits, . _ -)"
if [ -n "$SLOTS_FLAG" ]; then
    [[ "$SLOTS_FLAG" =~ ^[1-9][0-9]*$ ]] && [ "$SLOTS_FLAG" -le 64 ] || die "invalid --slots '$SLOTS_FLAG' (1-64)"
fi

INSTANCE_DIR="$STATE_ROOT/$NAME"
CONF_DIR="$INSTANCE_DIR/conf"
LOG_DIR="$INSTANCE_DIR/log"
PID_DIR="$INSTANCE_DIR/pids"
SETTINGS_FILE="$INSTANCE_DIR/instance.env"
URL_FILE="$INSTANCE_DIR/rest-url"

# ---------------------------------------------------------------------------------------------------------------
# Installation (Java 17, Flink 2.3.0 via PyFlink wheels)
# ---------------------------------------------------------------------------------------------------------------
apt_install() {
    command -v apt-get >/dev/null 2>&1 || die "apt-get not found; install $* by hand"
    [ "$(id -u)" = "0" ] || die "installing $* needs root (apt-get); install it by hand"
    log "apt-get install $*"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2; then
        DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$@" >&2 || die "apt-get install $* failed"
    fi
}

ensure_java() {
    if ! command -v javac >/dev/null 2>&1 || ! command -v jar >/dev/null 2>&1; then
        apt_install openjdk-17-jdk-headless
    fi
    local spec
    spec="$(java -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = //p' | tr -d '[:space:]')"
    case "$spec" in
        ''|1.*|[0-9]|1[0-6]) die "Java 17 or newer is required, found java.specification.version='$spec' ($(command -v java))" ;;
    esac
}

flink_installed() {
    [ -x "$VENV/bin/python" ] || return 1
    local versions
    versions="$("$VENV/bin/python" -c 'import importlib.metadata as m; print(m.version("apache-flink"), m.version("apache-flink-libraries"))' 2>/dev/null)" || return 1
    [ "$versions" = "$FLINK_VERSION $FLINK_VERSION" ]
}

ensure_flink() {
    mkdir -p "$STATE_ROOT"
    # Two test processes may install at once: serialise on a lock and re-check under it.
    exec 8>"$STATE_ROOT/.install.lock"
    flock 8
    if ! flink_installed; then
        command -v "$BASE_PYTHON" >/dev/null 2>&1 || apt_install python3 python3-venv
        if [ ! -x "$VENV/bin/python" ]; then
            log "creating virtualenv $VENV"
            if ! "$BASE_PYTHON" -m venv "$VENV" >&2; then
                rm -rf "$VENV"
                apt_install python3-venv
                "$BASE_PYTHON" -m venv "$VENV" >&2 || die "could not create virtualenv $VENV"
            fi
        fi
        log "installing apache-flink-libraries==$FLINK_VERSION and apache-flink==$FLINK_VERSION (about 1 minute)"
        "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --prefer-binary \
            "apache-flink-libraries==$FLINK_VERSION" "apache-flink==$FLINK_VERSION" >&2 \
            || die "pip install of Flink $FLINK_VERSION into $VENV failed"
        flink_installed || die "Flink $FLINK_VERSION still not importable from $VENV after pip install"
    fi
    flock -u 8
    exec 8>&-
    FLINK_HOME="$("$VENV/bin/python" -c 'import os, pyflink; print(os.path.dirname(os.path.abspath(pyflink.__file__)))')"
    FLINK_LIB="$FLINK_HOME/lib"
    local found
    found=("$FLINK_LIB"/flink-dist-*.jar)
    FLINK_DIST_JAR="${found[0]}"
    [ -f "$FLINK_DIST_JAR" ] || die "flink-dist jar not found in $FLINK_LIB"
    found=("$FLINK_HOME"/opt/flink-python-*.jar)
    FLINK_PYTHON_JAR="${found[0]}"
}

# Flink's module flags for Java 17 are kept in PyFlink's shipped config.yaml; read them from there so they
# follow the installed version instead of being copied into this script.
java_module_opts() {
    local opts
    opts="$(grep -E '^ *all: *--add-' "$FLINK_HOME/conf/config.yaml" | head -n 1 | sed -e 's/^ *all: *//')"
    [ -n "$opts" ] || opts="$(grep -E '^env\.java\.opts\.all:' "$FLINK_HOME/conf/config.yaml" | head -n 1 | sed -e 's/^[^:]*: *//')"
    [ -n "$opts" ] || die "could not find env.java.opts.all (Java 17 module flags) in $FLINK_HOME/conf/config.yaml"
    printf '%s' "$opts" | sed -e 's/^"//' -e 's/"$//'
}

# Classpath as Flink's scripts build it: every lib jar sorted, flink-dist last.
flink_classpath() {
    local cp="" jar
    for jar in "$FLINK_LIB"/*.jar; do
        case "$jar" in */flink-dist-*) continue ;; esac
        cp="$cp$jar:"
    done
    printf '%s%s' "$cp" "$FLINK_DIST_JAR"
}

# ---------------------------------------------------------------------------------------------------------------
# Processes
# ---------------------------------------------------------------------------------------------------------------

# Prints the recorded pid of ROLE (jobmanager|taskmanager) if that process is alive and really is this
# instance's JVM (guards against a recycled pid); returns 1 otherwise.
live_pid() {
    local role="$1" pid class
    [ -f "$PID_DIR/$role.pid" ] || return 1
    pid="$(tr -dc '0-9' < "$PID_DIR/$role.pid")"
    [ -n "$pid" ] || return 1
    [ -r "/proc/$pid/cmdline" ] || return 1
    if [ "$role" = jobmanager ]; then class="$JM_CLASS"; else class="$TM_CLASS"; fi
    tr '\0' '\n' < "/proc/$pid/cmdline" 2>/dev/null | grep -qxF "$class" || return 1
    tr '\0' '\n' < "/proc/$pid/cmdline" 2>/dev/null | grep -qxF "$CONF_DIR" || return 1
    printf '%s' "$pid"
}

# Minimal HTTP GET with python (always present: the virtualenv needs it); prints the body, fails on error.
http_get() {
    "$VENV/bin/python" - "$1" <<'PY' 2>/dev/null
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=3) as r:
    sys.stdout.write(r.read().decode())
PY
}

# Prints "taskmanagers slots-total slots-available" from GET /overview.
overview_counts() {
    local body
    body="$(http_get "$1/overview")" || return 1
    printf '%s' "$body" | "$VENV/bin/python" -c '
import json, sys
o = json.load(sys.stdin)
print(o.get("taskmanagers", 0), o.get("slots-total", 0), o.get("slots-available", 0))'
}

log_tail() {
    local role="$1" f
    if [ -s "$LOG_DIR/$role.log" ] && grep -qE '^[0-9-]+ [0-9:,]+ (ERROR|WARN) ' "$LOG_DIR/$role.log"; then
        printf -- '----- last ERROR/WARN lines of %s -----\n' "$LOG_DIR/$role.log" >&2
        grep -E '^[0-9-]+ [0-9:,]+ (ERROR|WARN) ' "$LOG_DIR/$role.log" | tail -n 10 >&2
    fi
    for f in "$LOG_DIR/$role.log" "$LOG_DIR/$role.out"; do
        if [ -s "$f" ]; then
            printf -- '----- last 40 lines of %s -----\n' "$f" >&2
            tail -n 40 "$f" >&2
        fi
    done
}

fail_start() {
    local role="$1"; shift
    log "$*"
    log_tail "$role"
    stop_processes quiet
    die "$* (instance '$NAME', logs in $LOG_DIR)"
}

# Returns 0 if nothing listens on 127.0.0.1:PORT and it can be bound. SO_REUSEADDR as the JVM's servers use it,
# so connections of a just-stopped instance lingering in TIME_WAIT do not count as "in use".
port_free() {
    "$VENV/bin/python" - "$1" <<'PY' 2>/dev/null
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
except OSError:
    sys.exit(1)
finally:
    s.close()
PY
}

# Ports recorded by any instance (running or not), so two instances never share fixed ports.
recorded_ports() {
    cat "$STATE_ROOT"/*/instance.env 2>/dev/null | sed -n 's/^[A-Z_]*_PORT=//p'
}

# Picks a free port below the kernel's ephemeral range (32768+) so the OS never hands it out to someone else.
pick_port() {
    local taken port tries=0
    taken=" $(recorded_ports | tr '\n' ' ') $* "
    while [ $tries -lt 200 ]; do
        port=$(( 20000 + RANDOM % 12000 ))
        tries=$(( tries + 1 ))
        case "$taken" in *" $port "*) continue ;; esac
        if port_free "$port"; then printf '%s' "$port"; return 0; fi
    done
    die "could not find a free port in 20000-31999"
}

load_settings() {
    REST_PORT=""; RPC_PORT=""; BLOB_PORT=""; ADAPTIVE=""; SLOTS=""
    if [ -f "$SETTINGS_FILE" ]; then
        # shellcheck disable=SC1090
        . "$SETTINGS_FILE"
    fi
}

save_settings() {
    cat > "$SETTINGS_FILE" <<EOF
REST_PORT=$REST_PORT
RPC_PORT=$RPC_PORT
BLOB_PORT=$BLOB_PORT
ADAPTIVE=$ADAPTIVE
SLOTS=$SLOTS
EOF
}

# Keeps the recorded ports when they are still free (or when STRICT, waits for them); otherwise picks new ones.
choose_ports() {
    local strict="$1" p waited
    if [ -n "$REST_PORT" ] && [ -n "$RPC_PORT" ] && [ -n "$BLOB_PORT" ]; then
        for p in "$REST_PORT" "$RPC_PORT" "$BLOB_PORT"; do
            waited=0
            while ! port_free "$p"; do
                if [ "$strict" != strict ] || [ $waited -ge 30 ]; then break; fi
                sleep 0.5; waited=$(( waited + 1 ))
            done
            if ! port_free "$p"; then
                [ "$strict" != strict ] || die "port $p of instance '$NAME' is still in use; cannot restart on the same ports"
                log "recorded port $p is busy; picking new ports"
                REST_PORT=""; break
            fi
        done
    fi
    if [ -z "$REST_PORT" ] || [ -z "$RPC_PORT" ] || [ -z "$BLOB_PORT" ]; then
        # Forget our own old ports first so they are not treated as taken by another instance.
        REST_PORT=""; RPC_PORT=""; BLOB_PORT=""; save_settings
        REST_PORT="$(pick_port)"
        RPC_PORT="$(pick_port "$REST_PORT")"
        BLOB_PORT="$(pick_port "$REST_PORT" "$RPC_PORT")"
    fi
}

write_config() {
    local java_opts python="$VENV/bin/python" tm_memory_mb=1536
    java_opts="$(java_module_opts)"
    # Many slots run many small jobs at once: give each slot beyond the default 4 some heap, managed and network
    # memory (16 slots -> 3072 MB) instead of slicing 1536 MB ever thinner.
    if [ "$SLOTS" -gt "$DEFAULT_SLOTS" ]; then tm_memory_mb=$(( 1536 + 128 * (SLOTS - DEFAULT_SLOTS) )); fi
    mkdir -p "$CONF_DIR" "$LOG_DIR" "$PID_DIR" "$INSTANCE_DIR/checkpoints" "$INSTANCE_DIR/savepoints" \
        "$INSTANCE_DIR/upload" "$INSTANCE_DIR/tmp"
    cat > "$CONF_DIR/config.yaml" <<EOF
# Generated by scripts/flink-session.sh for instance '$NAME'; rewritten on every start.
env.java.opts.all: "$java_opts"

jobmanager.bind-host: 127.0.0.1
jobmanager.rpc.address: 127.0.0.1
jobmanager.rpc.port: $RPC_PORT
jobmanager.memory.process.size: 1024m
jobmanager.execution.failover-strategy: region

taskmanager.bind-host: 127.0.0.1
taskmanager.host: 127.0.0.1
taskmanager.numberOfTaskSlots: $SLOTS
taskmanager.memory.process.size: ${tm_memory_mb}m
# 0 = the OS picks a free port each start, so several instances never collide.
taskmanager.rpc.port: 0
taskmanager.data.port: 0
metrics.internal.query-service.port: 0
# The TaskManager starts together with the JobManager: retry a failed registration fast (default 10 s).
cluster.registration.error-delay: 500 ms

blob.server.port: $BLOB_PORT
blob.storage.directory: $INSTANCE_DIR/tmp/blob

rest.address: 127.0.0.1
rest.bind-address: 127.0.0.1
rest.port: $REST_PORT
web.upload.dir: $INSTANCE_DIR/upload
web.refresh-interval: 500
web.submit.enable: true
web.cancel.enable: true

io.tmp.dirs: $INSTANCE_DIR/tmp
parallelism.default: 1
execution.checkpointing.dir: file://$INSTANCE_DIR/checkpoints
execution.checkpointing.savepoint-dir: file://$INSTANCE_DIR/savepoints

# PyFlink jobs: the JobManager runs the user's Python program, the TaskManager its Python UDF workers.
python.client.executable: $python
python.executable: $python
EOF
    if [ "$ADAPTIVE" = true ]; then
        cat >> "$CONF_DIR/config.yaml" <<'EOF'

# Adaptive scheduler for in-place rescaling (PUT /jobs/:id/resource-requirements), tuned for fast tests.
jobmanager.scheduler: adaptive
jobmanager.adaptive-scheduler.executing.cooldown-after-rescaling: 1s
jobmanager.adaptive-scheduler.executing.resource-stabilization-timeout: 1s
jobmanager.adaptive-scheduler.rescale-trigger.max-delay: 1s
EOF
    fi
    cat > "$CONF_DIR/log4j.properties" <<'EOF'
# Generated by scripts/flink-session.sh: one rolling file per process, rolled on every start.
monitorInterval = 0
rootLogger.level = ${env:ROOT_LOG_LEVEL:-INFO}
rootLogger.appenderRef.file.ref = MainAppender
logger.pekko.name = org.apache.pekko
logger.pekko.level = INFO
logger.netty.name = org.jboss.netty.channel.DefaultChannelPipeline
logger.netty.level = OFF
logger.python.name = PythonWorker
logger.python.level = ALL
appender.main.name = MainAppender
appender.main.type = RollingFile
appender.main.append = true
appender.main.fileName = ${sys:log.file}
appender.main.filePattern = ${sys:log.file}.%i
appender.main.layout.type = PatternLayout
appender.main.layout.pattern = %d{yyyy-MM-dd HH:mm:ss,SSS} %-5p %-60c %x - %m%n
appender.main.policies.type = Policies
appender.main.policies.size.type = SizeBasedTriggeringPolicy
appender.main.policies.size.size = 100MB
appender.main.policies.startup.type = OnStartupTriggeringPolicy
appender.main.strategy.type = DefaultRolloverStrategy
appender.main.strategy.max = 3
EOF
}

# Runs BashJavaUtils (what Flink's jobmanager.sh/taskmanager.sh do) and stores its two result lines
# (JVM memory flags, then "-D key=value" dynamic properties) in FILE. Reuses FILE when it was derived from
# an identical config.yaml (saves a JVM start on restarts).
resource_params() {
    local cmd="$1" file="$2" out
    if [ -s "$file" ] && [ -f "$file.config" ] && cmp -s "$file.config" "$CONF_DIR/config.yaml"; then
        return 0
    fi
    rm -f "$file" "$file.config"
    out="$(java -classpath "$FLINK_HOME/bin/bash-java-utils.jar:$FLINK_DIST_JAR" \
        org.apache.flink.runtime.util.bash.BashJavaUtils "$cmd" --configDir "$CONF_DIR" 2>"$file.err")" \
        || { cat "$file.err" >&2; die "BashJavaUtils $cmd failed"; }
    printf '%s\n' "$out" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p' > "$file"
    [ "$(wc -l < "$file")" -eq 2 ] || { printf '%s\n' "$out" >&2; rm -f "$file"; die "unexpected BashJavaUtils $cmd output"; }
    cp "$CONF_DIR/config.yaml" "$file.config"
}

# Starts ROLE's JVM detached from this shell, records its pid.
launch() {
    local role="$1" class="$2" params="$3" jvm dynamic java_opts extra=""
    jvm="$(sed -n 1p "$params")"
    dynamic="$(sed -n 2p "$params")"
    java_opts="$(java_module_opts)"
    [ "$role" = taskmanager ] && extra="-XX:+UseG1GC"
    : > "$LOG_DIR/$role.out"
    # Word splitting of the flag strings is intended: each is a space-separated list of JVM arguments.
    # shellcheck disable=SC2086
    (
        # The JVM must not inherit this script's lock descriptors, or the next start/stop would block on them.
        exec 7>&- 8>&- 9>&-
        cd "$INSTANCE_DIR"
        export FLINK_HOME FLINK_CONF_DIR="$CONF_DIR" FLINK_LOG_DIR="$LOG_DIR" \
            FLINK_LIB_DIR="$FLINK_LIB" FLINK_OPT_DIR="$FLINK_HOME/opt" FLINK_PLUGINS_DIR="$FLINK_HOME/plugins" \
            FLINK_BIN_DIR="$FLINK_HOME/bin"
        exec setsid java $jvm $extra -XX:+IgnoreUnrecognizedVMOptions $java_opts \
            "-Dlog.file=$LOG_DIR/$role.log" \
            "-Dlog4j.configuration=file:$CONF_DIR/log4j.properties" \
            "-Dlog4j.configurationFile=file:$CONF_DIR/log4j.properties" \
            -classpath "$(flink_classpath)" "$class" --configDir "$CONF_DIR" $dynamic \
            > "$LOG_DIR/$role.out" 2>&1 < /dev/null
    ) &
    local pid=$!
    printf '%s\n' "$pid" > "$PID_DIR/$role.pid"
    sleep 0.3
    live_pid "$role" >/dev/null || fail_start "$role" "$role JVM exited immediately"
}

# Sends SIGTERM to the recorded processes, waits, then SIGKILLs what is left. Never touches other processes.
stop_processes() {
    local quiet="${1:-}" role pid pids="" waited=0
    for role in taskmanager jobmanager; do
        if pid="$(live_pid "$role")"; then
            [ -n "$quiet" ] || log "stopping $role (pid $pid)"
            kill -TERM "$pid" 2>/dev/null || true
            pids="$pids $pid"
        fi
    done
    for pid in $pids; do
        while kill -0 "$pid" 2>/dev/null && [ $waited -lt $(( STOP_TIMEOUT * 10 )) ]; do
            sleep 0.1; waited=$(( waited + 1 ))
        done
        if kill -0 "$pid" 2>/dev/null; then
            log "pid $pid did not stop within ${STOP_TIMEOUT}s after SIGTERM; sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
            while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
        fi
    done
    rm -f "$PID_DIR/jobmanager.pid" "$PID_DIR/taskmanager.pid"
}

rss_mb() {
    awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$1/status" 2>/dev/null || printf '?'
}

lock_instance() {
    mkdir -p "$INSTANCE_DIR"
    exec 9>"$INSTANCE_DIR/.lock"
    flock 9
}

do_start() {
    local mode="$1" jm tm url t0 counts deadline
    ensure_java
    ensure_flink
    lock_instance
    load_settings
    local want_adaptive="${ADAPTIVE_FLAG:-}"
    if [ "$mode" = restart ] && [ -z "$want_adaptive" ]; then want_adaptive="${ADAPTIVE:-false}"; fi
    [ -n "$want_adaptive" ] || want_adaptive=false
    # Without --slots a running instance is accepted as it is, and restart keeps the recorded count.
    local want_slots="${SLOTS_FLAG:-}"
    if [ "$mode" = restart ] && [ -z "$want_slots" ]; then want_slots="${SLOTS:-}"; fi

    jm="$(live_pid jobmanager || true)"
    tm="$(live_pid taskmanager || true)"
    if [ "$mode" = start ] && [ -n "$jm" ] && [ -n "$tm" ]; then
        if [ "${ADAPTIVE:-false}" != "$want_adaptive" ]; then
            die "instance '$NAME' is running with adaptive=${ADAPTIVE:-false}; stop it first (or use restart --adaptive)"
        fi
        if [ -n "$want_slots" ] && [ "${SLOTS:-$DEFAULT_SLOTS}" != "$want_slots" ]; then
            die "instance '$NAME' is running with ${SLOTS:-$DEFAULT_SLOTS} slots, not $want_slots; stop it first (or use restart --slots $want_slots)"
        fi
        url="http://127.0.0.1:$REST_PORT"
        log "instance '$NAME' already running (jobmanager $jm, taskmanager $tm)"
        printf '%s\n' "$url" > "$URL_FILE"
        printf '%s\n' "$url"
        return 0
    fi
    if [ -n "$jm" ] || [ -n "$tm" ] || [ "$mode" = restart ]; then
        [ "$mode" = restart ] || log "instance '$NAME' is only partly running; restarting it"
        stop_processes
    fi
    rm -f "$PID_DIR"/*.pid "$URL_FILE"

    ADAPTIVE="$want_adaptive"
    SLOTS="${want_slots:-$DEFAULT_SLOTS}"
    if [ "$mode" = restart ]; then choose_ports strict; else choose_ports loose; fi
    save_settings
    write_config
    url="http://127.0.0.1:$REST_PORT"

    t0=$(date +%s.%N)
    log "starting instance '$NAME' at $url (adaptive=$ADAPTIVE, slots=$SLOTS, state in $INSTANCE_DIR)"
    resource_params GET_JM_RESOURCE_PARAMS "$INSTANCE_DIR/jm-params"
    launch jobmanager "$JM_CLASS" "$INSTANCE_DIR/jm-params"
    # Computing the TaskManager's memory flags overlaps with the JobManager's startup.
    resource_params GET_TM_RESOURCE_PARAMS "$INSTANCE_DIR/tm-params"
    # Both JVMs boot at the same time; the short cluster.registration.error-delay in config.yaml makes a
    # TaskManager that is ready before the ResourceManager retry after 0.5 s instead of the default 10 s.
    # Measured on 2 busy cores: about 10.5 s to slots instead of 13 s when waiting for REST first.
    launch taskmanager "$TM_CLASS" "$INSTANCE_DIR/tm-params"

    deadline=$(( $(date +%s) + START_TIMEOUT ))
    until http_get "$url/config" >/dev/null; do
        live_pid jobmanager >/dev/null || fail_start jobmanager "the JobManager exited during startup"
        [ "$(date +%s)" -lt "$deadline" ] || fail_start jobmanager "JobManager REST did not answer at $url within ${START_TIMEOUT}s"
        sleep 0.2
    done
    log "JobManager REST up after $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"

    deadline=$(( $(date +%s) + START_TIMEOUT ))
    while :; do
        counts="$(overview_counts "$url" || true)"
        if [ -n "$counts" ] && [ "$(printf '%s' "$counts" | awk '{ print $2 }')" -gt 0 ]; then break; fi
        live_pid jobmanager >/dev/null || fail_start jobmanager "the JobManager exited while waiting for the TaskManager"
        live_pid taskmanager >/dev/null || fail_start taskmanager "the TaskManager exited during startup"
        [ "$(date +%s)" -lt "$deadline" ] || fail_start taskmanager "no TaskManager slots registered at $url within ${START_TIMEOUT}s"
        sleep 0.2
    done
    printf '%s\n' "$url" > "$URL_FILE"
    log "instance '$NAME' ready in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s: $url (taskmanagers/slots-total/slots-available: $counts)"
    printf '%s\n' "$url"
}

do_stop() {
    if [ ! -d "$INSTANCE_DIR" ]; then log "instance '$NAME' does not exist; nothing to stop"; return 0; fi
    lock_instance
    if ! live_pid jobmanager >/dev/null && ! live_pid taskmanager >/dev/null; then
        rm -f "$PID_DIR"/*.pid "$URL_FILE"
        log "instance '$NAME' is not running"
        return 0
    fi
    local t0
    t0=$(date +%s.%N)
    stop_processes
    rm -f "$URL_FILE"
    log "instance '$NAME' stopped in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"
}

do_status() {
    local jm tm url counts
    load_settings
    jm="$(live_pid jobmanager || true)"
    tm="$(live_pid taskmanager || true)"
    if [ -z "$jm" ] && [ -z "$tm" ]; then
        echo "stopped (instance '$NAME')"
        return 3
    fi
    url="http://127.0.0.1:$REST_PORT"
    if [ -z "$jm" ] || [ -z "$tm" ]; then
        echo "broken (instance '$NAME'): jobmanager=${jm:-down} taskmanager=${tm:-down} url=$url"
        return 1
    fi
    if [ -x "$VENV/bin/python" ] && counts="$(overview_counts "$url")"; then
        local tms total available
        read -r tms total available <<< "$counts"
        echo "running (instance '$NAME') url=$url adaptive=${ADAPTIVE:-false} slots=${SLOTS:-$DEFAULT_SLOTS} taskmanagers=$tms slots-total=$total slots-available=$available jobmanager-pid=$jm rss=$(rss_mb "$jm")MB taskmanager-pid=$tm rss=$(rss_mb "$tm")MB"
        return 0
    fi
    echo "broken (instance '$NAME'): processes alive but REST at $url does not answer"
    return 1
}

do_env() {
    ensure_flink
    load_settings
    local url=""
    [ -f "$URL_FILE" ] && url="$(cat "$URL_FILE")"
    cat <<EOF
export FLINK_INSTANCE_NAME='$NAME'
export FLINK_REST_URL='$url'
export FLINK_HOME='$FLINK_HOME'
export FLINK_VERSION='$FLINK_VERSION'
export FLINK_CONF_DIR='$CONF_DIR'
export FLINK_LOG_DIR='$LOG_DIR'
export FLINK_INSTANCE_DIR='$INSTANCE_DIR'
export FLINK_CHECKPOINT_DIR='$INSTANCE_DIR/checkpoints'
export FLINK_SAVEPOINT_DIR='$INSTANCE_DIR/savepoints'
export FLINK_UPLOAD_DIR='$INSTANCE_DIR/upload'
export FLINK_ADAPTIVE='${ADAPTIVE:-false}'
export FLINK_SLOTS='${SLOTS:-$DEFAULT_SLOTS}'
export FLINK_PYTHON='$VENV/bin/python'
export FLINK_PYTHON_JAR='$FLINK_PYTHON_JAR'
export FLINK_TESTJOBS_DIR='$TESTJOBS_DIR/build'
export FLINK_TESTJOBS_JAR='$TESTJOBS_DIR/build/testjobs.jar'
export FLINK_TESTJOBS_PYTHON_DIR='$TESTJOBS_DIR/python'
export FLINK_SQL_RUNNER_JAR='$ROOT/runtime/sql-runner/build/sql-runner.jar'
EOF
}

# Compiles testjobs/src/main/java into testjobs/build: testjobs.jar (all classes, no Main-Class, pass
# entryClass) plus one jar per entry class with a Main-Class manifest.
do_jobs() {
    ensure_java
    ensure_flink
    local src="$TESTJOBS_DIR/src/main/java" build="$TESTJOBS_DIR/build" stamp entry name
    [ -d "$src" ] || die "no test job sources in $src"
    mkdir -p "$build"
    exec 7>"$build/.lock"
    flock 7
    stamp="$build/testjobs.jar"
    if [ -f "$stamp" ] && [ -z "$(find "$src" -newer "$stamp" -print -quit)" ] \
        && [ "$0" -ot "$stamp" ]; then
        log "test jobs up to date in $build"
    else
        log "compiling test jobs into $build"
        rm -rf "$build/classes" "$build"/*.jar
        mkdir -p "$build/classes"
        find "$src" -name '*.java' > "$build/sources.txt"
        javac --release 17 -nowarn -encoding UTF-8 -d "$build/classes" -cp "$FLINK_LIB/*" @"$build/sources.txt" >&2 \
            || die "javac failed for the test jobs"
        jar --create --file "$build/testjobs.jar.tmp" -C "$build/classes" . >&2
        for entry in StreamingJob:streaming-job BatchJob:batch-job SqlRunner:sql-runner; do
            name="${entry#*:}"
            jar --create --file "$build/$name.jar" --main-class "io.jobcontroller.testjobs.${entry%%:*}" \
                -C "$build/classes" . >&2
        done
        # Written last: its timestamp marks a complete build.
        mv "$build/testjobs.jar.tmp" "$build/testjobs.jar"
    fi
    build_sql_runner
    flock -u 7
    ls "$build"/*.jar "$ROOT/runtime/sql-runner/build/sql-runner.jar"
}

# Compiles runtime/sql-runner (the SQL runner the operator's image ships) into
# runtime/sql-runner/build/sql-runner.jar, with Main-Class io.jobcontroller.sqlrunner.SqlRunner (skipped when up
# to date). Runs under do_jobs' lock.
build_sql_runner() {
    local src="$ROOT/runtime/sql-runner/src/main/java" build="$ROOT/runtime/sql-runner/build"
    [ -d "$src" ] || die "no SQL runner sources in $src"
    mkdir -p "$build"
    if [ -f "$build/sql-runner.jar" ] && [ -z "$(find "$src" -newer "$build/sql-runner.jar" -print -quit)" ] \
        && [ "$0" -ot "$build/sql-runner.jar" ]; then
        log "SQL runner up to date in $build"
        return 0
    fi
    log "compiling the SQL runner into $build"
    rm -rf "$build/classes" "$build/sql-runner.jar"
    mkdir -p "$build/classes"
    find "$src" -name '*.java' > "$build/sources.txt"
    javac --release 17 -nowarn -encoding UTF-8 -d "$build/classes" -cp "$FLINK_LIB/*" @"$build/sources.txt" >&2 \
        || die "javac failed for the SQL runner"
    jar --create --file "$build/sql-runner.jar.tmp" --main-class io.jobcontroller.sqlrunner.SqlRunner \
        -C "$build/classes" . >&2
    mv "$build/sql-runner.jar.tmp" "$build/sql-runner.jar"
}

do_logs() {
    log_tail jobmanager
    log_tail taskmanager
}

# Test wrapper: the shared test instances up for the duration of one command (e.g. `swift test`); the
# tests find them through FLINK_TEST_REST_URL / FLINK_TEST_ADAPTIVE_REST_URL (FlinkTestSupport). Instances
# that were already running are left running; the ones started here are stopped, whatever CMD returns.
TEST_SLOTS=16
do_with_test_clusters() {
    [ ${#WRAPPED_COMMAND[@]} -gt 0 ] || die "with-test-clusters needs a command to run"
    local name url_default url_adaptive status=0 tmp
    WTC_STARTED=() WTC_PIDS=()
    # An interrupted run (SIGTERM from a CI timeout, SIGINT from Ctrl-C, SIGHUP) must not leave JVMs behind: the
    # wrapped command runs in its own process group, which the handler ends first, then the instances this run
    # started are stopped like at a normal end.
    trap 'wtc_interrupted TERM 15' TERM
    trap 'wtc_interrupted INT 2' INT
    trap 'wtc_interrupted HUP 1' HUP
    "$0" jobs >/dev/null
    for name in test test-adaptive; do
        if ! "$0" status --name "$name" >/dev/null 2>&1; then WTC_STARTED+=("$name"); fi
    done
    tmp="$(mktemp -d)"
    # Both instances boot at once: about 15 s instead of 2 x 10 s on two cores.
    "$0" start --name test --slots "$TEST_SLOTS" > "$tmp/test.url" 2> "$tmp/test.err" & WTC_PIDS+=($!)
    "$0" start --name test-adaptive --adaptive --slots "$TEST_SLOTS" \
        > "$tmp/test-adaptive.url" 2> "$tmp/test-adaptive.err" & WTC_PIDS+=($!)
    wait "${WTC_PIDS[0]}" || status=$?
    wait "${WTC_PIDS[1]}" || status=$?
    WTC_PIDS=()
    cat "$tmp/test.err" "$tmp/test-adaptive.err" >&2
    url_default="$(cat "$tmp/test.url")"; url_adaptive="$(cat "$tmp/test-adaptive.url")"
    rm -rf "$tmp"
    if [ "$status" -ne 0 ] || [ -z "$url_default" ] || [ -z "$url_adaptive" ]; then
        wtc_stop_started
        die "could not start the test instances"
    fi
    log "running: ${WRAPPED_COMMAND[*]}"
    # In the background (its own session, so the whole tree can be signalled), waited for: a trapped signal
    # interrupts `wait`, where a foreground command would delay the handler until it ended by itself.
    FLINK_TEST_REST_URL="$url_default" FLINK_TEST_ADAPTIVE_REST_URL="$url_adaptive" setsid "${WRAPPED_COMMAND[@]}" &
    WTC_PIDS=($!)
    wait "${WTC_PIDS[0]}" || status=$?
    WTC_PIDS=()
    wtc_stop_started
    return "$status"
}

# Stops the instances with-test-clusters started, and the restart instances tests start on their own.
wtc_stop_started() {
    local name
    for name in "${WTC_STARTED[@]}" test-restart e2e-restart e2e-chaos; do "$0" stop --name "$name" || true; done
}

# Signal handler of with-test-clusters: ends what is running (the wrapped command's process group, or the
# instance starts), stops the instances, and exits 128 + the signal number.
wtc_interrupted() {
    local signal="$1" number="$2" pid
    trap '' TERM INT HUP
    log "received SIG$signal: stopping the wrapped command and the Flink instances this run started"
    for pid in "${WTC_PIDS[@]}"; do
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in "${WTC_PIDS[@]}"; do
        local waited=0
        while kill -0 "$pid" 2>/dev/null && [ $waited -lt 150 ]; do sleep 0.1; waited=$(( waited + 1 )); done
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    done
    wtc_stop_started
    exit $(( 128 + number ))
}

case "$COMMAND" in
    install) ensure_java; ensure_flink; log "Java and Flink $FLINK_VERSION ready (FLINK_HOME=$FLINK_HOME)" ;;
    start) do_start start ;;
    restart) do_start restart ;;
    stop) do_stop ;;
    status) do_status ;;
    env) do_env ;;
    jobs) do_jobs ;;
    logs) do_logs ;;
    with-test-clusters) do_with_test_clusters ;;
    -h|--help|help) usage ;;
    *) die "unknown command '$COMMAND' (see --help)" ;;
esac
