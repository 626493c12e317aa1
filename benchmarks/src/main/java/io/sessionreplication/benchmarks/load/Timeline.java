package io.sessionreplication.benchmarks.load;

import java.time.Duration;
import java.util.List;

/**
 * What one cluster served from its cold start: the throughput and CPU of every bucket (a
 * warm-up curve), and a {@link Measurement} of every phase of the schedule.
 *
 * @param buckets the buckets, in order, from the start of the load
 * @param phases the phases, in order, each with what it measured
 */
record Timeline(List<Bucket> buckets, List<PhaseResult> phases) {

	/**
	 * The first bucket whose throughput reaches a share of a reference throughput.
	 * @param share the share, as 0.9
	 * @param reference the reference, in requests per second
	 * @return the end of that bucket, from the start of the load; {@code null} if no
	 * bucket reached it
	 */
	Duration reached(double share, double reference) {
		for (Bucket bucket : this.buckets) {
			if (bucket.throughput() >= share * reference) {
				return bucket.end();
			}
		}
		return null;
	}

	/**
	 * One bucket of time.
	 *
	 * @param end when it ended, from the start of the load
	 * @param length how long it lasted
	 * @param requests the requests answered in it, valid or not
	 * @param errors the requests that failed or got no valid answer
	 * @param cpuNanos the CPU time of all the cluster's processes in it
	 * @param driverCpuNanos the CPU time of the load client in it
	 */
	record Bucket(Duration end, Duration length, long requests, long errors, long cpuNanos, long driverCpuNanos) {

		double throughput() {
			return (this.requests - this.errors) / (this.length.toNanos() / 1e9);
		}

		/**
		 * The cluster's CPU time per request answered, in microseconds.
		 * @return the CPU per request, NaN if none was answered
		 */
		double cpuMicrosPerRequest() {
			long answered = this.requests - this.errors;
			return (answered > 0) ? this.cpuNanos / 1e3 / answered : Double.NaN;
		}

	}

	/**
	 * A phase and what it measured.
	 *
	 * @param phase the phase
	 * @param start when it started, from the start of the load
	 * @param measurement what it measured
	 */
	record PhaseResult(Phase phase, Duration start, Measurement measurement) {
	}

}
