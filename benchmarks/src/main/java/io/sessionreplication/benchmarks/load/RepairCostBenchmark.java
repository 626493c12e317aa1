package io.sessionreplication.benchmarks.load;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the repair of copies costs a cluster at rest: the nodes of the load application
 * hold many sessions that no request uses, and on a new cluster for each repair interval
 * ({@code session.replication.repair-interval}, {@code 0} being repair off, the
 * baseline), the benchmark measures over a window the CPU time of the nodes' processes
 * and the bytes of this starter's payloads (without JGroups' headers and heartbeats,
 * which are the same with repair off), and reads the repair's meters. What an interval
 * costs is the difference to the baseline; with a short interval the same work is done
 * more often, which tells the cost of one round above the noise of an idle JVM.
 * <p>
 * Settings, as system properties, besides the load benchmark's {@code load.jar},
 * {@code load.heap}, {@code load.jvm-options}, {@code load.workers}, {@code load.output}
 * and {@code load.logs} ({@link LoadSettings}): {@code repair.backends} (default
 * {@code ALL_TO_ALL_SYNC,PRIMARY_BACKUP_SYNC}), {@code repair.nodes} (3),
 * {@code repair.sessions} (100000), {@code repair.intervals} (repair intervals in
 * seconds, default {@code 0,30,1}), {@code repair.settle} (seconds between the last
 * session created and the window, default 60) and {@code repair.window} (seconds
 * measured, default 300).
 */
public final class RepairCostBenchmark {

	private static final Pattern SESSIONS = Pattern.compile("\"sessions\":(\\d+)");

	private static final Pattern BYTES_SENT = Pattern.compile("\"bytesSent\":(\\d+)");

	private static final Pattern VALUE = Pattern.compile("\"value\":([-0-9.Ee]+)");

	/** The meters read at each end of the window, by what the table calls them. */
	private static final Map<String, String> METERS = meters();

	private final LoadSettings load;

	private final List<Backend> backends;

	private final int nodes;

	private final int sessions;

	private final List<Integer> intervals;

	private final Duration settle;

	private final Duration window;

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private RepairCostBenchmark(LoadSettings load) {
		this.load = load;
		this.backends = Arrays.stream(property("repair.backends", "ALL_TO_ALL_SYNC,PRIMARY_BACKUP_SYNC").split(","))
			.map(String::trim)
			.map(Backend::valueOf)
			.toList();
		this.nodes = Integer.parseInt(property("repair.nodes", "3"));
		this.sessions = Integer.parseInt(property("repair.sessions", "100000"));
		this.intervals = Arrays.stream(property("repair.intervals", "0,30,1").split(","))
			.map(String::trim)
			.map(Integer::valueOf)
			.toList();
		this.settle = Duration.ofSeconds(Long.parseLong(property("repair.settle", "60")));
		this.window = Duration.ofSeconds(Long.parseLong(property("repair.window", "300")));
	}

	public static void main(String[] args) {
		new RepairCostBenchmark(LoadSettings.fromSystemProperties()).run();
	}

