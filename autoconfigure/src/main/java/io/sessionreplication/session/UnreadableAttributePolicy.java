package io.sessionreplication.session;

/**
 * What reading a session attribute does when its value cannot be deserialized on this
 * member: its class is missing here or changed incompatibly (a redeploy), its bytes are
 * corrupt, or its {@code readObject} failed.
 */
public enum UnreadableAttributePolicy {

	/**
	 * The attribute reads as absent, and is removed from the session: on every member,
	 * once the request saves the session. A warning names the attribute and the cause, at
	 * most once in a while for each attribute and cause.
	 */
	REMOVE,

	/**
	 * The read throws the {@link io.sessionreplication.wire.UnreadableAttributeException}
	 * (an {@link IllegalStateException}) that names the attribute and the cause.
	 */
	FAIL

}
