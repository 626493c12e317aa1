package io.sessionreplication.wire;

/**
 * A request for the receiver's copy of a session, sent by a member that serves the
 * session without owning it. The reply is the whole session, or nothing if the receiver
 * holds no whole copy.
 *
 * @param sessionId the session id
 */
public record SessionFetch(String sessionId) implements ClusterMessage {

	/**
	 * Names the session by its id's {@link SessionIdFingerprint fingerprint}.
	 */
	@Override
	public String toString() {
		return "a fetch of session " + SessionIdFingerprint.of(this.sessionId);
	}

}
