package io.sessionreplication.benchmarks.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.sessionreplication.benchmarks.load.Workload.Pattern;

/**
 * The load benchmark: for each cluster size and backend, it starts the nodes of the load
 * application (and the backend's server, where it has one), drives virtual users against
 * them in the {@code sticky} and {@code round-robin} patterns ({@code round-robin} only
 * where sessions are shared), then measures a failover on a cluster of its own. It prints
 * one Markdown table row per run and appends them to the output file, followed by the
 * sticky throughput of each backend as a ratio of no replication's, from the same run of
 * the benchmark. Settings: {@link LoadSettings}.
 */
public final class LoadBenchmark {

	private final LoadSettings settings;

	private final Map<String, List<Double>> stickyThroughput = new LinkedHashMap<>();

	private final Map<String, Workload.WarmUp> warmUps = new LinkedHashMap<>();

	private LoadBenchmark(LoadSettings settings) {
		this.settings = settings;
	}

	public static void main(String[] args) {
		new LoadBenchmark(LoadSettings.fromSystemProperties()).run();
	}

	private void run() {
		print("## Load benchmark run of " + Instant.now() + "\n\n" + machine() + "\n\n" + this.settings + "\n");
		print("| nodes | backend | pattern | run | req/s | p50 ms | p99 ms | p99.9 ms | stale | lost | errors "
				+ "| CPU (cores, all processes) | driver CPU (cores) | peak RSS (MiB, largest node) "
				+ "| peak RSS (MiB, all processes) | replication bytes/request | replication payloads/request "
				+ "| context switches/request (voluntary / involuntary) |\n"
				+ "|---|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
		for (int size : this.settings.nodeCounts()) {
			for (Backend backend : this.settings.backends()) {
				measureLoad(size, backend);
			}
		}
		print("\n| backend | sessions | lost | counter went back |\n|---|---:|---:|---:|");
		int failoverSize = this.settings.nodeCounts().stream().mapToInt(Integer::intValue).max().orElse(3);
		for (Backend backend : this.settings.backends()) {
			try (BenchmarkCluster cluster = new BenchmarkCluster(this.settings, backend, failoverSize,
					"failover-" + backend)) {
				Failover.Result result = Failover.measure(cluster.nodes(), this.settings.failoverSessions());
				print("| " + backend + " | " + result.sessions() + " | " + result.lost() + " | " + result.wentBack()
						+ " |");
			}
		}
		printRatios();
		printWarmUps();
	}

	private void measureLoad(int size, Backend backend) {
		try (BenchmarkCluster cluster = new BenchmarkCluster(this.settings, backend, size, size + "-" + backend)) {
			Workload workload = new Workload(cluster, this.settings);
			List<Pattern> patterns = backend.isReplicated() ? List.of(Pattern.STICKY, Pattern.ROUND_ROBIN)
					: List.of(Pattern.STICKY);
			this.warmUps.put(size + " " + backend, workload.warmUp(patterns));
			for (Pattern pattern : patterns) {
				for (int run = 1; run <= this.settings.runs(); run++) {
					Measurement m = workload.run(pattern);
					print(String.format(Locale.ROOT,
							"| %d | %s | %s | %d | %.0f | %.2f | %.2f | %.2f | %d | %d | %d | %.2f | %.2f | %.0f | %.0f | %.0f | %.2f | %.1f / %.1f |",
							size, backend, pattern, run, m.throughput(), m.percentileMillis(50), m.percentileMillis(99),
							m.percentileMillis(99.9), m.stale(), m.lost(), m.errors(), m.coresUsed(),
							m.driverCoresUsed(), m.peakResidentBytes() / 1048576.0,
							m.totalPeakResidentBytes() / 1048576.0, m.replicationBytesPerRequest(),
							m.replicationPayloadsPerRequest(), m.voluntarySwitchesPerRequest(),
							m.involuntarySwitchesPerRequest()));
					if (pattern == Pattern.STICKY) {
						this.stickyThroughput.computeIfAbsent(size + " " + backend, (key) -> new ArrayList<>())
							.add(m.throughput());
					}
				}
			}
		}
	}

	private void printRatios() {
		print("\nSticky throughput as a ratio of no replication (NONE), same cluster size, mean of the runs:\n\n"
				+ "| nodes | backend | ratio |\n|---|---|---:|");
		for (int size : this.settings.nodeCounts()) {
			List<Double> none = this.stickyThroughput.get(size + " " + Backend.NONE);
			if (none == null) {
				continue;
			}
			for (Backend backend : this.settings.backends()) {
				List<Double> measured = this.stickyThroughput.get(size + " " + backend);
				print(String.format(Locale.ROOT, "| %d | %s | %.2f |", size, backend, mean(measured) / mean(none)));
			}
		}
	}

	private void printWarmUps() {
		print("\nWarm-up of each cluster before its first run: the throughput of its last slices of "
				+ Workload.STEADY_SLICE.toSeconds() + " s, and whether the last two agreed within "
				+ Math.round(Workload.STEADY_TOLERANCE * 100) + "%:\n\n"
				+ "| nodes and backend | warm-up (s) | slices (req/s) | steady |\n|---|---:|---|---|");
		this.warmUps.forEach((cluster,
				warmUp) -> print("| " + cluster + " | " + warmUp.took().toSeconds() + " | "
						+ warmUp.slices().stream().map((slice) -> String.format(Locale.ROOT, "%.0f", slice)).toList()
						+ " | " + (warmUp.steady() ? "yes" : "no") + " |"));
	}

	private static double mean(List<Double> values) {
		return values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
	}

	private static String machine() {
		return "Machine: " + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name")
				+ " " + System.getProperty("os.arch") + ", Java " + System.getProperty("java.runtime.version") + " ("
				+ ManagementFactory.getRuntimeMXBean().getVmName() + ")";
	}

	private void print(String text) {
		System.out.println(text);
		try {
			Files.createDirectories(this.settings.output().toAbsolutePath().getParent());
			Files.writeString(this.settings.output(), text + "\n", StandardOpenOption.CREATE,
					StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
