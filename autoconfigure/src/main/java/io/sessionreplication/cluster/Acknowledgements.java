package io.sessionreplication.cluster;

import java.util.Map;
import java.util.Set;

/**
 * What came back from a payload sent with {@link ClusterTransport#sendAndAwait}, member
 * by member: which members handled it, with what they replied besides (a negative
 * acknowledgement of some of its messages, say); which failed to handle it, and why; and
 * which are missing: they did not answer within the timeout, were suspected, left, or
 * were not in the view when the payload was sent to them.
 *
 * @param handled the members that handled the payload
 * @param replies the non-empty replies of those members, by member
 * @param failed the members whose receiver failed, with the reason each gave
 * @param missing the members that did not answer
 */
public record Acknowledgements(Set<String> handled, Map<String, byte[]> replies, Map<String, String> failed,
		Set<String> missing) {

	/** Nobody was asked: nothing came back. */
	public static final Acknowledgements NONE = new Acknowledgements(Set.of(), Map.of(), Map.of(), Set.of());

	public Acknowledgements {
		handled = Set.copyOf(handled);
		replies = Map.copyOf(replies);
		failed = Map.copyOf(failed);
		missing = Set.copyOf(missing);
	}

}
