#!/usr/bin/env bash
#
# Starts a local cluster of the web sample: one JVM per HTTP port, all on 127.0.0.1,
# finding each other with the zero-configuration defaults (JGroups on 127.0.0.1:7800-7810).
# The first node is started alone and must be ready before the others start, so that it
# is the coordinator every other node joins. Ctrl-C (or TERM, or any exit) stops exactly
# the processes this script started.
#
# Environment:
#   PORTS          HTTP ports, one node each (default "8081 8082 8083")
#   READY_TIMEOUT  seconds to wait for each node's readiness (default 120)
#   JAVA_OPTS      JVM options of each node (default "-Xmx256m -XX:TieredStopAtLevel=1")
#   APP_ARGS       application arguments of each node (default none), for example
#                  "--session.replication.mode=primary-backup"
#   MVN_ARGS       extra arguments of the build, e.g. "-o" (default none)
#   SKIP_BUILD     set to 1 to use the jar already built
#   MAX_SECONDS    stop the cluster after this many seconds (default: run until Ctrl-C)
#
# Try, in another terminal, one cookie jar for all nodes:
#   curl -c jar -b jar http://127.0.0.1:8081/counter
#   curl -c jar -b jar http://127.0.0.1:8082/counter
# and kill -9 a node (its PID is printed) to see the others keep the session.

set -euo pipefail

if ((BASH_VERSINFO[0] < 5 || (BASH_VERSINFO[0] == 5 && BASH_VERSINFO[1] < 1))); then
	echo "[local-cluster] needs bash 5.1 or later (wait -n -p), this is $BASH_VERSION" >&2
	exit 2
fi

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PORTS="${PORTS:-8081 8082 8083}"
READY_TIMEOUT="${READY_TIMEOUT:-120}"
JAVA_OPTS="${JAVA_OPTS:--Xmx256m -XX:TieredStopAtLevel=1}"
APP_ARGS="${APP_ARGS:-}"
MVN_ARGS="${MVN_ARGS:-}"
SKIP_BUILD="${SKIP_BUILD:-0}"
MAX_SECONDS="${MAX_SECONDS:-}"
LOG_DIR="$ROOT/target/local-cluster"
SHUTDOWN_TIMEOUT=30

declare -a PIDS=()
declare -A PORT_OF=()
WATCHDOG_PID=""

log() {
	printf '[local-cluster] %s\n' "$*"
}

