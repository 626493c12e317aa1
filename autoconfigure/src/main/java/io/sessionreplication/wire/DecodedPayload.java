package io.sessionreplication.wire;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A payload as {@link ClusterMessageCodec#decodePayload} decoded it: the messages to
 * deliver, and the negative acknowledgement of those it rejected.
 *
 * @param messages the messages that passed, in the order they were sent
 * @param rejection what was rejected, or {@code null} if nothing was
 */
public record DecodedPayload(List<ClusterMessage> messages, @Nullable Rejection rejection) {

}
