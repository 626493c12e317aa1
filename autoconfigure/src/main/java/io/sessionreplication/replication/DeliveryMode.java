package io.sessionreplication.replication;

/**
 * When a saved change has reached the other copies.
 */
public enum DeliveryMode {

	/**
	 * {@code save()} returns once every current member has applied the change, or the
	 * acknowledgement timeout has passed.
	 */
	SYNC,

	/**
	 * {@code save()} returns at once; changes are sent in batches in the background. A
	 * crash can lose the changes not yet sent.
	 */
	ASYNC

}
