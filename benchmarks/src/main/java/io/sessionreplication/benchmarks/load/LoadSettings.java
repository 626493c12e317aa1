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
 * @param users the virtual users, each with its own session and one connection to each
 * node it calls ({@code load.users}, 24)
 * @param workers the threads that send their requests ({@code load.workers}, 24: one per
 * user, a closed loop of its own)
 * @param schedule the phases each new cluster serves from its cold start, as
 * {@code PATTERN:seconds} items ({@code load.schedule}, default
 * {@code STICKY:80,ROUND_ROBIN:40,STICKY:120}: the first 80 s from a cold start, then
 * requests that alternate between nodes, then sticky again at steady state); a backend
 * whose nodes do not share sessions serves every phase sticky
 * @param bucket how often the throughput and the CPU are recorded ({@code load.bucket},
 * 10 s)
 * @param runs how many times each configuration runs, each on a new cluster
 * ({@code load.runs}, 2)
 * @param failoverSessions the sessions of the failover measurement
 * ({@code load.failover-sessions}, 1000)
 * @param output the Markdown file the results are appended to ({@code load.output})
 * @param logs where the nodes' logs go ({@code load.logs})
 */
record LoadSettings(Path jar, String heap, List<String> jvmOptions, List<Integer> nodeCounts, List<Backend> backends,
		int users, int workers, List<Phase> schedule, Duration bucket, int runs, int failoverSessions, Path output,
		Path logs) {

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
				Integer.parseInt(property("load.users", "24")), Integer.parseInt(property("load.workers", "24")),
				Phase.parse(property("load.schedule", "STICKY:80,ROUND_ROBIN:40,STICKY:120"), bucketProperty()),
				bucketProperty(), Integer.parseInt(property("load.runs", "2")),
				Integer.parseInt(property("load.failover-sessions", "1000")),
				Path.of(property("load.output", "target/load-results.md")),
				Path.of(property("load.logs", "target/load-logs")));
	}

	private static Duration bucketProperty() {
		return Duration.ofSeconds(Long.parseLong(property("load.bucket", "10")));
	}

	private static String property(String name, String defaultValue) {
		return System.getProperty(name, defaultValue);
	}

}
