package io.sessionreplication.cluster.jgroups;

/**
 * A JGroups stack that cannot be read, or that would not replicate: malformed, an unknown
 * protocol or property, a protocol the engine needs is missing, or, in the stack this
 * starter ships, a setting it was given (an address this host does not have, say).
 */
public class InvalidStackException extends IllegalStateException {

	private final String stack;

	private final boolean shipped;

	private final String reason;

	/**
	 * Create an exception.
	 * @param stack where the stack comes from
	 * @param shipped whether it is the stack this starter ships, with the settings
	 * applied: then the settings are what is wrong
	 * @param reason what is wrong with it
	 * @param cause the error that showed it, or {@code null}
	 */
	public InvalidStackException(String stack, boolean shipped, String reason,
			@org.jspecify.annotations.Nullable Throwable cause) {
		super("Invalid JGroups stack " + stack + ": " + reason, cause);
		this.stack = stack;
		this.shipped = shipped;
		this.reason = reason;
	}

	/**
	 * @return where the stack comes from
	 */
	public String getStack() {
		return this.stack;
	}

	/**
	 * @return whether it is the stack this starter ships, with the settings applied
	 */
	public boolean isShipped() {
		return this.shipped;
	}

	/**
	 * @return what is wrong with it
	 */
	public String getReason() {
		return this.reason;
	}

}
