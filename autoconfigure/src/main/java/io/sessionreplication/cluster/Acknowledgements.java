package io.sessionreplication.cluster;

import java.util.Map;
import java.util.Set;

/**
 * What came back from a payload sent with {@link ClusterTransport#sendAndAwait}: the
 * members that did not acknowledge it in time, and what the others replied besides their
 * acknowledgement (a negative acknowledgement of some of its messages, say).
 *
 * @param late the members that did not acknowledge in time (empty when all did)
 * @param replies the non-empty replies, by member
 */
public record Acknowledgements(Set<String> late, Map<String, byte[]> replies) {

	/** Every member acknowledged, and none replied anything more. */
	public static final Acknowledgements ALL = new Acknowledgements(Set.of(), Map.of());

	public Acknowledgements {
		late = Set.copyOf(late);
		replies = Map.copyOf(replies);
	}

}
