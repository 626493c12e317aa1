package io.sessionreplication.wire;

import java.util.List;

/**
 * Messages encoded one after the other, without the header of a payload: what one request
 * sends, encoded on its own thread, so that {@link ClusterMessageCodec#join} can put the
 * messages of several requests into one payload without encoding them again, and a
 * message that cannot be encoded fails its own request only.
 *
 * @param messages the messages, for {@link #description()}, and to encode them again in
 * another format
 * @param format the format version of their encoding
 * @param bytes their encoding, which nobody modifies
 */
public record EncodedMessages(List<? extends ClusterMessage> messages, int format, byte[] bytes) {

	/**
	 * How many messages.
	 * @return the count
	 */
	public int count() {
		return this.messages.size();
	}

	/**
	 * What the messages are, for logs, put into words only when a log needs them.
	 * @return the description
	 */
	public String description() {
		return describe(this.messages);
	}

	/**
	 * Describe messages for logs: a single message as its {@code toString()} says (which
	 * names a session by the fingerprint of its id only, a digest that costs), several by
	 * their count.
	 * @param messages the messages
	 * @return the description
	 */
	public static String describe(List<?> messages) {
		return (messages.size() == 1) ? String.valueOf(messages.get(0)) : messages.size() + " session messages";
	}

}
