package io.sessionreplication.replication;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.sessionreplication.cluster.Acknowledgements;
import io.sessionreplication.wire.Rejection;

/**
 * What became of one payload, member by member, from which the outcome of the change of
 * each request it carried follows ({@link #forMessages}): a member's negative
 * acknowledgement names the positions of the messages it rejected, so a rejection
 * concerns only the requests whose messages it names.
 */
final class PayloadOutcome {

	private final Acknowledgements acknowledgements;

	private final Map<String, List<Rejection>> rejections;

	/**
	 * Create the outcome of a payload.
	 * @param acknowledgements what the members answered
	 * @param rejections the negative acknowledgements in their replies, by member
	 */
	PayloadOutcome(Acknowledgements acknowledgements, Map<String, List<Rejection>> rejections) {
		this.acknowledgements = acknowledgements;
		this.rejections = rejections;
	}

	/**
	 * The outcome of the messages at some positions of the payload: one request's change.
	 * @param from the position of the first
	 * @param count how many
	 * @return the outcome
	 */
	DeliveryOutcome forMessages(int from, int count) {
		Set<String> applied = new LinkedHashSet<>();
		Map<String, String> rejected = new LinkedHashMap<>(this.acknowledgements.failed());
		Set<String> removed = new LinkedHashSet<>();
		for (String member : this.acknowledgements.handled()) {
			Rejection rejection = this.rejections.getOrDefault(member, List.of())
				.stream()
				.filter((candidate) -> candidate.covers(from, count))
				.findFirst()
				.orElse(null);
			if (rejection == null) {
				applied.add(member);
			}
			else if (rejection.cause() == Rejection.Cause.REMOVED) {
				removed.add(member);
			}
			else {
				rejected.put(member, rejection.cause().name().toLowerCase(Locale.ROOT) + ": " + rejection.reason());
			}
		}
		return new DeliveryOutcome(applied, rejected, removed, this.acknowledgements.missing());
	}

}
