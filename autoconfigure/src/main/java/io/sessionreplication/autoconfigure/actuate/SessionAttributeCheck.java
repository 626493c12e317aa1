package io.sessionreplication.autoconfigure.actuate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.sessionreplication.autoconfigure.actuate.SessionReplicationEndpoint.AttributeProblem;
import io.sessionreplication.autoconfigure.actuate.SessionReplicationEndpoint.AttributesDescriptor;
import io.sessionreplication.store.SessionSnapshot;
import io.sessionreplication.store.SessionStore;
import io.sessionreplication.wire.AttributeSerializer;
import io.sessionreplication.wire.AttributeValue;
import io.sessionreplication.wire.UnreadableAttributeException;
import org.jspecify.annotations.Nullable;

/**
 * Checks this member's copy of a session the way a request would find it: every attribute
 * value can be deserialized here, and fits the size limits. It deserializes each value
 * afresh, without keeping the object and without changing the copy: an unreadable value
 * stays where it is, whatever {@code session.replication.serialization.on-unreadable}
 * says a request does with it.
 * <p>
 * It names the attributes that fail, never their values. It is for tests and operators
 * (the endpoint's {@code ?attributes=true}), not for every request: it deserializes the
 * whole session.
 */
final class SessionAttributeCheck {

	private final SessionStore store;

	private final AttributeSerializer serializer;

	private final long maxAttributeSize;

	private final long maxSessionSize;

	/**
	 * Create a check.
	 * @param store the sessions of this member
	 * @param serializer how values are deserialized on this member
	 * @param maxAttributeSize the largest serialized attribute value, in bytes
	 * @param maxSessionSize the largest session, its serialized values added up, in bytes
	 */
	SessionAttributeCheck(SessionStore store, AttributeSerializer serializer, long maxAttributeSize,
			long maxSessionSize) {
		this.store = store;
		this.serializer = serializer;
		this.maxAttributeSize = maxAttributeSize;
		this.maxSessionSize = maxSessionSize;
	}

	/**
	 * Check this member's copy of a session.
	 * @param sessionId the session id
	 * @return what was found, {@code null} if this member holds no copy
	 */
	@Nullable AttributesDescriptor check(String sessionId) {
		SessionSnapshot copy = this.store.find(sessionId);
		if (copy == null) {
			return null;
		}
		List<AttributeProblem> problems = new ArrayList<>();
		long bytes = 0;
		for (Map.Entry<String, AttributeValue> attribute : copy.attributes().entrySet()) {
			String name = attribute.getKey();
			byte[] value = attribute.getValue().bytes();
			bytes += value.length;
			if (value.length > this.maxAttributeSize) {
				problems.add(new AttributeProblem(name, value.length + " bytes serialized, more than "
						+ "session.replication.max-attribute-size (" + this.maxAttributeSize + " bytes)"));
			}
			try {
				this.serializer.deserialize(name, value);
			}
			catch (UnreadableAttributeException ex) {
				problems.add(new AttributeProblem(name, ex.getMessage()));
			}
		}
		if (bytes > this.maxSessionSize) {
			problems.add(new AttributeProblem(null,
					"the session is " + bytes + " bytes serialized, more than session.replication.max-session-size ("
							+ this.maxSessionSize + " bytes)"));
		}
		return new AttributesDescriptor(copy.attributes().size(), bytes, this.maxAttributeSize, this.maxSessionSize,
				problems);
	}

}
