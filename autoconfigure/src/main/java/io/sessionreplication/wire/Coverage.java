package io.sessionreplication.wire;

/**
 * How much of a session a copy, or a {@link SessionDelta}, holds. Ordered: a copy that
 * merges a delta takes the higher of the two.
 */
public enum Coverage {

	/** Only what some changes carried: attributes may be missing. */
	CHANGES,

	/**
	 * The whole session, but possibly not its latest state: a copy kept by a member that
	 * did not own the session, so changes may have passed it by.
	 */
	STALE_COPY,

	/** The whole session, as held by a member that receives every change of it. */
	CURRENT_COPY;

	/**
	 * Whether every attribute of the session is there.
	 * @return whether this is a whole copy, current or not
	 */
	public boolean isWhole() {
		return this != CHANGES;
	}

	/**
	 * The higher of this and {@code other}.
	 * @param other the other coverage
	 * @return the higher one
	 */
	public Coverage max(Coverage other) {
		return (other.compareTo(this) > 0) ? other : this;
	}

	/**
	 * The lower of this and {@code other}.
	 * @param other the other coverage
	 * @return the lower one
	 */
	public Coverage min(Coverage other) {
		return (other.compareTo(this) < 0) ? other : this;
	}

}
