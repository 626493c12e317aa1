package io.sessionreplication.wire;

import java.util.Comparator;

/**
 * Orders the changes of one field of a session (an attribute, the max inactive interval,
 * the index values) across the cluster: a per-field version, and the member that wrote it
 * as the tie-break between two concurrent changes with the same version. Every copy keeps
 * the change with the highest stamp, so all copies converge once traffic stops, whatever
 * the order in which the changes arrived.
 * <p>
 * The version is a hybrid logical clock: the writer's wall clock in epoch milliseconds,
 * shifted left by {@link #LOGICAL_BITS}, plus a counter. A change takes the larger of the
 * previous version plus one and the current time, so a change made after another one was
 * seen always has the higher version, even if the clock went back; and of two changes
 * made without seeing each other (on both sides of a partition), the later one by the
 * wall clock wins. The version does not say whether two changes saw each other.
 *
 * @param version the hybrid logical clock of the change
 * @param origin the name of the member that made the change
 */
public record ChangeStamp(long version, String origin) implements Comparable<ChangeStamp> {

	/**
	 * The highest version a stamp may have: {@code 2^53 - 1}, a wall clock in the year
	 * 2527. A received stamp beyond it is forged or corrupt, and {@link #next} never
	 * passes it, so a version never overflows.
	 */
	public static final long MAX_VERSION = (1L << 53) - 1;

	/**
	 * How many low bits of a version count changes within one millisecond: 512 changes of
	 * one field in one millisecond before the version runs ahead of the clock.
	 */
	public static final int LOGICAL_BITS = 9;

	/** The stamp of a field that has never been changed. */
	public static final ChangeStamp INITIAL = new ChangeStamp(0, "");

	private static final Comparator<ChangeStamp> ORDER = Comparator.comparingLong(ChangeStamp::version)
		.thenComparing(ChangeStamp::origin);

	/**
	 * The stamp of a change made by {@code member} now, on top of this one.
	 * @param member the name of the member that makes the change
	 * @return the next stamp
	 * @throws IllegalStateException if this stamp has the {@link #MAX_VERSION}
	 */
	public ChangeStamp next(String member) {
		return next(member, System.currentTimeMillis());
	}

	/**
	 * The stamp of a change made by {@code member} at {@code epochMillis}, on top of this
	 * one: the later of this version plus one and that time.
	 * @param member the name of the member that makes the change
	 * @param epochMillis the writer's wall clock, in epoch milliseconds
	 * @return the next stamp
	 * @throws IllegalStateException if this stamp has the {@link #MAX_VERSION}
	 */
	public ChangeStamp next(String member, long epochMillis) {
		if (this.version >= MAX_VERSION) {
			throw new IllegalStateException("A session field has reached the highest version, " + MAX_VERSION);
		}
		return new ChangeStamp(Math.max(this.version + 1, Math.min(epochMillis << LOGICAL_BITS, MAX_VERSION)), member);
	}

	/**
	 * The wall-clock part of the version: when, in epoch milliseconds on the writer's
	 * clock, the change was made, or later if more changes of the field came within one
	 * millisecond.
	 * @return the epoch milliseconds
	 */
	public long epochMillis() {
		return this.version >>> LOGICAL_BITS;
	}

	/**
	 * Whether a change with this stamp replaces one with {@code other}.
	 * @param other the stamp of the change held so far
	 * @return {@code true} if this stamp is the higher one
	 */
	public boolean isAfter(ChangeStamp other) {
		return compareTo(other) > 0;
	}

	@Override
	public int compareTo(ChangeStamp other) {
		return ORDER.compare(this, other);
	}

}
