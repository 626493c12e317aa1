#!/usr/bin/env bash
#
# Builds the load benchmark's application (benchmarks/load-app) and the benchmarks module,
# then runs the load benchmark (io.sessionreplication.benchmarks.load.LoadBenchmark): for
# each cluster size and backend it starts the application's nodes on 127.0.0.1 as
# separate JVMs (and, for REDIS, a redis-server on 127.0.0.1), drives virtual users
# against them from their cold start through a schedule of phases (sticky, round-robin),
# recording throughput and CPU every 10 s, measures a kill -9 failover, and appends
# Markdown tables to target/load-results.md and draws SVG pictures beside it. It stops only the processes it started.
# When REDIS is to be measured and redis-server is not on the PATH, it installs Debian's
# package first (apt-get, as root).
#
# Environment (each becomes -Dload.<name>; see LoadSettings for all of them):
#   NODES        cluster sizes (default "2,3")
#   BACKENDS     backends (default all, in this order):
#                NONE                  no replication, the container's own sessions
#                ALL_TO_ALL_SYNC       this starter, all-to-all, delivery=sync
#                ALL_TO_ALL_SYNC_TLS   the same, with mutual TLS between the members (the tests' certificates)
#                ALL_TO_ALL_ASYNC      this starter, all-to-all, delivery=async
#                PRIMARY_BACKUP_SYNC   this starter, primary-backup, delivery=sync
#                PRIMARY_BACKUP_ASYNC  this starter, primary-backup, delivery=async
#                REDIS                 Spring Session Data Redis, one redis-server per cluster
#                HAZELCAST             Hazelcast's Spring Session, embedded members
#                INFINISPAN            Infinispan's Spring Session, embedded cache managers (DIST_SYNC, 2 owners)
#                TOMCAT_DELTA          Tomcat's SimpleTcpCluster with DeltaManager
#                TOMCAT_BACKUP         Tomcat's SimpleTcpCluster with BackupManager
#   USERS        virtual users, each with one connection per node (default 24)
#   WORKERS      client threads (default 24: one per user)
#   SCHEDULE     the phases each new cluster serves from its cold start, PATTERN:seconds
#                (default STICKY:80,ROUND_ROBIN:40,STICKY:120)
#   BUCKET       seconds between two records of throughput and CPU (default 10)
#   RUNS         runs per configuration, each on new JVMs (default 2)
#   FAILOVER_SESSIONS  sessions of the failover measurement (default 1000)
#   JVM_OPTIONS  extra options of every node's JVM, "{node}" replaced by the node's name, e.g.
#                "-XX:StartFlightRecording=filename=target/load-logs/{node}.jfr,settings=profile"
#   JAVA         the java of the nodes and the client (default: java on the PATH)
#   MVN_ARGS     extra arguments of the build, e.g. "-o" (default none)
#   SKIP_BUILD   set to 1 to use the jars already built
#
# Example: NODES=2 BACKENDS=NONE,ALL_TO_ALL_SYNC,REDIS RUNS=1 benchmarks/run-load.sh

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MVN_ARGS="${MVN_ARGS:-}"
SKIP_BUILD="${SKIP_BUILD:-0}"
BACKENDS="${BACKENDS:-}"

cd "$ROOT"
if [[ -z "$BACKENDS" || ",$BACKENDS," == *",REDIS,"* ]] && ! command -v redis-server >/dev/null; then
	echo "[run-load] Installing redis-server (Debian package)"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
fi
if [[ "$SKIP_BUILD" != "1" ]]; then
	echo "[run-load] Building: ./mvnw -B -q -pl benchmarks,benchmarks/load-app -am package -DskipTests${MVN_ARGS:+ $MVN_ARGS}"
	# shellcheck disable=SC2086 # MVN_ARGS holds several arguments
	./mvnw -B -q -pl benchmarks,benchmarks/load-app -am package -DskipTests $MVN_ARGS
fi
echo "[run-load] $(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
exec "${JAVA:-java}" -Dload.nodes="${NODES:-2,3}" ${BACKENDS:+-Dload.backends="$BACKENDS"} \
	-Dload.users="${USERS:-24}" -Dload.workers="${WORKERS:-24}" \
	-Dload.schedule="${SCHEDULE:-STICKY:80,ROUND_ROBIN:40,STICKY:120}" -Dload.bucket="${BUCKET:-10}" -Dload.runs="${RUNS:-2}" \
	-Dload.failover-sessions="${FAILOVER_SESSIONS:-1000}" ${JVM_OPTIONS:+-Dload.jvm-options="$JVM_OPTIONS"} \
	-cp benchmarks/target/benchmarks.jar io.sessionreplication.benchmarks.load.LoadBenchmark
