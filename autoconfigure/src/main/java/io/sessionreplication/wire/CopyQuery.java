package io.sessionreplication.wire;

/**
 * Asks a member what it holds of one session; it answers with a {@link CopyReport}.
 *
 * @param sessionId the session id
 */
public record CopyQuery(String sessionId) implements ClusterMessage {

	/**
	 * Names the session by its id's {@link SessionIdFingerprint fingerprint}.
	 */
	@Override
	public String toString() {
		return "a query for the copy of session " + SessionIdFingerprint.of(this.sessionId);
	}

}
