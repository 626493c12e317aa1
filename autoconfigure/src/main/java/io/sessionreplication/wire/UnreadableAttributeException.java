package io.sessionreplication.wire;

/**
 * An attribute value that this member cannot turn back into an object: its class is
 * missing here or was changed incompatibly (a redeploy), its bytes are corrupt, or its
 * {@code readObject} failed. The message names the attribute and the cause, never the
 * value.
 */
public class UnreadableAttributeException extends IllegalStateException {

	private final String attributeName;

	/**
	 * Create an exception.
	 * @param attributeName the attribute
	 * @param cause why the value cannot be read
	 */
	public UnreadableAttributeException(String attributeName, Throwable cause) {
		super("Session attribute '" + attributeName + "' cannot be deserialized: " + cause, cause);
		this.attributeName = attributeName;
	}

	/**
	 * @return the attribute
	 */
	public String getAttributeName() {
		return this.attributeName;
	}

}
