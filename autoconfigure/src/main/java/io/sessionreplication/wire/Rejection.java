package io.sessionreplication.wire;

import org.springframework.util.Assert;

/**
 * A negative acknowledgement: the receiver of a payload rejected some of its messages (or
 * the whole payload, which did not decode), and applied the rest. It travels as the
 * receiver's reply, so that the sender counts and logs what it sent in vain instead of
 * taking it as applied.
 *
 * @param messages how many messages were rejected, at least one
 * @param reason why the first of them was rejected, at most {@value #MAX_REASON}
 * characters, with no session id in it
 */
public record Rejection(int messages, String reason) implements ClusterMessage {

	/** The longest reason a rejection carries, in characters. */
	public static final int MAX_REASON = 200;

	public Rejection {
		Assert.isTrue(messages > 0, "'messages' must be positive");
		Assert.isTrue(reason.length() <= MAX_REASON, "'reason' must not be longer than " + MAX_REASON);
	}

	@Override
	public String toString() {
		return "the rejection of " + this.messages + " message(s): " + this.reason;
	}

	/**
	 * A rejection whose reason is cut to {@value #MAX_REASON} characters, control
	 * characters replaced, so that it is safe to log.
	 * @param messages how many messages were rejected
	 * @param reason why
	 * @return the rejection
	 */
	public static Rejection of(int messages, String reason) {
		String safe = reason.chars()
			.limit(MAX_REASON)
			.map((c) -> Character.isISOControl(c) ? '?' : c)
			.collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
			.toString();
		return new Rejection(messages, safe);
	}

}
