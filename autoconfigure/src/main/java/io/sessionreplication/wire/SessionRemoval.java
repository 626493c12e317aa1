package io.sessionreplication.wire;

/**
 * The end of a session, sent to every copy.
 *
 * @param sessionId the session id
 * @param reason why the session ended
 */
public record SessionRemoval(String sessionId, Reason reason) implements ClusterMessage {

	/**
	 * Names the session by its id's {@link SessionIdFingerprint fingerprint}.
	 */
	@Override
	public String toString() {
		return "the removal of session " + SessionIdFingerprint.of(this.sessionId) + " (" + this.reason + ")";
	}

	/** Why a session ended. */
	public enum Reason {

		/** The application invalidated it. */
		INVALIDATED,

		/** It was not used for longer than its timeout. */
		EXPIRED,

		/** Its id changed: it lives on under the new id. */
		RENAMED,

		/**
		 * A member that remembered the removal sent it again after a network partition
		 * healed: the session ended on the other side, invalidated or expired.
		 */
		RESENT

	}

}
