package io.sessionreplication.benchmarks.load;

import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.sessionreplication.benchmarks.load.BenchmarkNode.ReplicationSent;
import io.sessionreplication.benchmarks.load.ChildProcess.ContextSwitches;
import io.sessionreplication.benchmarks.load.LoadUser.Outcome;
import org.jspecify.annotations.Nullable;

/**
 * Drives virtual users against the nodes of a cluster for a bounded time, without think
 * time (a closed loop): each worker thread takes its share of the users in turn. A run
 * warms up first; throughput, latencies and CPU come from the measured window after it,
 * while stale reads, lost sessions and errors are counted over the whole run. CPU and
 * memory are those of all the cluster's processes: the nodes and, where the backend has
 * one, its server.
 */
final class Workload {

	/** How long each slice of the warm-up's steady-state check lasts. */
	static final Duration STEADY_SLICE = Duration.ofSeconds(15);

	/**
	 * How far apart two slices' throughputs may be for the cluster to count as steady.
	 */
	static final double STEADY_TOLERANCE = 0.10;

	private final List<BenchmarkNode> nodes;

	private final List<ChildProcess> processes;

	private final LoadSettings settings;

	Workload(BenchmarkCluster cluster, LoadSettings settings) {
		this.nodes = cluster.nodes();
		this.processes = cluster.processes();
		this.settings = settings;
	}

	/**
	 * Serve the workload until the cluster is at steady state, measuring nothing that is
	 * reported as a run. First for the cluster warm-up time: each pattern in turn for an
	 * equal share of it, in reverse order, so that the pattern measured first is the one
	 * the nodes served last. Then in slices of {@link #STEADY_SLICE} of that pattern,
	 * until the throughputs of the last two agree within {@link #STEADY_TOLERANCE}, or
	 * the longest warm-up has passed.
	 * @param patterns the patterns that will be measured, in the order they will be
	 * @return how the warm-up went
	 */
	WarmUp warmUp(List<Pattern> patterns) {
		long start = System.nanoTime();
		long deadline = start + this.settings.maxClusterWarmup().toNanos();
		Duration share = this.settings.clusterWarmup().dividedBy(patterns.size());
		for (int i = patterns.size() - 1; i >= 0; i--) {
			run(patterns.get(i), Duration.ZERO, share);
		}
		List<Double> slices = new ArrayList<>();
		boolean steady = false;
		while (!steady && System.nanoTime() + STEADY_SLICE.toNanos() <= deadline) {
			slices.add(run(patterns.get(0), Duration.ZERO, STEADY_SLICE).throughput());
			steady = slices.size() >= 2 && agree(slices.get(slices.size() - 2), slices.get(slices.size() - 1));
		}
		return new WarmUp(Duration.ofNanos(System.nanoTime() - start), slices, steady);
	}

	private static boolean agree(double previous, double last) {
		return Math.abs(last - previous) <= STEADY_TOLERANCE * Math.max(previous, last);
	}

	/**
	 * Run the workload once, with new users (new sessions).
	 * @param pattern which node each request goes to
	 * @return what it measured
	 */
	Measurement run(Pattern pattern) {
		return run(pattern, this.settings.warmup(), this.settings.duration());
	}

	private Measurement run(Pattern pattern, Duration warmup, Duration duration) {
		List<LoadUser> users = new ArrayList<>();
		for (int i = 0; i < this.settings.users(); i++) {
			users.add(new LoadUser(i));
		}
		long start = System.nanoTime();
		long windowStart = start + warmup.toNanos();
		long windowEnd = windowStart + duration.toNanos();
		Counts counts = new Counts();
		ExecutorService workers = Executors.newFixedThreadPool(this.settings.workers());
		try {
			List<Future<long[]>> latencies = new ArrayList<>();
			for (int worker = 0; worker < this.settings.workers(); worker++) {
				List<LoadUser> share = new ArrayList<>();
				for (int i = worker; i < users.size(); i += this.settings.workers()) {
					share.add(users.get(i));
				}
				latencies.add(workers.submit(() -> drive(share, pattern, windowStart, windowEnd, counts)));
			}
			BenchmarkNode.pause(Duration.ofNanos(windowStart - System.nanoTime()));
			Duration cpuBefore = cpuTime();
			Duration driverBefore = driverCpuTime();
			ContextSwitches switchesBefore = contextSwitches();
			ReplicationSent sentBefore = replicationSent();
			BenchmarkNode.pause(Duration.ofNanos(windowEnd - System.nanoTime()));
			Duration cpu = cpuTime().minus(cpuBefore);
			Duration driverCpu = driverCpuTime().minus(driverBefore);
			ContextSwitches switches = contextSwitches().minus(switchesBefore);
			ReplicationSent sentAfter = replicationSent();
			ReplicationSent sent = (sentBefore != null && sentAfter != null) ? sentAfter.minus(sentBefore) : null;
			long peak = this.nodes.stream().mapToLong((node) -> node.process().peakResidentBytes()).max().orElse(0);
			long totalPeak = this.processes.stream().mapToLong(ChildProcess::peakResidentBytes).sum();
			long[] all = new long[0];
			for (Future<long[]> worker : latencies) {
				long[] some = worker.get(60, TimeUnit.SECONDS);
				int length = all.length;
				all = Arrays.copyOf(all, length + some.length);
				System.arraycopy(some, 0, all, length, some.length);
			}
			return new Measurement(all.length, counts.stale.get(), counts.lost.get(), counts.errors.get(), duration,
					Measurement.sorted(all), cpu, driverCpu, switches, peak, totalPeak, sent);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Load run failed", ex);
		}
		finally {
			workers.shutdownNow();
		}
	}

