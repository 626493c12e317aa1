package io.sessionreplication.replication;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What became of one change sent synchronously, member by member: each member it went to
 * applied it, rejected it with a reason, held the session as removed (the removal wins,
 * and the change is moot), or is missing: it did not answer within the acknowledgement
 * timeout, was suspected, or left. A change sent asynchronously, or to nobody, has no
 * member in any of these.
 *
 * @param applied the members that applied the change
 * @param rejected the members that rejected it (malformed, invalid, or their receiver
 * failed), with the reason each gave
 * @param removed the members that hold the session as removed
 * @param missing the members that did not answer
 */
public record DeliveryOutcome(Set<String> applied, Map<String, String> rejected, Set<String> removed,
		Set<String> missing) {

	/** A change that went to nobody, or was queued to be sent later. */
	public static final DeliveryOutcome NONE = new DeliveryOutcome(Set.of(), Map.of(), Set.of(), Set.of());

	public DeliveryOutcome {
		applied = Set.copyOf(applied);
		rejected = Map.copyOf(rejected);
		removed = Set.copyOf(removed);
		missing = Set.copyOf(missing);
	}

	/**
	 * Whether every member the change went to applied it, or holds the session as
	 * removed.
	 * @return whether nobody rejected the change or is missing
	 */
	public boolean isComplete() {
		return this.rejected.isEmpty() && this.missing.isEmpty();
	}

	/**
	 * The outcome of two sends of one change, as one: a member missing from either is
	 * missing, one that rejected either (and is not missing) rejected it, and so on.
	 * @param other the outcome of the other send
	 * @return the outcome of both
	 */
	public DeliveryOutcome and(DeliveryOutcome other) {
		Set<String> missing = new LinkedHashSet<>(this.missing);
		missing.addAll(other.missing);
		Map<String, String> rejected = new LinkedHashMap<>(this.rejected);
		other.rejected.forEach(rejected::putIfAbsent);
		rejected.keySet().removeAll(missing);
		Set<String> removed = new LinkedHashSet<>(this.removed);
		removed.addAll(other.removed);
		removed.removeAll(missing);
		removed.removeAll(rejected.keySet());
		Set<String> applied = new LinkedHashSet<>(this.applied);
		applied.addAll(other.applied);
		applied.removeAll(missing);
		applied.removeAll(rejected.keySet());
		applied.removeAll(removed);
		return new DeliveryOutcome(applied, rejected, removed, missing);
	}

}
