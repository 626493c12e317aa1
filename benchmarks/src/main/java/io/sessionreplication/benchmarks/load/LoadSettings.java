package io.sessionreplication.benchmarks.load;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the load benchmark runs, from system properties ({@code -Dload.users=200}, ...),
 * each with a default.
 *
 * @param jar the load application's executable jar ({@code load.jar})
 * @param heap the heap of each node ({@code load.heap}, default {@code 256m})
 * @param jvmOptions more JVM options of each node, separated by spaces
 * ({@code load.jvm-options}, none), for example to record a profile with JFR;
 * {@code {node}} stands for the run and the node's name, as in {@code 2-NONE-node-1}
 * @param nodeCounts the cluster sizes ({@code load.nodes}, default {@code 2,3})
 * @param backends the backends ({@code load.backends}, default all)
 * @param users the virtual users, each with its own session ({@code load.users}, 200)
 * @param workers the threads that send their requests ({@code load.workers}, 16)
 * @param clusterWarmup how long a new cluster serves the workload, unmeasured, before its
 * first run, so that the first run does not meet cold JVMs ({@code load.cluster-warmup},
 * 120 s: on 2 cores the nodes' JIT compilers, short of CPU under load, take about 90 s to
 * finish, and a first run before that measured half the throughput of the second); the
 * warm-up then goes on until the cluster is at steady state ({@link Workload#warmUp})
 * @param maxClusterWarmup how long the warm-up may go on in all, if the cluster does not
 * reach steady state before ({@code load.max-cluster-warmup}, 360 s)
 * @param warmup how long each run warms up first ({@code load.warmup}, 10 s)
 * @param duration how long each run measures ({@code load.duration}, 15 s)
 * @param runs how many times each configuration runs ({@code load.runs}, 2)
 * @param failoverSessions the sessions of the failover measurement
 * ({@code load.failover-sessions}, 1000)
 * @param output the Markdown file the results are appended to ({@code load.output})
 * @param logs where the nodes' logs go ({@code load.logs})
 */
record LoadSettings(Path jar, String heap, List<String> jvmOptions, List<Integer> nodeCounts, List<Backend> backends,
		int users, int workers, Duration clusterWarmup, Duration maxClusterWarmup, Duration warmup, Duration duration,
		int runs, int failoverSessions, Path output, Path logs) {

	static LoadSettings fromSystemProperties() {
		return new LoadSettings(
				Path.of(property("load.jar",
						"benchmarks/load-app/target/session-replication-benchmarks-load-app-0.1.0-SNAPSHOT.jar")),
				property("load.heap", "256m"),
				Arrays.stream(property("load.jvm-options", "").split(" "))
					.filter((option) -> !option.isBlank())
					.toList(),
				Arrays.stream(property("load.nodes", "2,3").split(","))
					.map(String::trim)
					.map(Integer::valueOf)
					.toList(),
				Arrays
					.stream(property("load.backends",
							Arrays.stream(Backend.values()).map(Backend::name).collect(Collectors.joining(",")))
						.split(","))
					.map(String::trim)
					.map(Backend::valueOf)
					.toList(),
				Integer.parseInt(property("load.users", "200")), Integer.parseInt(property("load.workers", "16")),
				Duration.ofSeconds(Long.parseLong(property("load.cluster-warmup", "120"))),
				Duration.ofSeconds(Long.parseLong(property("load.max-cluster-warmup", "360"))),
				Duration.ofSeconds(Long.parseLong(property("load.warmup", "10"))),
				Duration.ofSeconds(Long.parseLong(property("load.duration", "15"))),
				Integer.parseInt(property("load.runs", "2")),
				Integer.parseInt(property("load.failover-sessions", "1000")),
				Path.of(property("load.output", "target/load-results.md")),
				Path.of(property("load.logs", "target/load-logs")));
	}

	private static String property(String name, String defaultValue) {
		return System.getProperty(name, defaultValue);
	}

}
