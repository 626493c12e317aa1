package io.sessionreplication.wire;

/**
 * A short name for a session id, shown where the id itself must not appear: in log lines,
 * in exception messages and in the actuator endpoint. A session id is a bearer credential
 * (whoever sends it is logged in as its user), so this starter never logs one whole.
 * <p>
 * The fingerprint is the first 8 hex digits (32 bits) of the SHA-256 digest of the id's
 * UTF-8 bytes. It is the same on every member and after every restart, so that the log
 * lines of several members about one session can be matched, and the endpoint can find
 * the session a log line names.
 * <p>
 * It is enough to correlate, not to recover the id: going back from a fingerprint means
 * trying ids until one matches, and a Spring Session id is a random UUID (122 random
 * bits). It is not a secret-preserving hash of a low-entropy value: the fingerprint of a
 * short or guessable id (from a custom {@code SessionIdGenerator}) gives the id away to
 * whoever tries the candidates. Nor is it unique: two ids share a fingerprint with a
 * chance of one in about four billion.
 * <p>
 * It costs a digest, so it is computed only when something is logged or shown, never on
 * the path of every request.
 */
public final class SessionIdFingerprint {

	/** How many hex digits a fingerprint has. */
	static final int LENGTH = 8;

	private SessionIdFingerprint() {
	}

	/**
	 * The fingerprint of a session id.
	 * @param sessionId the session id
	 * @return its fingerprint: 8 lower-case hex digits
	 */
	public static String of(String sessionId) {
		return Sha256.hexPrefix(sessionId, LENGTH / 2);
	}

	/**
	 * Whether a text has the shape of a fingerprint: 8 lower-case hex digits. A session
	 * id may have it too.
	 * @param text the text
	 * @return whether it has that shape
	 */
	public static boolean hasShape(String text) {
		return text.length() == LENGTH
				&& text.chars().allMatch((c) -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
	}

}
