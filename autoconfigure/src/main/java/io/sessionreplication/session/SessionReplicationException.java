package io.sessionreplication.session;

import java.util.Map;
import java.util.Set;

import io.sessionreplication.replication.DeliveryOutcome;
import io.sessionreplication.wire.SessionIdFingerprint;

/**
 * Thrown by a save or an invalidation, with {@link MissingCopyPolicy#FAIL}, when not
 * every member the change went to applied it. It names the session by the fingerprint of
 * its id, the members that are missing and those that rejected the change, with their
 * reasons. The change stands on this member and on the members that applied it: it was
 * not undone.
 */
public class SessionReplicationException extends IllegalStateException {

	private final Set<String> missing;

	private final Map<String, String> rejected;

	/**
	 * Create an exception.
	 * @param sessionId the id of the session, which the message shows by its fingerprint
	 * @param outcome what became of the change
	 */
	public SessionReplicationException(String sessionId, DeliveryOutcome outcome) {
		super("The change of session " + SessionIdFingerprint.of(sessionId) + " was not applied by every member: "
				+ (outcome.missing().isEmpty() ? "" : "missing " + outcome.missing() + " ")
				+ (outcome.rejected().isEmpty() ? "" : "rejected by " + outcome.rejected() + " ")
				+ "(session.replication.sync.on-missing-copy=fail); it stands on this member"
				+ (outcome.applied().isEmpty() ? "" : " and on " + outcome.applied()));
		this.missing = outcome.missing();
		this.rejected = outcome.rejected();
	}

	/**
	 * The members that did not answer: timed out, suspected, or gone.
	 * @return the member names
	 */
	public Set<String> getMissing() {
		return this.missing;
	}

	/**
	 * The members that rejected the change, with the reason each gave.
	 * @return the reasons by member name
	 */
	public Map<String, String> getRejected() {
		return this.rejected;
	}

}
