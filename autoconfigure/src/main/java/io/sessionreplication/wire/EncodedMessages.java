package io.sessionreplication.wire;

import java.util.List;

/**
 * Messages encoded one after the other, without the header of a payload: what one request
 * sends, encoded on its own thread, so that {@link ClusterMessageCodec#join} can put the
 * messages of several requests into one payload without encoding them again, and a
 * message that cannot be encoded fails its own request only.
 *
 * @param count how many messages
 * @param bytes their encoding, which nobody modifies
 * @param description what they are, for logs: a single message as its {@code toString()}
 * says (which names a session by its fingerprint only), several by their count
 */
public record EncodedMessages(int count, byte[] bytes, String description) {

	/**
	 * Describe messages for logs, as {@link #description()} does.
	 * @param messages the messages
	 * @return the description
	 */
	public static String describe(List<?> messages) {
		return (messages.size() == 1) ? String.valueOf(messages.get(0)) : messages.size() + " session messages";
	}

}
