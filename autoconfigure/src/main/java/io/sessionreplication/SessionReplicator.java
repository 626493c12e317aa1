package io.sessionreplication;

/**
 * Sends the changes of this member's sessions to the members that hold copies, and
 * applies the changes that arrive from them. One implementation per
 * {@link ReplicationMode}.
 */
public interface SessionReplicator extends ClusterReceiver {

	/**
	 * Send a message to the copies of its session, in this replicator's
	 * {@link DeliveryMode}.
	 * @param message the message
	 */
	void replicate(ClusterMessage message);

	/**
	 * Send everything still queued. Called before this member leaves.
	 */
	void flush();

}