	private void run() {
		print("## Repair cost run of " + Instant.now() + "\n\nMachine: " + Runtime.getRuntime().availableProcessors()
				+ " cores, Java " + System.getProperty("java.runtime.version") + "; " + this.nodes + " nodes, "
				+ this.sessions + " idle sessions, heap " + this.load.heap() + ", settle " + this.settle.toSeconds()
				+ " s, window " + this.window.toSeconds() + " s\n");
		print("| backend | repair-interval (s) | rounds | CPU (ms/s, all nodes) | CPU above repair off (ms/s) "
				+ "| CPU per round above repair off (ms) | starter bytes/s (all nodes) | digest bytes/s "
				+ "| copies repaired | removals repaired |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
		for (Backend backend : this.backends) {
			Double baseline = null;
			for (int interval : this.intervals) {
				Window measured = measure(backend, interval);
				if (interval == 0) {
					baseline = measured.cpuPerSecond();
				}
				double above = (baseline != null) ? measured.cpuPerSecond() - baseline : Double.NaN;
				double rounds = measured.meters().get("rounds");
				print(String.format(Locale.ROOT, "| %s | %d | %.0f | %.1f | %.1f | %s | %.1f | %.1f | %.0f | %.0f |",
						backend, interval, rounds, measured.cpuPerSecond(), above,
						(rounds > 0)
								? String.format(Locale.ROOT, "%.1f", above * this.window.toMillis() / 1000.0 / rounds)
								: "",
						measured.bytesPerSecond(),
						(measured.meters().get("bucket digest bytes") + measured.meters().get("session digest bytes"))
								/ this.window.toSeconds(),
						measured.meters().get("copies repaired"), measured.meters().get("removals repaired")));
			}
		}
	}

	/**
	 * Start a cluster with a repair interval, fill it with idle sessions, let it settle,
	 * and measure the window.
	 */
	private Window measure(Backend backend, int interval) {
		List<String> arguments = List.of("--session.replication.repair-interval=" + interval + "s",
				"--management.endpoints.web.exposure.include=health,sessionreplication,metrics");
		try (BenchmarkCluster cluster = new BenchmarkCluster(this.load, backend, this.nodes,
				"repair-" + backend + "-" + interval, arguments)) {
			List<BenchmarkNode> nodes = cluster.nodes();
			createSessions(nodes);
			awaitCopies(nodes,
					(backend == Backend.ALL_TO_ALL_SYNC) ? (long) this.sessions * nodes.size() : 2L * this.sessions);
			BenchmarkNode.pause(this.settle);
			Duration cpuBefore = cpuTime(cluster);
			long bytesBefore = sum(nodes, this::bytesSent);
			Map<String, Double> metersBefore = meters(nodes);
			long start = System.nanoTime();
			BenchmarkNode.pause(this.window);
			Duration cpu = cpuTime(cluster).minus(cpuBefore);
			double seconds = (System.nanoTime() - start) / 1e9;
			long bytes = sum(nodes, this::bytesSent) - bytesBefore;
			Map<String, Double> metersAfter = meters(nodes);
			Map<String, Double> growth = new LinkedHashMap<>();
			metersAfter.forEach((name, value) -> growth.put(name, value - metersBefore.get(name)));
			return new Window(cpu.toMillis() / seconds, bytes / seconds, growth);
		}
	}

	/** Create the sessions, one request each, spread over the nodes. */
	private void createSessions(List<BenchmarkNode> nodes) {
		AtomicLong next = new AtomicLong();
		AtomicLong failed = new AtomicLong();
		ExecutorService workers = Executors.newFixedThreadPool(this.load.workers());
		try {
			List<Future<?>> done = new ArrayList<>();
			for (int worker = 0; worker < this.load.workers(); worker++) {
				done.add(workers.submit(() -> {
					for (long i = next.getAndIncrement(); i < this.sessions; i = next.getAndIncrement()) {
						BenchmarkNode node = nodes.get((int) (i % nodes.size()));
						if (get(node, "/counter").statusCode() != 200) {
							failed.incrementAndGet();
						}
					}
					return null;
				}));
			}
			for (Future<?> worker : done) {
				worker.get(30, TimeUnit.MINUTES);
			}
		}
		catch (Exception ex) {
			throw new IllegalStateException("Could not create the sessions", ex);
		}
		finally {
			workers.shutdownNow();
		}
		if (failed.get() > 0) {
			throw new IllegalStateException(failed.get() + " of " + this.sessions + " sessions were not created");
		}
	}

	/** Wait until the nodes hold the copies of every session, at most 10 minutes. */
	private void awaitCopies(List<BenchmarkNode> nodes, long copies) {
		long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
		long held = 0;
		while (System.nanoTime() < deadline) {
			held = sum(nodes, (node) -> read(node, "/actuator/sessionreplication", SESSIONS));
			if (held >= copies) {
				return;
			}
			BenchmarkNode.pause(Duration.ofSeconds(1));
		}
		throw new IllegalStateException("The nodes held " + held + " copies, not " + copies);
	}

	private long bytesSent(BenchmarkNode node) {
		return read(node, "/actuator/sessionreplication", BYTES_SENT);
	}

	private Map<String, Double> meters(List<BenchmarkNode> nodes) {
		Map<String, Double> values = new LinkedHashMap<>();
		METERS.forEach((name, path) -> values.put(name, nodes.stream().mapToDouble((node) -> {
			Matcher value = VALUE.matcher(get(node, "/actuator/metrics/" + path).body());
			return value.find() ? Double.parseDouble(value.group(1)) : 0;
		}).sum()));
		return values;
	}

	private long read(BenchmarkNode node, String path, Pattern pattern) {
		HttpResponse<String> response = get(node, path);
		Matcher matcher = pattern.matcher(response.body());
		if (response.statusCode() != 200 || !matcher.find()) {
			throw new IllegalStateException("Unexpected answer of " + node.uri(path) + ": " + response.body());
		}
		return Long.parseLong(matcher.group(1));
	}

	private HttpResponse<String> get(BenchmarkNode node, String path) {
		HttpRequest request = HttpRequest.newBuilder(node.uri(path)).timeout(Duration.ofSeconds(30)).build();
		try {
			return this.client.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not ask " + node.uri(path), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted", ex);
		}
	}

	private static long sum(List<BenchmarkNode> nodes, ToLongFunction<BenchmarkNode> value) {
		return nodes.stream().mapToLong(value).sum();
	}

	private static Duration cpuTime(BenchmarkCluster cluster) {
		return cluster.processes().stream().map(ChildProcess::cpuTime).reduce(Duration.ZERO, Duration::plus);
	}

	private static Map<String, String> meters() {
		Map<String, String> meters = new LinkedHashMap<>();
		meters.put("rounds", "session.replication.repair.rounds");
		meters.put("copies repaired", "session.replication.repair.sessions");
		meters.put("removals repaired", "session.replication.repair.removals");
		meters.put("bucket digest bytes", "session.replication.bytes.sent?tag=kind:bucket-digests");
		meters.put("session digest bytes", "session.replication.bytes.sent?tag=kind:session-digests");
		return meters;
	}

	private void print(String text) {
		System.out.println(text);
		try {
			Files.createDirectories(this.load.output().toAbsolutePath().getParent());
			Files.writeString(this.load.output(), text + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String property(String name, String defaultValue) {
		return System.getProperty(name, defaultValue);
	}

	/**
	 * What one window measured.
	 *
	 * @param cpuPerSecond CPU time of all the nodes, in milliseconds per second
	 * @param bytesPerSecond this starter's payload bytes sent by all the nodes, per
	 * second
	 * @param meters how much each meter grew, added up over the nodes
	 */
	private record Window(double cpuPerSecond, double bytesPerSecond, Map<String, Double> meters) {
	}

}
