package io.sessionreplication.cluster.jgroups;

/**
 * A member would listen off loopback with neither TLS nor an explicit opt-out: anyone who
 * reaches its port could join the cluster and read, forge or remove every session.
 */
public class UnprotectedTransportException extends IllegalStateException {

	private final String bindAddress;

	private final String stack;

	/**
	 * Create an exception.
	 * @param bindAddress the address the member would listen on
	 * @param stack where the stack comes from
	 */
	public UnprotectedTransportException(String bindAddress, String stack) {
		super("Cluster traffic on " + bindAddress + " (stack " + stack
				+ ") would be neither authenticated nor encrypted");
		this.bindAddress = bindAddress;
		this.stack = stack;
	}

	/**
	 * @return the address the member would listen on
	 */
	public String getBindAddress() {
		return this.bindAddress;
	}

	/**
	 * @return where the stack comes from
	 */
	public String getStack() {
		return this.stack;
	}

}