# Stops the nodes this script started: TERM (graceful shutdown), then KILL for the ones
# still running after SHUTDOWN_TIMEOUT seconds.
cleanup() {
	local status=$?
	trap - INT TERM EXIT
	if [[ -n "$WATCHDOG_PID" ]]; then
		kill "$WATCHDOG_PID" 2>/dev/null || true
	fi
	local alive=()
	local pid
	for pid in "${PIDS[@]}"; do
		if kill -0 "$pid" 2>/dev/null; then
			alive+=("$pid")
		fi
	done
	if ((${#alive[@]} > 0)); then
		log "Stopping ${#alive[@]} node(s): ${alive[*]}"
		kill -TERM "${alive[@]}" 2>/dev/null || true
		local deadline=$((SECONDS + SHUTDOWN_TIMEOUT))
		for pid in "${alive[@]}"; do
			while kill -0 "$pid" 2>/dev/null && ((SECONDS < deadline)); do
				sleep 0.2
			done
			if kill -0 "$pid" 2>/dev/null; then
				log "Node ${PORT_OF[$pid]} (PID $pid) did not stop within ${SHUTDOWN_TIMEOUT}s: killing it"
				kill -KILL "$pid" 2>/dev/null || true
			fi
		done
		wait "${alive[@]}" 2>/dev/null || true
	fi
	log "Stopped. Logs are in $LOG_DIR"
	exit "$status"
}

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port_in_use() {
	(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

# Waits until the node on port $1 (PID $2) reports readiness UP, or fails with its log.
await_ready() {
	local port=$1 pid=$2
	local deadline=$((SECONDS + READY_TIMEOUT))
	while ((SECONDS < deadline)); do
		if ! kill -0 "$pid" 2>/dev/null; then
			log "Node $port (PID $pid) exited before it was ready. Last lines of $LOG_DIR/node-$port.log:"
			tail -n 40 "$LOG_DIR/node-$port.log" >&2
			return 1
		fi
		if curl -fsS -m 2 "http://127.0.0.1:$port/actuator/health/readiness" 2>/dev/null | grep -q '"UP"'; then
			return 0
		fi
		sleep 0.5
	done
	log "Node $port (PID $pid) was not ready within ${READY_TIMEOUT}s. Last lines of $LOG_DIR/node-$port.log:"
	tail -n 40 "$LOG_DIR/node-$port.log" >&2
	return 1
}

start_node() {
	local port=$1
	local log_file="$LOG_DIR/node-$port.log"
	# shellcheck disable=SC2086 # JAVA_OPTS and APP_ARGS hold several words
	java $JAVA_OPTS -jar "$JAR" --server.port="$port" $APP_ARGS >"$log_file" 2>&1 &
	local pid=$!
	PIDS+=("$pid")
	PORT_OF[$pid]=$port
	log "Started node $port (PID $pid), log $log_file"
	await_ready "$port" "$pid"
	log "Node $port is ready"
}

read -r -a PORT_LIST <<<"$PORTS"
if ((${#PORT_LIST[@]} == 0)); then
	log "PORTS is empty"
	exit 2
fi
for port in "${PORT_LIST[@]}"; do
	if ! [[ "$port" =~ ^[0-9]+$ ]]; then
		log "Not a port: '$port'"
		exit 2
	fi
	if port_in_use "$port"; then
		log "Port $port is already in use on 127.0.0.1"
		exit 2
	fi
done

cd "$ROOT"
if [[ "$SKIP_BUILD" != "1" ]]; then
	log "Building: ./mvnw -q -DskipTests package${MVN_ARGS:+ $MVN_ARGS}"
	# shellcheck disable=SC2086 # MVN_ARGS holds several arguments
	./mvnw -q -DskipTests package $MVN_ARGS
fi
JAR=""
for candidate in "$ROOT"/samples/web/target/session-replication-sample-web-*.jar; do
	if [[ -f "$candidate" && "$candidate" != *.original ]]; then
		JAR="$candidate"
	fi
done
if [[ -z "$JAR" ]]; then
	log "No sample jar in samples/web/target: build it, or run without SKIP_BUILD=1"
	exit 2
fi

mkdir -p "$LOG_DIR"
for port in "${PORT_LIST[@]}"; do
	start_node "$port"
done

echo
log "Cluster of ${#PORT_LIST[@]} node(s) is up. One cookie jar follows the session across nodes:"
for port in "${PORT_LIST[@]}"; do
	echo "  curl -c jar -b jar http://127.0.0.1:$port/counter"
done
echo "  curl -c jar -b jar -X POST http://127.0.0.1:${PORT_LIST[0]}/logout"
for pid in "${PIDS[@]}"; do
	echo "  node ${PORT_OF[$pid]}: PID $pid, readiness http://127.0.0.1:${PORT_OF[$pid]}/actuator/health/readiness"
done
if [[ -n "$MAX_SECONDS" ]]; then
	sleep "$MAX_SECONDS" &
	WATCHDOG_PID=$!
	log "Stopping after ${MAX_SECONDS}s, or on Ctrl-C"
else
	log "Press Ctrl-C to stop"
fi
echo

# One pass per process that ends: a node (killed to try failover; the others go on) or
# the watchdog (time is up). Bounded by the number of processes.
remaining=("${PIDS[@]}")
for ((round = 0; round <= ${#PIDS[@]}; round++)); do
	if [[ -n "$WATCHDOG_PID" ]]; then
		wait -n -p ended "${remaining[@]}" "$WATCHDOG_PID" && code=0 || code=$?
	else
		wait -n -p ended "${remaining[@]}" && code=0 || code=$?
	fi
	if [[ "${ended:-}" == "$WATCHDOG_PID" ]]; then
		log "${MAX_SECONDS}s have passed"
		WATCHDOG_PID=""
		exit 0
	fi
	if [[ -z "${ended:-}" ]]; then
		break
	fi
	log "Node ${PORT_OF[$ended]} (PID $ended) exited with status $code"
	next=()
	for pid in "${remaining[@]}"; do
		if [[ "$pid" != "$ended" ]]; then
			next+=("$pid")
		fi
	done
	remaining=("${next[@]}")
	if ((${#remaining[@]} == 0)); then
		log "No node is left"
		exit 1
	fi
	unset ended
done
