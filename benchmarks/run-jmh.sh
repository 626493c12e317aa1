#!/usr/bin/env bash
#
# Builds the benchmarks module and runs its JMH microbenchmarks, after printing the
# machine they run on. JMH prints its usual text table at the end; the results also go,
# as JSON, to RESULT_FILE. The defaults make a quick run, about ten seconds per
# benchmark method: enough to compare on one machine, with errors to look at.
#
# Environment:
#   BENCHMARKS         regular expression of the benchmarks to run (default: all)
#   FORKS              JMH forks per benchmark (default 1)
#   WARMUP_ITERATIONS  warm-up iterations (default 3)
#   WARMUP_TIME        time of each warm-up iteration (default 1s)
#   ITERATIONS         measured iterations (default 5)
#   ITERATION_TIME     time of each measured iteration (default 1s)
#   RESULT_FILE        where the JSON results go (default target/jmh-result.json)
#   JMH_ARGS           further JMH options, e.g. "-prof gc" (default none)
#   MVN_ARGS           extra arguments of the build, e.g. "-o" (default none)
#   SKIP_BUILD         set to 1 to use the jar already built
#
# Examples:
#   benchmarks/run-jmh.sh
#   BENCHMARKS=RequestOverhead FORKS=3 benchmarks/run-jmh.sh

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCHMARKS="${BENCHMARKS:-}"
FORKS="${FORKS:-1}"
WARMUP_ITERATIONS="${WARMUP_ITERATIONS:-3}"
WARMUP_TIME="${WARMUP_TIME:-1s}"
ITERATIONS="${ITERATIONS:-5}"
ITERATION_TIME="${ITERATION_TIME:-1s}"
RESULT_FILE="${RESULT_FILE:-target/jmh-result.json}"
JMH_ARGS="${JMH_ARGS:-}"
MVN_ARGS="${MVN_ARGS:-}"
SKIP_BUILD="${SKIP_BUILD:-0}"
JAR="$ROOT/benchmarks/target/benchmarks.jar"

log() {
	printf '[run-jmh] %s\n' "$*"
}

cd "$ROOT"
if [[ "$SKIP_BUILD" != "1" ]]; then
	log "Building: ./mvnw -B -q -pl benchmarks -am package -DskipTests${MVN_ARGS:+ $MVN_ARGS}"
	# shellcheck disable=SC2086 # MVN_ARGS holds several arguments
	./mvnw -B -q -pl benchmarks -am package -DskipTests $MVN_ARGS
fi
if [[ ! -f "$JAR" ]]; then
	log "No $JAR: build it, or run without SKIP_BUILD=1"
	exit 2
fi

log "Machine: $(nproc) cores, $(uname -sm), at $(date -u '+%Y-%m-%dT%H:%M:%SZ'), load average $(cut -d ' ' -f 1-3 /proc/loadavg 2>/dev/null || echo unknown)"
java -version 2>&1 | sed 's/^/[run-jmh]   /'

mkdir -p "$(dirname "$RESULT_FILE")"
jmh_options=(-f "$FORKS" -wi "$WARMUP_ITERATIONS" -w "$WARMUP_TIME" -i "$ITERATIONS" -r "$ITERATION_TIME"
	-rf json -rff "$RESULT_FILE")
log "Running: java -jar benchmarks/target/benchmarks.jar ${jmh_options[*]}${JMH_ARGS:+ $JMH_ARGS}${BENCHMARKS:+ $BENCHMARKS}"
# shellcheck disable=SC2086 # JMH_ARGS holds several options
java -jar "$JAR" "${jmh_options[@]}" $JMH_ARGS ${BENCHMARKS:+"$BENCHMARKS"}
log "Results: $RESULT_FILE"
