package io.sessionreplication.benchmarks.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.sessionreplication.benchmarks.load.Timeline.Bucket;
import io.sessionreplication.benchmarks.load.Timeline.PhaseResult;

/**
 * The load benchmark: for each cluster size, backend and run, it starts new nodes of the
 * load application (and the backend's server, where it has one), and drives virtual users
 * against them from their cold start through the phases of the schedule, recording the
 * throughput and CPU every bucket of time ({@link Workload}); then it measures a failover
 * on a cluster of its own. It prints Markdown tables (each phase of each run, the ratios
 * to no replication from the same run of the benchmark, the throughput curves) and
 * appends them to the output file, and draws the curves and the ratios as SVG pictures
 * beside it. Settings: {@link LoadSettings}.
 */
public final class LoadBenchmark {

	/** The share of steady-state throughput that a warm cluster reaches. */
	private static final double WARM = 0.9;

	private final LoadSettings settings;

	/** The timelines of each cluster size and backend, one per run. */
	private final Map<Integer, Map<Backend, List<Timeline>>> timelines = new LinkedHashMap<>();

	private LoadBenchmark(LoadSettings settings) {
		this.settings = settings;
	}

	public static void main(String[] args) {
		new LoadBenchmark(LoadSettings.fromSystemProperties()).run();
	}

