package io.sessionreplication.wire;

import java.util.List;

import org.springframework.util.Assert;

/**
 * A negative acknowledgement: the receiver of a payload rejected some of its messages, or
 * the whole payload, and applied the rest. It travels as the receiver's reply, so that
 * the sender counts and logs what it sent in vain instead of taking it as applied, and
 * knows which request's messages were refused.
 *
 * @param cause why the messages were rejected
 * @param positions the positions of the rejected messages in their payload, from 0, in
 * ascending order; empty when the whole payload was rejected
 * @param reason why the first of them was rejected, at most {@value #MAX_REASON}
 * characters, with no session id in it
 */
public record Rejection(Cause cause, List<Integer> positions, String reason) implements ClusterMessage {

	/** The longest reason a rejection carries, in characters. */
	public static final int MAX_REASON = 200;

	public Rejection {
		positions = List.copyOf(positions);
		Assert.isTrue(reason.length() <= MAX_REASON, "'reason' must not be longer than " + MAX_REASON);
	}

	/**
	 * A rejection of some messages of a payload, whose reason is made safe to log: cut to
	 * {@value #MAX_REASON} characters, control characters replaced.
	 * @param cause why
	 * @param positions the positions of the messages in their payload, not empty
	 * @param reason why, in words
	 * @return the rejection
	 */
	public static Rejection of(Cause cause, List<Integer> positions, String reason) {
		Assert.notEmpty(positions, "'positions' must not be empty");
		return new Rejection(cause, positions, safe(reason));
	}

	/**
	 * The rejection of a whole payload that did not decode.
	 * @param reason why, in words
	 * @return the rejection
	 */
	public static Rejection malformed(String reason) {
		return new Rejection(Cause.MALFORMED, List.of(), safe(reason));
	}

	/**
	 * How many messages were rejected: one for a whole payload.
	 * @return the count
	 */
	public int count() {
		return this.positions.isEmpty() ? 1 : this.positions.size();
	}

	/**
	 * Whether any of the messages at some positions of the payload was rejected.
	 * @param from the first position
	 * @param count how many positions
	 * @return whether any was rejected, always for a whole payload rejected
	 */
	public boolean covers(int from, int count) {
		if (this.positions.isEmpty()) {
			return true;
		}
		for (int position : this.positions) {
			if (position >= from && position < from + count) {
				return true;
			}
		}
		return false;
	}

	@Override
	public String toString() {
		return "the rejection (" + this.cause + ") of "
				+ (this.positions.isEmpty() ? "a payload" : this.positions.size() + " message(s)") + ": " + this.reason;
	}

	private static String safe(String reason) {
		return reason.chars()
			.limit(MAX_REASON)
			.map((c) -> Character.isISOControl(c) ? '?' : c)
			.collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
			.toString();
	}

	/** Why a receiver rejected messages. */
	public enum Cause {

		/**
		 * The payload did not decode: corrupt, truncated, from another version, or
		 * hostile.
		 */
		MALFORMED,

		/**
		 * A message held values that no honest member sends (see {@link MessageLimits}).
		 */
		INVALID,

		/** A change of a session that the receiver holds as removed: the removal wins. */
		REMOVED

	}

}
