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
import java.util.concurrent.atomic.AtomicLongArray;

import io.sessionreplication.benchmarks.load.BenchmarkNode.ReplicationSent;
import io.sessionreplication.benchmarks.load.ChildProcess.ContextSwitches;
import io.sessionreplication.benchmarks.load.LoadUser.Outcome;
import io.sessionreplication.benchmarks.load.Timeline.Bucket;
import io.sessionreplication.benchmarks.load.Timeline.PhaseResult;
import org.jspecify.annotations.Nullable;

/**
 * Drives virtual users against the nodes of a cluster from its cold start, through the
 * phases of a schedule, without think time (a closed loop): each worker thread takes its
 * share of the users in turn, and each user keeps one connection to each node it calls.
 * It records, every bucket of time, the requests answered and the CPU of the cluster's
 * processes (the nodes and, where the backend has one, its server) and of the load client
 * itself, which must not be the bottleneck; and for every phase, a {@link Measurement}.
 */
final class Workload {

	private final List<BenchmarkNode> nodes;

	private final List<ChildProcess> processes;

	private final LoadSettings settings;

	Workload(BenchmarkCluster cluster, LoadSettings settings) {
		this.nodes = cluster.nodes();
		this.processes = cluster.processes();
		this.settings = settings;
	}

	/**
	 * Serve the phases one after the other, with the same users (new sessions).
	 * @param schedule the phases
	 * @return what the cluster served, bucket by bucket and phase by phase
	 */
	Timeline run(List<Phase> schedule) {
		Duration bucket = this.settings.bucket();
		Duration total = schedule.stream().map(Phase::duration).reduce(Duration.ZERO, Duration::plus);
		int buckets = (int) (total.toMillis() / bucket.toMillis());
		Clock clock = new Clock(System.nanoTime(), bucket.toNanos(), schedule);
		Counts counts = new Counts(buckets);
		List<LoadUser> users = new ArrayList<>();
		for (int i = 0; i < this.settings.users(); i++) {
			users.add(new LoadUser(i));
		}
		ExecutorService workers = Executors.newFixedThreadPool(this.settings.workers());
		try {
			List<Future<long[][]>> latencies = new ArrayList<>();
			for (int worker = 0; worker < this.settings.workers(); worker++) {
				List<LoadUser> share = new ArrayList<>();
				for (int i = worker; i < users.size(); i += this.settings.workers()) {
					share.add(users.get(i));
				}
				latencies.add(workers.submit(() -> drive(share, clock, counts)));
			}
			List<Sample> samples = new ArrayList<>();
			samples.add(sample());
			for (int i = 1; i <= buckets; i++) {
				BenchmarkNode.pause(Duration.ofNanos(clock.start + i * clock.bucketNanos - System.nanoTime()));
				samples.add(sample());
			}
			List<long[]> perPhase = new ArrayList<>();
			schedule.forEach((phase) -> perPhase.add(new long[0]));
			for (Future<long[][]> worker : latencies) {
				long[][] some = worker.get(60, TimeUnit.SECONDS);
				for (int phase = 0; phase < some.length; phase++) {
					perPhase.set(phase, concat(perPhase.get(phase), some[phase]));
				}
			}
			return timeline(schedule, samples, counts, perPhase);
		}
		catch (Exception ex) {
			throw new IllegalStateException("Load run failed", ex);
		}
		finally {
			workers.shutdownNow();
			users.forEach(LoadUser::close);
		}
	}

	private Timeline timeline(List<Phase> schedule, List<Sample> samples, Counts counts, List<long[]> latencies) {
		Duration bucket = this.settings.bucket();
		List<Bucket> buckets = new ArrayList<>();
		for (int i = 0; i + 1 < samples.size(); i++) {
			Sample from = samples.get(i);
			Sample to = samples.get(i + 1);
			buckets.add(new Bucket(bucket.multipliedBy(i + 1), bucket, counts.requests.get(i), counts.errors.get(i),
					to.cpu.minus(from.cpu).toNanos(), to.driverCpu.minus(from.driverCpu).toNanos()));
		}
		List<PhaseResult> phases = new ArrayList<>();
		int first = 0;
		for (int phase = 0; phase < schedule.size(); phase++) {
			int length = (int) (schedule.get(phase).duration().toMillis() / bucket.toMillis());
			Sample from = samples.get(first);
			Sample to = samples.get(first + length);
			ReplicationSent sent = (from.sent != null && to.sent != null) ? to.sent.minus(from.sent) : null;
			long errors = counts.sum(counts.errors, first, length);
			Measurement measurement = new Measurement(counts.sum(counts.requests, first, length) - errors,
					counts.sum(counts.stale, first, length), counts.sum(counts.lost, first, length), errors,
					bucket.multipliedBy(length), Measurement.sorted(latencies.get(phase)), to.cpu.minus(from.cpu),
					to.driverCpu.minus(from.driverCpu), to.switches.minus(from.switches), to.peakResidentBytes,
					to.totalPeakResidentBytes, sent);
			phases.add(new PhaseResult(schedule.get(phase), bucket.multipliedBy(first), measurement));
			first += length;
		}
		return new Timeline(buckets, phases);
	}

