package io.sessionreplication.cluster.jgroups;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.jspecify.annotations.Nullable;

/**
 * How a member answers a payload, in bytes of this transport's own: nothing (the payload
 * was handled), {@code [1] reply} (handled, with a reply), or {@code [0] reason} (the
 * receiver failed; the reason is its exception's class and message, in UTF-8, cut to
 * {@value #MAX_REASON} characters). JGroups would send an exception as a Java-serialized
 * object, which a member must never read from another.
 */
final class Replies {

	/** The longest reason a failure carries, in characters. */
	static final int MAX_REASON = 200;

	private static final byte FAILED = 0;

	private static final byte REPLIED = 1;

	private Replies() {
	}

	/**
	 * The answer to a payload that the receiver handled.
	 * @param reply the receiver's reply, or {@code null}
	 * @return the answer to send
	 */
	static byte @Nullable [] handled(byte @Nullable [] reply) {
		if (reply == null) {
			return null;
		}
		byte[] answer = new byte[reply.length + 1];
		answer[0] = REPLIED;
		System.arraycopy(reply, 0, answer, 1, reply.length);
		return answer;
	}

	/**
	 * The answer to a payload that the receiver failed to handle.
	 * @param failure why
	 * @return the answer to send
	 */
	static byte[] failed(Throwable failure) {
		String reason = failure.getClass().getSimpleName() + ": " + failure.getMessage();
		if (reason.length() > MAX_REASON) {
			reason = reason.substring(0, MAX_REASON);
		}
		byte[] text = reason.getBytes(StandardCharsets.UTF_8);
		byte[] answer = new byte[text.length + 1];
		answer[0] = FAILED;
		System.arraycopy(text, 0, answer, 1, text.length);
		return answer;
	}

	/**
	 * The reply an answer carries.
	 * @param answer what a member answered
	 * @return the receiver's reply, or {@code null} if it failed or replied nothing
	 */
	static byte @Nullable [] replyOf(@Nullable Object answer) {
		return (answer instanceof byte[] bytes && bytes.length > 0 && bytes[0] == REPLIED)
				? Arrays.copyOfRange(bytes, 1, bytes.length) : null;
	}

	/**
	 * Why the receiver failed, if the answer says it did.
	 * @param answer what a member answered
	 * @return the reason, with control characters replaced, or {@code null} if it did not
	 * fail
	 */
	static @Nullable String failureOf(@Nullable Object answer) {
		if (!(answer instanceof byte[] bytes) || bytes.length == 0 || bytes[0] != FAILED) {
			return null;
		}
		String reason = new String(bytes, 1, Math.min(bytes.length - 1, MAX_REASON * 4), StandardCharsets.UTF_8);
		return reason.codePoints()
			.limit(MAX_REASON)
			.map((c) -> Character.isISOControl(c) ? '?' : c)
			.collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
			.toString();
	}

}
