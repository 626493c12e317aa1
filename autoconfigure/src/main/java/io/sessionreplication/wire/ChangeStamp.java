package io.sessionreplication.wire;

import java.util.Comparator;

/**
 * Orders the changes of one field of a session (an attribute, or the max inactive
 * interval) across the cluster: a per-field version, and the member that wrote it as the
 * tie-break between two concurrent changes with the same version. Every copy keeps the
 * change with the highest stamp, so all copies converge once traffic stops, whatever the
 * order in which the changes arrived.
 *
 * @param version incremented by each change of the field
 * @param origin the name of the member that made the change
 */
public record ChangeStamp(long version, String origin) implements Comparable<ChangeStamp> {

	/**
	 * The highest version a stamp may have: {@code 2^53 - 1}, more changes of one field
	 * than a member makes at a million a second in 285 years. A received stamp beyond it
	 * is forged or corrupt, and {@link #next} never passes it, so a version never
	 * overflows.
	 */
	public static final long MAX_VERSION = (1L << 53) - 1;

	/** The stamp of a field that has never been changed. */
	public static final ChangeStamp INITIAL = new ChangeStamp(0, "");

	private static final Comparator<ChangeStamp> ORDER = Comparator.comparingLong(ChangeStamp::version)
		.thenComparing(ChangeStamp::origin);

	/**
	 * The stamp of a change made by {@code member} on top of this one.
	 * @param member the name of the member that makes the change
	 * @return the next stamp
	 * @throws IllegalStateException if this stamp has the {@link #MAX_VERSION}
	 */
	public ChangeStamp next(String member) {
		if (this.version >= MAX_VERSION) {
			throw new IllegalStateException("A session field has reached the highest version, " + MAX_VERSION);
		}
		return new ChangeStamp(this.version + 1, member);
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
