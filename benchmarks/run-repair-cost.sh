#!/usr/bin/env bash
#
# Builds the load benchmark's application (benchmarks/load-app) and the benchmarks module,
# then measures what the repair of copies costs a cluster at rest
# (io.sessionreplication.benchmarks.load.RepairCostBenchmark): for each backend and repair
# interval it starts the application's nodes on 127.0.0.1 as separate JVMs, creates idle
# sessions, and measures the nodes' CPU and this starter's bytes over a window, with the
# repair's meters. It appends a Markdown table to target/repair-cost.md and stops only the
# processes it started.
#
# Environment (each becomes -Drepair.<name> or -Dload.<name>; see RepairCostBenchmark):
#   BACKENDS     ALL_TO_ALL_SYNC and/or PRIMARY_BACKUP_SYNC (default both)
#   NODES        nodes per cluster (default 3)
#   SESSIONS     idle sessions (default 100000)
#   INTERVALS    repair intervals in seconds, 0 for repair off, the baseline (default "0,30,1")
#   SETTLE       seconds between the last session created and the window (default 60)
#   WINDOW       seconds measured (default 300)
#   HEAP         heap of each node (default 1g: every node of all-to-all holds every session)
#   WORKERS      client threads that create the sessions (default 16)
#   MVN_ARGS     extra arguments of the build, e.g. "-o" (default none)
#   SKIP_BUILD   set to 1 to use the jars already built
#
# Example: BACKENDS=ALL_TO_ALL_SYNC INTERVALS=0,1 WINDOW=60 benchmarks/run-repair-cost.sh

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MVN_ARGS="${MVN_ARGS:-}"
SKIP_BUILD="${SKIP_BUILD:-0}"

cd "$ROOT"
if [[ "$SKIP_BUILD" != "1" ]]; then
	echo "[run-repair-cost] Building: ./mvnw -B -q -pl benchmarks,benchmarks/load-app -am package -DskipTests${MVN_ARGS:+ $MVN_ARGS}"
	# shellcheck disable=SC2086 # MVN_ARGS holds several arguments
	./mvnw -B -q -pl benchmarks,benchmarks/load-app -am package -DskipTests $MVN_ARGS
fi
echo "[run-repair-cost] $(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
exec java -Drepair.backends="${BACKENDS:-ALL_TO_ALL_SYNC,PRIMARY_BACKUP_SYNC}" -Drepair.nodes="${NODES:-3}" \
	-Drepair.sessions="${SESSIONS:-100000}" -Drepair.intervals="${INTERVALS:-0,30,1}" \
	-Drepair.settle="${SETTLE:-60}" -Drepair.window="${WINDOW:-300}" \
	-Dload.heap="${HEAP:-1g}" -Dload.workers="${WORKERS:-16}" \
	-Dload.output=target/repair-cost.md -Dload.logs=target/repair-cost-logs \
	-cp benchmarks/target/benchmarks.jar io.sessionreplication.benchmarks.load.RepairCostBenchmark