	private long[] drive(List<LoadUser> users, Pattern pattern, long windowStart, long windowEnd, Counts counts) {
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		long[] latencies = new long[1024];
		int measured = 0;
		while (System.nanoTime() < windowEnd) {
			for (LoadUser user : users) {
				BenchmarkNode node = this.nodes.get(pattern.nodeIndex(user, this.nodes.size()));
				long sent = System.nanoTime();
				Outcome outcome;
				try {
					outcome = user.request(client, node);
				}
				catch (IOException ex) {
					outcome = Outcome.ERROR;
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return Arrays.copyOf(latencies, measured);
				}
				long took = System.nanoTime() - sent;
				counts.add(outcome);
				if (sent >= windowStart && sent < windowEnd && outcome != Outcome.ERROR) {
					if (measured == latencies.length) {
						latencies = Arrays.copyOf(latencies, measured * 2);
					}
					latencies[measured++] = took;
				}
			}
		}
		return Arrays.copyOf(latencies, measured);
	}

	/**
	 * The replication payloads, and their bytes, that all nodes have sent so far.
	 * @return what they sent, {@code null} where the backend is not this starter
	 */
	private @Nullable ReplicationSent replicationSent() {
		HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		ReplicationSent sum = new ReplicationSent(0, 0);
		for (BenchmarkNode node : this.nodes) {
			ReplicationSent sent = node.replicationSent(client);
			if (sent == null) {
				return null;
			}
			sum = sum.plus(sent);
		}
		return sum;
	}

	private static Duration driverCpuTime() {
		return ProcessHandle.current()
			.info()
			.totalCpuDuration()
			.orElseThrow(() -> new IllegalStateException("This platform does not tell the driver's CPU time"));
	}

	private Duration cpuTime() {
		return this.processes.stream().map(ChildProcess::cpuTime).reduce(Duration.ZERO, Duration::plus);
	}

	private ContextSwitches contextSwitches() {
		return this.processes.stream()
			.map(ChildProcess::contextSwitches)
			.reduce(ContextSwitches.NONE, ContextSwitches::plus);
	}

	/** Which node a user's next request goes to. */
	enum Pattern {

		/** Always the same node per user, as behind a sticky load balancer. */
		STICKY {
			@Override
			int nodeIndex(LoadUser user, int nodes) {
				return user.index() % nodes;
			}
		},

		/** The next node on every request of a user. */
		ROUND_ROBIN {
			@Override
			int nodeIndex(LoadUser user, int nodes) {
				return (int) ((user.index() + user.requests()) % nodes);
			}
		};

		abstract int nodeIndex(LoadUser user, int nodes);

	}

	private static final class Counts {

		final AtomicLong stale = new AtomicLong();

		final AtomicLong lost = new AtomicLong();

		final AtomicLong errors = new AtomicLong();

		void add(Outcome outcome) {
			switch (outcome) {
				case STALE -> this.stale.incrementAndGet();
				case LOST -> this.lost.incrementAndGet();
				case ERROR -> this.errors.incrementAndGet();
				case OK -> {
				}
			}
		}

	}

	/**
	 * How a cluster warmed up.
	 *
	 * @param took how long it served the workload before its first run
	 * @param slices the throughput of each slice after the cluster warm-up time, in
	 * requests per second
	 * @param steady whether the last two slices agreed, rather than the longest warm-up
	 * ending first
	 */
	record WarmUp(Duration took, List<Double> slices, boolean steady) {
	}

}
