package io.sessionreplication.wire;

/**
 * Counts the messages that a {@link ClusterMessageCodec} encodes or decodes, by kind.
 */
@FunctionalInterface
public interface MessageTally {

	/** Counts nothing. */
	MessageTally NONE = (kind, bytes) -> {
	};

	/**
	 * One message was encoded or decoded.
	 * @param kind its kind
	 * @param bytes the bytes it takes in its payload
	 */
	void count(MessageKind kind, int bytes);

}
