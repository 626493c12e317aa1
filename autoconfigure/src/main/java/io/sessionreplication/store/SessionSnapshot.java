package io.sessionreplication.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.sessionreplication.wire.AttributeValue;

/**
 * A consistent copy of a stored session's state, taken for one request or for an event.
 *
 * @param creationTime when the session was created
 * @param lastAccessedTime the latest access known on this member
 * @param maxInactiveInterval the session timeout
 * @param expiresAt when the session expires by the latest access this member knows: at
 * that access plus the timeout
 * @param lastAccessedHere whether the latest known access happened on this member, which
 * then knows the session's true last access and announces its expiry to the others
 * @param attributes the current attribute values, in a map of the caller's own
 * @param indexes the index values of the session
 */
public record SessionSnapshot(Instant creationTime, Instant lastAccessedTime, Duration maxInactiveInterval,
		Instant expiresAt, boolean lastAccessedHere, Map<String, AttributeValue> attributes,
		Map<String, String> indexes) {

	public boolean isExpired(Instant now) {
		return !now.isBefore(this.expiresAt);
	}

}
