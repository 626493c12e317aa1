package io.sessionreplication.wire;

/**
 * Asks the member of a session's latest access whether the session is still live there,
 * by that member's clock. It answers with its latest access, as a {@link SessionDelta}
 * that carries no attribute, while the session has not expired there; otherwise with a
 * {@link SessionRemoval} of reason {@link SessionRemoval.Reason#EXPIRED}, also when it
 * holds no copy any more.
 *
 * @param sessionId the session id
 */
public record AccessQuery(String sessionId) implements ClusterMessage {

	/**
	 * Names the session by its id's {@link SessionIdFingerprint fingerprint}.
	 */
	@Override
	public String toString() {
		return "a query for the latest access of session " + SessionIdFingerprint.of(this.sessionId);
	}

}