	private long[][] drive(List<LoadUser> users, Clock clock, Counts counts) {
		long[][] latencies = new long[clock.schedule.size()][1024];
		int[] measured = new int[clock.schedule.size()];
		while (true) {
			for (LoadUser user : users) {
				long sent = System.nanoTime();
				int phase = clock.phaseAt(sent);
				if (phase < 0) {
					return trimmed(latencies, measured);
				}
				Pattern pattern = clock.schedule.get(phase).pattern();
				BenchmarkNode node = this.nodes.get(pattern.nodeIndex(user, this.nodes.size()));
				Outcome outcome;
				try {
					outcome = user.request(node);
				}
				catch (IOException ex) {
					outcome = Outcome.ERROR;
				}
				long answered = System.nanoTime();
				int bucket = clock.bucketAt(answered);
				if (bucket < 0) {
					return trimmed(latencies, measured);
				}
				counts.add(bucket, outcome);
				if (outcome != Outcome.ERROR) {
					if (measured[phase] == latencies[phase].length) {
						latencies[phase] = Arrays.copyOf(latencies[phase], measured[phase] * 2);
					}
					latencies[phase][measured[phase]++] = answered - sent;
				}
			}
		}
	}

	private static long[][] trimmed(long[][] latencies, int[] measured) {
		long[][] trimmed = new long[latencies.length][];
		for (int i = 0; i < latencies.length; i++) {
			trimmed[i] = Arrays.copyOf(latencies[i], measured[i]);
		}
		return trimmed;
	}

	private static long[] concat(long[] first, long[] second) {
		long[] all = Arrays.copyOf(first, first.length + second.length);
		System.arraycopy(second, 0, all, first.length, second.length);
		return all;
	}

	private Sample sample() {
		long peak = this.nodes.stream().mapToLong((node) -> node.process().peakResidentBytes()).max().orElse(0);
		long totalPeak = this.processes.stream().mapToLong(ChildProcess::peakResidentBytes).sum();
		return new Sample(cpuTime(), driverCpuTime(), contextSwitches(), replicationSent(), peak, totalPeak);
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

	/** The time of a run: which phase and which bucket an instant falls in. */
	private static final class Clock {

		final long start;

		final long bucketNanos;

		final List<Phase> schedule;

		/** When each phase ends, from the start. */
		private final long[] ends;

		Clock(long start, long bucketNanos, List<Phase> schedule) {
			this.start = start;
			this.bucketNanos = bucketNanos;
			this.schedule = schedule;
			this.ends = new long[schedule.size()];
			long end = 0;
			for (int i = 0; i < schedule.size(); i++) {
				end += schedule.get(i).duration().toNanos();
				this.ends[i] = end;
			}
		}

		/** The phase at an instant, -1 once the schedule is over. */
		int phaseAt(long nanos) {
			long elapsed = nanos - this.start;
			for (int i = 0; i < this.ends.length; i++) {
				if (elapsed < this.ends[i]) {
					return i;
				}
			}
			return -1;
		}

		/** The bucket at an instant, -1 once the schedule is over. */
		int bucketAt(long nanos) {
			long elapsed = nanos - this.start;
			return (elapsed < this.ends[this.ends.length - 1]) ? (int) (elapsed / this.bucketNanos) : -1;
		}

	}

	/** What the cluster and the client had used at an instant. */
	private record Sample(Duration cpu, Duration driverCpu, ContextSwitches switches, @Nullable ReplicationSent sent,
			long peakResidentBytes, long totalPeakResidentBytes) {
	}

	/** The outcomes of the requests answered in each bucket. */
	private static final class Counts {

		final AtomicLongArray requests;

		final AtomicLongArray stale;

		final AtomicLongArray lost;

		final AtomicLongArray errors;

		Counts(int buckets) {
			this.requests = new AtomicLongArray(buckets);
			this.stale = new AtomicLongArray(buckets);
			this.lost = new AtomicLongArray(buckets);
			this.errors = new AtomicLongArray(buckets);
		}

		void add(int bucket, Outcome outcome) {
			this.requests.incrementAndGet(bucket);
			switch (outcome) {
				case STALE -> this.stale.incrementAndGet(bucket);
				case LOST -> this.lost.incrementAndGet(bucket);
				case ERROR -> this.errors.incrementAndGet(bucket);
				case OK -> {
				}
			}
		}

		long sum(AtomicLongArray counts, int first, int length) {
			long sum = 0;
			for (int i = first; i < first + length; i++) {
				sum += counts.get(i);
			}
			return sum;
		}

	}

}
