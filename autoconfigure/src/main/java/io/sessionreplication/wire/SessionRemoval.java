package io.sessionreplication.wire;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * The end of a session, sent to every copy.
 *
 * @param sessionId the session id
 * @param reason why the session ended
 * @param rememberUntil until when the sender remembers the removal, so that a receiver
 * that holds no copy of the session (a member that joined or was apart meanwhile)
 * remembers it as long; {@code null} when the receiver judges by its own copy, and in
 * wire format 3, which does not carry it
 */
public record SessionRemoval(String sessionId, Reason reason,
		@Nullable Instant rememberUntil) implements ClusterMessage {

	/**
	 * The end of a session, for each receiver to remember as long as its own copy says.
	 * @param sessionId the session id
	 * @param reason why the session ended
	 */
	public SessionRemoval(String sessionId, Reason reason) {
		this(sessionId, reason, null);
	}

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
