package io.sessionreplication.wire;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A payload as {@link ClusterMessageCodec#decodePayload} decoded it: the messages to
 * deliver, where each was in the payload, and the negative acknowledgement of those it
 * rejected.
 *
 * @param messages the messages that passed, in the order they were sent, in a list that
 * nobody modifies
 * @param positions the position of each of them in the payload, from 0; empty when no
 * message was rejected, each message then being at its own index
 * @param rejection what was rejected, or {@code null} if nothing was
 */
public record DecodedPayload(List<ClusterMessage> messages, List<Integer> positions, @Nullable Rejection rejection) {

	/**
	 * Where a message that passed was in the payload.
	 * @param index the index of the message in {@link #messages()}
	 * @return its position in the payload, from 0
	 */
	public int positionOf(int index) {
		return this.positions.isEmpty() ? index : this.positions.get(index);
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
