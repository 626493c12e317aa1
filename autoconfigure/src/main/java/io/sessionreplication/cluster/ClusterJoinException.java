package io.sessionreplication.cluster;

/**
 * A member could not join its cluster: for example, its transport found no free port to
 * listen on. Thrown by {@link ClusterTransport#join}; it names the cluster and the
 * member, and carries what the transport reported as its cause.
 */
public class ClusterJoinException extends IllegalStateException {

	private final String clusterName;

	private final String member;

	/**
	 * Create an exception.
	 * @param clusterName the cluster the member tried to join
	 * @param member the member's name
	 * @param cause what the transport reported
	 */
	public ClusterJoinException(String clusterName, String member, Throwable cause) {
		super("Could not join cluster '" + clusterName + "' as member " + member + ": " + cause.getMessage(), cause);
		this.clusterName = clusterName;
		this.member = member;
	}

	/**
	 * @return the cluster the member tried to join
	 */
	public String getClusterName() {
		return this.clusterName;
	}

	/**
	 * @return the member's name
	 */
	public String getMember() {
		return this.member;
	}

}
