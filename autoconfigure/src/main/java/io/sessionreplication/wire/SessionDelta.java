package io.sessionreplication.wire;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A change of one session, as it travels: the attributes that changed, plus the few
 * fields every copy needs to hold the session on its own (creation time, timeout, last
 * access). A copy merges it field by field, keeping the higher {@link ChangeStamp}, so a
 * delta is also how a whole session is sent (all its attributes) during state transfer.
 *
 * @param sessionId the session id after the change
 * @param previousId the id the session had before, if the id changed, else {@code null}
 * @param creationTime when the session was created
 * @param maxInactiveInterval the session timeout
 * @param maxInactiveStamp the stamp of the timeout's last change
 * @param lastAccessedTime the latest access known to the sender
 * @param lastAccessedBy the member on which that access happened
 * @param attributes the changed attributes (all of them for a whole session)
 * @param indexes the index values, if they changed or for a whole session, else
 * {@link SessionIndexes#NONE}
 * @param coverage whether it carries only the changes, or the whole session (every
 * attribute ever set, removals included) so that a member without a copy can hold the
 * session from it alone, and then whether the sender held it current
 * @param created whether this is the first change of a session created by the request
 * that made it, as opposed to a change or a copy of a session that existed before
 */
public record SessionDelta(String sessionId, @Nullable String previousId, Instant creationTime,
		Duration maxInactiveInterval, ChangeStamp maxInactiveStamp, Instant lastAccessedTime, String lastAccessedBy,
		List<AttributeChange> attributes, SessionIndexes indexes, Coverage coverage,
		boolean created) implements ClusterMessage {

	public SessionDelta {
		attributes = List.copyOf(attributes);
	}

	/**
	 * A delta of a session that existed before, with no index values.
	 * @param sessionId the session id after the change
	 * @param previousId the id the session had before, if the id changed, else
	 * {@code null}
	 * @param creationTime when the session was created
	 * @param maxInactiveInterval the session timeout
	 * @param maxInactiveStamp the stamp of the timeout's last change
	 * @param lastAccessedTime the latest access known to the sender
	 * @param lastAccessedBy the member on which that access happened
	 * @param attributes the changed attributes (all of them for a whole session)
	 * @param coverage whether it carries only the changes or the whole session
	 */
	public SessionDelta(String sessionId, @Nullable String previousId, Instant creationTime,
			Duration maxInactiveInterval, ChangeStamp maxInactiveStamp, Instant lastAccessedTime, String lastAccessedBy,
			List<AttributeChange> attributes, Coverage coverage) {
		this(sessionId, previousId, creationTime, maxInactiveInterval, maxInactiveStamp, lastAccessedTime,
				lastAccessedBy, attributes, SessionIndexes.NONE, coverage, false);
	}

	/**
	 * A delta that carries only the changed attributes of a session that existed before.
	 * @param sessionId the session id after the change
	 * @param previousId the id the session had before, if the id changed, else
	 * {@code null}
	 * @param creationTime when the session was created
	 * @param maxInactiveInterval the session timeout
	 * @param maxInactiveStamp the stamp of the timeout's last change
	 * @param lastAccessedTime the latest access known to the sender
	 * @param lastAccessedBy the member on which that access happened
	 * @param attributes the changed attributes
	 */
	public SessionDelta(String sessionId, @Nullable String previousId, Instant creationTime,
			Duration maxInactiveInterval, ChangeStamp maxInactiveStamp, Instant lastAccessedTime, String lastAccessedBy,
			List<AttributeChange> attributes) {
		this(sessionId, previousId, creationTime, maxInactiveInterval, maxInactiveStamp, lastAccessedTime,
				lastAccessedBy, attributes, Coverage.CHANGES);
	}

	/**
	 * This delta, counted as no more than {@code coverage}.
	 * @param coverage the highest coverage
	 * @return the delta
	 */
	public SessionDelta withCoverageAtMost(Coverage coverage) {
		return new SessionDelta(this.sessionId, this.previousId, this.creationTime, this.maxInactiveInterval,
				this.maxInactiveStamp, this.lastAccessedTime, this.lastAccessedBy, this.attributes, this.indexes,
				this.coverage.min(coverage), this.created);
	}

	/**
	 * Names the session by its id's {@link SessionIdFingerprint fingerprint} (and the id
	 * it had before, if it changed), and the changed attributes, never their values.
	 */
	@Override
	public String toString() {
		String renamed = (this.previousId != null) ? ", formerly " + SessionIdFingerprint.of(this.previousId) : "";
		return "the change of session " + SessionIdFingerprint.of(this.sessionId) + renamed + " (attributes "
				+ this.attributes.stream().map(AttributeChange::name).toList() + ")";
	}

}
