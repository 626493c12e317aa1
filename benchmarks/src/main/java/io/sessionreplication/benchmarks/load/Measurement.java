package io.sessionreplication.benchmarks.load;

import java.time.Duration;
import java.util.Arrays;

import io.sessionreplication.benchmarks.load.BenchmarkNode.ReplicationSent;
import io.sessionreplication.benchmarks.load.ChildProcess.ContextSwitches;
import org.jspecify.annotations.Nullable;

/**
 * What one measured run showed: the requests, their outcomes, their latencies, the CPU
 * and memory of the cluster's processes (the nodes, and the backend's server where it has
 * one), and the CPU of the driver itself, which must not be the bottleneck.
 *
 * @param requests the requests answered in the measured window
 * @param stale answers whose counter did not move by exactly one
 * @param lost answers that came with another session
 * @param errors requests that failed or got no valid answer
 * @param window the measured window
 * @param latencies the latency of each request, in nanoseconds, sorted
 * @param cpu the CPU time all processes used in the window
 * @param driverCpu the CPU time the driver (this JVM: the virtual users' client threads)
 * used in the window
 * @param contextSwitches the context switches of all processes' threads in the window
 * @param peakResidentBytes the highest peak resident set size of a node
 * @param totalPeakResidentBytes the peak resident set sizes of all processes, added up
 * @param replicationSent the replication payloads all nodes sent in the window, and their
 * bytes, {@code null} for a backend other than this starter
 */
record Measurement(long requests, long stale, long lost, long errors, Duration window, long[] latencies, Duration cpu,
		Duration driverCpu, ContextSwitches contextSwitches, long peakResidentBytes, long totalPeakResidentBytes,
		@Nullable ReplicationSent replicationSent) {

	/**
	 * The replication bytes sent per request answered in the window.
	 * @return the bytes, NaN for a backend other than this starter
	 */
	double replicationBytesPerRequest() {
		return (this.replicationSent != null && this.requests > 0)
				? (double) this.replicationSent.bytes() / this.requests : Double.NaN;
	}

	/**
	 * The replication payloads (JGroups messages) sent per request answered in the
	 * window: below 1 where several changes share a payload.
	 * @return the payloads, NaN for a backend other than this starter
	 */
	double replicationPayloadsPerRequest() {
		return (this.replicationSent != null && this.requests > 0)
				? (double) this.replicationSent.payloads() / this.requests : Double.NaN;
	}

	/**
	 * The voluntary context switches of all processes per request answered in the window:
	 * how often a thread waited (a lock, a socket, a park) and was woken again.
	 * @return the switches per request
	 */
	double voluntarySwitchesPerRequest() {
		return (double) this.contextSwitches.voluntary() / this.requests;
	}

	/**
	 * The involuntary context switches of all processes per request answered in the
	 * window: how often the scheduler took a thread off a core that it could still use.
	 * @return the switches per request
	 */
	double involuntarySwitchesPerRequest() {
		return (double) this.contextSwitches.involuntary() / this.requests;
	}

	/**
	 * The CPU time of the cluster's processes per request answered in the window.
	 * @return microseconds per request
	 */
	double cpuMicrosPerRequest() {
		return this.cpu.toNanos() / 1e3 / this.requests;
	}

	/**
	 * The CPU time of the load client per request answered in the window.
	 * @return microseconds per request
	 */
	double driverCpuMicrosPerRequest() {
		return this.driverCpu.toNanos() / 1e3 / this.requests;
	}

	double throughput() {
		return this.requests / (this.window.toNanos() / 1e9);
	}

	double percentileMillis(double percentile) {
		if (this.latencies.length == 0) {
			return Double.NaN;
		}
		int index = (int) Math.ceil(percentile / 100 * this.latencies.length) - 1;
		return this.latencies[Math.max(0, Math.min(index, this.latencies.length - 1))] / 1e6;
	}

	/**
	 * The cores the processes kept busy, on average over the window.
	 * @return CPU time per wall-clock time
	 */
	double coresUsed() {
		return (double) this.cpu.toNanos() / this.window.toNanos();
	}

	/**
	 * The cores the driver kept busy, on average over the window.
	 * @return the driver's CPU time per wall-clock time
	 */
	double driverCoresUsed() {
		return (double) this.driverCpu.toNanos() / this.window.toNanos();
	}

	static long[] sorted(long[] latencies) {
		long[] copy = latencies.clone();
		Arrays.sort(copy);
		return copy;
	}

}
