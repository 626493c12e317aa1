package io.sessionreplication.wire;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A payload as {@link ClusterMessageCodec#decodePayload} decoded it: the messages to
 * deliver, where each was in the payload, and the negative acknowledgement of those it
 * rejected.
 *
 * @param messages the messages that passed, in the order they were sent
 * @param positions the position of each of them in the payload, from 0
 * @param rejection what was rejected, or {@code null} if nothing was
 */
public record DecodedPayload(List<ClusterMessage> messages, List<Integer> positions, @Nullable Rejection rejection) {

	public DecodedPayload {
		messages = List.copyOf(messages);
		positions = List.copyOf(positions);
	}

	/**
	 * A payload rejected whole.
	 * @param rejection the rejection
	 * @return the payload, with no message to deliver
	 */
	public static DecodedPayload rejected(Rejection rejection) {
		return new DecodedPayload(List.of(), List.of(), rejection);
	}

}
