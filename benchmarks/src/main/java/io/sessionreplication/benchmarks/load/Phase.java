package io.sessionreplication.benchmarks.load;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import io.sessionreplication.benchmarks.load.Workload.Pattern;

/**
 * One phase of the load benchmark's schedule: how the users' requests go to the nodes,
 * and for how long. A cluster serves the phases of its schedule one after the other, from
 * its cold start, with the same users throughout.
 *
 * @param pattern which node each request goes to
 * @param duration how long the phase lasts, a whole number of the benchmark's buckets
 */
record Phase(Pattern pattern, Duration duration) {

	/**
	 * Read a schedule written as {@code PATTERN:seconds} items separated by commas, as
	 * {@code STICKY:80,ROUND_ROBIN:40,STICKY:120}.
	 * @param schedule the schedule
	 * @param bucket the length of the buckets, which every phase must be a multiple of
	 * @return the phases
	 */
	static List<Phase> parse(String schedule, Duration bucket) {
		return Arrays.stream(schedule.split(",")).map(String::trim).map((item) -> {
			String[] parts = item.split(":");
			if (parts.length != 2) {
				throw new IllegalArgumentException("A phase is PATTERN:seconds, not '" + item + "'");
			}
			Duration duration = Duration.ofSeconds(Long.parseLong(parts[1].trim()));
			if (duration.isZero() || duration.isNegative() || duration.toMillis() % bucket.toMillis() != 0) {
				throw new IllegalArgumentException(
						"A phase lasts a positive multiple of " + bucket.toSeconds() + " s, not '" + item + "'");
			}
			return new Phase(Pattern.valueOf(parts[0].trim()), duration);
		}).toList();
	}

	/**
	 * This phase, for a backend whose nodes do not share sessions: round-robin would lose
	 * every session, so its users stay sticky.
	 * @return the phase as that backend serves it
	 */
	Phase forUnsharedSessions() {
		return new Phase(Pattern.STICKY, this.duration);
	}

	@Override
	public String toString() {
		return this.pattern + " " + this.duration.toSeconds() + " s";
	}

}
