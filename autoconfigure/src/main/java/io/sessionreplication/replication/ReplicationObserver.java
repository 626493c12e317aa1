package io.sessionreplication.replication;

import java.time.Duration;

/**
 * Hears the replication events whose values matter one by one, not only as a count: how
 * long acknowledgements took and how large attributes and sessions are. Registered with
 * {@link ReplicationStatistics#addObserver}; called on the thread of the request or the
 * sender, so an observer must be quick and must not throw.
 */
public interface ReplicationObserver {

	/**
	 * Every member a synchronous change went to applied it.
	 * @param latency from the send until the last acknowledgement
	 */
	default void acknowledged(Duration latency) {
	}

	/**
	 * A request set an attribute, which was serialized.
	 * @param bytes the size of the serialized value
	 */
	default void attributeSerialized(int bytes) {
	}

	/**
	 * A request saved changes to a session.
	 * @param bytes the size of all its serialized attribute values, after the save
	 */
	default void sessionSaved(int bytes) {
	}

}
