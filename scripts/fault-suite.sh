#!/usr/bin/env bash
#
# Runs the fault suite (samples/web, FaultSuiteIntegrationTests) in its long form: three
# nodes of the web sample, each in a network namespace of its own, serve many users while
# faults are injected (kill -9 then restart, SIGSTOP then SIGCONT, a network partition then
# its healing, a partition with writes on both sides then its healing), ROUNDS times each,
# in all-to-all and in primary-backup mode. After every fault the checker verifies, with
# the cluster at rest: no acknowledged update lost, no counter gone back, no invalidated
# session back, all owners' copies equal, every node ready in one view; after writes on
# both sides, the later write kept and every discarded write counted. ./mvnw verify runs
# the short form (ROUNDS=1).
#
# Needs root and iproute2 (ip netns). Stops only the processes it started, and deletes
# the namespaces and the bridge it created.
#
# Environment:
#   ROUNDS     how many times each fault is injected per mode (default 5)
#   SEED       repeat the random choices of an earlier run (printed in its report)
#   MODES      FaultSuiteIntegrationTests methods to run (default "allToAll+primaryBackup")
#   ARGUMENTS  more arguments of every node, separated by spaces, for example
#              "--session.replication.delivery=async" (default none)
#   MVN_ARGS   extra arguments of the build, e.g. "-o" (default none)
#
# The report (faults, timings, WARN and ERROR lines of the nodes) is in
# samples/web/target/failsafe-reports/, and the node logs in samples/web/target/e2e-logs/.

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if [[ $(id -u) -ne 0 ]]; then
	echo "[fault-suite] needs root, for the network namespaces of the partition fault" >&2
	exit 2
fi
if ! command -v ip > /dev/null; then
	echo "[fault-suite] needs iproute2's ip command (apt-get install iproute2)" >&2
	exit 2
fi

SEED_ARG=()
if [[ -n "${SEED:-}" ]]; then
	SEED_ARG=("-Dfaults.seed=$SEED")
fi
# shellcheck disable=SC2086 # MVN_ARGS holds several arguments
exec ./mvnw -B ${MVN_ARGS:-} -pl samples/web -am verify \
	-Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false -Dfailsafe.failIfNoSpecifiedTests=false \
	-Dit.test="FaultSuiteIntegrationTests#${MODES:-allToAll+primaryBackup}" \
	-Dfaults.rounds="${ROUNDS:-5}" -Dfaults.arguments="${ARGUMENTS:-}" "${SEED_ARG[@]}"
