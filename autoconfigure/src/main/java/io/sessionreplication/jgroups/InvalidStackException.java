package io.sessionreplication.jgroups;

/**
 * A JGroups stack that cannot be read, or that would not replicate: malformed, an unknown
 * protocol or property, or a protocol the engine needs is missing.
 */
public class InvalidStackException extends IllegalStateException {

	private final String stack;

	private final String reason;

	/**
	 * Create an exception.
	 * @param stack where the stack comes from
	 * @param reason what is wrong with it
	 * @param cause the error that showed it, or {@code null}
	 */
	public InvalidStackException(String stack, String reason, @org.jspecify.annotations.Nullable Throwable cause) {
		super("Invalid JGroups stack " + stack + ": " + reason, cause);
		this.stack = stack;
		this.reason = reason;
	}

	/**
	 * @return where the stack comes from
	 */
	public String getStack() {
		return this.stack;
	}

	/**
	 * @return what is wrong with it
	 */
	public String getReason() {
		return this.reason;
	}

}
