package io.sessionreplication.replication;

import io.sessionreplication.wire.ClusterMessage;
import io.sessionreplication.wire.ClusterMessageCodec;
import io.sessionreplication.wire.EncodedMessages;

/**
 * How much one payload carries: at most {@link #MAX_MESSAGES} messages and about
 * {@link #MAX_BYTES} bytes of them (encoded, or as
 * {@link ClusterMessageCodec#estimatedSize} estimates them before they are), but always
 * at least one message, however large. Batches of changes, of sessions handed to new
 * owners and of group commits fill one budget each, so that no payload holds more than a
 * receiver can take in one go. Not thread-safe.
 */
public final class PayloadBudget {

	/** How many messages travel in one payload at most. */
	public static final int MAX_MESSAGES = 256;

	/** How many bytes of messages travel in one payload, about, unless one is larger. */
	public static final long MAX_BYTES = 1024 * 1024;

	private int messages;

	private long bytes;

	/**
	 * Whether a message fits in what is left: it does if the payload is still empty.
	 * @param message the message, not encoded yet
	 * @return whether it fits
	 */
	boolean admits(ClusterMessage message) {
		return admits(1, ClusterMessageCodec.estimatedSize(message));
	}

	/**
	 * Whether encoded messages fit in what is left: they do if the payload is still
	 * empty.
	 * @param encoded the messages, to go together
	 * @return whether they fit
	 */
	boolean admits(EncodedMessages encoded) {
		return admits(encoded.count(), encoded.bytes().length);
	}

	/**
	 * Count a message as part of the payload.
	 * @param message the message, not encoded yet
	 */
	void add(ClusterMessage message) {
		add(1, ClusterMessageCodec.estimatedSize(message));
	}

	/**
	 * Count encoded messages as part of the payload.
	 * @param encoded the messages
	 */
	void add(EncodedMessages encoded) {
		add(encoded.count(), encoded.bytes().length);
	}

	private boolean admits(int messages, long bytes) {
		return this.messages == 0 || (this.messages + messages <= MAX_MESSAGES && this.bytes + bytes <= MAX_BYTES);
	}

	private void add(int messages, long bytes) {
		this.messages += messages;
		this.bytes += bytes;
	}

}