	private void run() {
		print("## Load benchmark run of " + Instant.now() + "\n\n" + machine() + "\n\n" + this.settings + "\n");
		print("| nodes | backend | run | phase | from (s) | req/s | p50 ms | p99 ms | p99.9 ms | stale | lost | errors "
				+ "| server CPU per request (µs) | client CPU per request (µs) | client CPU (cores) "
				+ "| peak RSS (MiB, largest node) | replication bytes/request | replication payloads/request "
				+ "| context switches/request (voluntary / involuntary) |\n"
				+ "|---|---|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
		for (int size : this.settings.nodeCounts()) {
			for (Backend backend : this.settings.backends()) {
				for (int run = 1; run <= this.settings.runs(); run++) {
					measureLoad(size, backend, run);
				}
			}
		}
		this.timelines.forEach(this::report);
		print("\n| backend | sessions | lost | counter went back | first request after the kill (ms) | longest request after the kill (ms) |\n|---|---:|---:|---:|---:|---:|");
		int failoverSize = this.settings.nodeCounts().stream().mapToInt(Integer::intValue).max().orElse(3);
		for (Backend backend : this.settings.backends()) {
			try (BenchmarkCluster cluster = new BenchmarkCluster(this.settings, backend, failoverSize,
					"failover-" + backend)) {
				Failover.Result result = Failover.measure(cluster.nodes(), this.settings.failoverSessions());
				print("| " + backend + " | " + result.sessions() + " | " + result.lost() + " | " + result.wentBack()
						+ " | " + result.first().toMillis() + " | " + result.longest().toMillis() + " |");
			}
		}
	}

	private void measureLoad(int size, Backend backend, int run) {
		List<Phase> schedule = backend.isReplicated() ? this.settings.schedule()
				: this.settings.schedule().stream().map(Phase::forUnsharedSessions).toList();
		Timeline timeline;
		try (BenchmarkCluster cluster = new BenchmarkCluster(this.settings, backend, size,
				size + "-" + backend + "-" + run)) {
			timeline = new Workload(cluster, this.settings).run(schedule);
		}
		this.timelines.computeIfAbsent(size, (key) -> new LinkedHashMap<>())
			.computeIfAbsent(backend, (key) -> new ArrayList<>())
			.add(timeline);
		for (PhaseResult phase : timeline.phases()) {
			Measurement m = phase.measurement();
			print(String.format(Locale.ROOT,
					"| %d | %s | %d | %s | %d | %.0f | %.2f | %.2f | %.2f | %d | %d | %d | %.0f | %.1f | %.2f | %.0f | %.0f | %.2f | %.1f / %.1f |",
					size, backend, run, phase.phase(), phase.start().toSeconds(), m.throughput(),
					m.percentileMillis(50), m.percentileMillis(99), m.percentileMillis(99.9), m.stale(), m.lost(),
					m.errors(), m.cpuMicrosPerRequest(), m.driverCpuMicrosPerRequest(), m.driverCoresUsed(),
					m.peakResidentBytes() / 1048576.0, m.replicationBytesPerRequest(),
					m.replicationPayloadsPerRequest(), m.voluntarySwitchesPerRequest(),
					m.involuntarySwitchesPerRequest()));
		}
	}

	/**
	 * The ratios to no replication, the warm-up, the curves of one cluster size, and its
	 * pictures.
	 */
	private void report(int size, Map<Backend, List<Timeline>> byBackend) {
		List<Phase> schedule = this.settings.schedule();
		List<Timeline> none = byBackend.get(Backend.NONE);
		StringBuilder header = new StringBuilder("\n" + size
				+ " nodes: each phase's throughput as a ratio of no replication's (NONE, whose users stay sticky in every "
				+ "phase), mean of the runs; server CPU "
				+ "per request in the last phase, as a ratio of NONE's; when the throughput first reached "
				+ Math.round(WARM * 100) + "% of the last phase's:\n\n| backend |");
		StringBuilder rule = new StringBuilder("|---|");
		for (int phase = 0; phase < schedule.size(); phase++) {
			header.append(" ").append(phase + 1).append(": ").append(schedule.get(phase)).append(" |");
			rule.append("---:|");
		}
		print(header + " CPU per request, last phase | " + Math.round(WARM * 100) + "% reached after (s) |\n" + rule
				+ "---:|---:|");
		Map<String, double[]> ratios = new LinkedHashMap<>();
		Map<String, List<double[]>> curves = new LinkedHashMap<>();
		int last = schedule.size() - 1;
		for (Map.Entry<Backend, List<Timeline>> entry : byBackend.entrySet()) {
			List<Timeline> runs = entry.getValue();
			double[] ratio = new double[schedule.size()];
			StringBuilder row = new StringBuilder("| " + entry.getKey() + " |");
			for (int phase = 0; phase < schedule.size(); phase++) {
				ratio[phase] = (none != null) ? meanThroughput(runs, phase) / meanThroughput(none, phase) : Double.NaN;
				row.append(String.format(Locale.ROOT, " %.2f |", ratio[phase]));
			}
			double cpu = (none != null) ? meanCpu(runs, last) / meanCpu(none, last) : Double.NaN;
			row.append(String.format(Locale.ROOT, " %.2f |", cpu));
			row.append(" ").append(runs.stream().map((timeline) -> {
				Duration reached = timeline.reached(WARM, timeline.phases().get(last).measurement().throughput());
				return (reached != null) ? String.valueOf(reached.toSeconds()) : "never";
			}).toList()).append(" |");
			print(row.toString());
			ratios.put(entry.getKey().toString(), ratio);
			curves.put(entry.getKey().toString(), meanCurve(runs));
		}
		print("\n" + size + " nodes: requests per second in each bucket of " + this.settings.bucket().toSeconds()
				+ " s from the cold start, every run (client CPU per request, µs, in the bucket in brackets):\n\n"
				+ "| backend | run | req/s |\n|---|---:|---|");
		byBackend.forEach((backend, runs) -> {
			for (int run = 0; run < runs.size(); run++) {
				print("| " + backend + " | " + (run + 1) + " | "
						+ runs.get(run)
							.buckets()
							.stream()
							.map((bucket) -> String.format(Locale.ROOT, "%.0f (%.0f)", bucket.throughput(),
									bucket.driverCpuNanos() / 1e3 / Math.max(1, bucket.requests())))
							.toList()
						+ " |");
			}
		});
		Map<Double, String> marks = new LinkedHashMap<>();
		Duration at = Duration.ZERO;
		for (Phase phase : schedule) {
			marks.put((double) at.toSeconds(), phase.pattern().toString().toLowerCase(Locale.ROOT));
			at = at.plus(phase.duration());
		}
		List<String> groups = schedule.stream().map(Phase::toString).toList();
		write(size + "-nodes-warmup.svg",
				SvgChart.lines(size + " nodes: throughput from a cold start (mean of the runs)",
						"seconds of load since the nodes started", "requests per second", curves, marks));
		write(size + "-nodes-ratios.svg", SvgChart.bars(size + " nodes: throughput as a ratio of no replication",
				"ratio to no replication", groups, ratios, 1));
	}

	private static double meanThroughput(List<Timeline> runs, int phase) {
		return runs.stream()
			.mapToDouble((run) -> run.phases().get(phase).measurement().throughput())
			.average()
			.orElse(Double.NaN);
	}

	private static double meanCpu(List<Timeline> runs, int phase) {
		return runs.stream()
			.mapToDouble((run) -> run.phases().get(phase).measurement().cpuMicrosPerRequest())
			.average()
			.orElse(Double.NaN);
	}

	private static List<double[]> meanCurve(List<Timeline> runs) {
		List<double[]> curve = new ArrayList<>();
		int buckets = runs.stream().mapToInt((run) -> run.buckets().size()).min().orElse(0);
		for (int i = 0; i < buckets; i++) {
			int index = i;
			Bucket first = runs.get(0).buckets().get(i);
			double throughput = runs.stream()
				.mapToDouble((run) -> run.buckets().get(index).throughput())
				.average()
				.orElse(0);
			curve.add(new double[] { first.end().toSeconds(), throughput });
		}
		return curve;
	}

	private void write(String name, String svg) {
		Path file = this.settings.output().toAbsolutePath().resolveSibling("load-" + name);
		try {
			Files.writeString(file, svg);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		print("\nPicture: " + file);
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
