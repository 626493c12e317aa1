package io.sessionreplication.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.sessionreplication.wire.AttributeValue;
import io.sessionreplication.wire.SessionIdFingerprint;
import org.jspecify.annotations.Nullable;

/**
 * What one request did to a session on this member, before it is stamped and sent.
 *
 * @param sessionId the session id at the end of the request
 * @param previousId the id the stored session had, if the request changed it, else
 * {@code null}
 * @param isNew whether the session was created by this request
 * @param creationTime when the session was created
 * @param lastAccessedTime the access of this request
 * @param maxInactiveInterval the session timeout if the request set it (always for a new
 * session), else {@code null}
 * @param attributes the attributes the request set (a value) or removed ({@code null})
 * @param indexes the index values resolved from the attributes when the request saved the
 * session, if it changed attributes, else {@code null}
 */
public record LocalChange(String sessionId, @Nullable String previousId, boolean isNew, Instant creationTime,
		Instant lastAccessedTime, @Nullable Duration maxInactiveInterval,
		Map<String, @Nullable AttributeValue> attributes, @Nullable Map<String, String> indexes) {

	/**
	 * Names the session by its id's {@link SessionIdFingerprint fingerprint} (and the id
	 * it had before, if it changed), and the changed attributes, never their values nor
	 * the index values.
	 */
	@Override
	public String toString() {
		String renamed = (this.previousId != null) ? ", formerly " + SessionIdFingerprint.of(this.previousId) : "";
		return "the local change of session " + SessionIdFingerprint.of(this.sessionId) + renamed + " (attributes "
				+ this.attributes.keySet() + ")";
	}

}
