package io.sessionreplication.store;

import java.time.Instant;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import io.sessionreplication.wire.ChangeStamp;
import org.jspecify.annotations.Nullable;

/**
 * Counts the acknowledged writes that the split-brain rule (the later {@link ChangeStamp}
 * wins) discards when the sides of a partition merge.
 * <p>
 * A write is counted as discarded when a copy decides between two values of one attribute
 * (a value or a removal) that were both written between the view change at which this
 * member last lost members and the merge, one by a member of this member's side and one
 * by a member of the other side, so that neither saw the other: the older one is
 * discarded. Each discarded value is counted once in the cluster, by the member that
 * {@link #merged decides} the session (in all-to-all, the first member of the merged
 * view; in primary-backup, the session's primary), however many copies of it arrive. A
 * side's earlier writes to the attribute were already replaced on that side by its later
 * ones, so each attribute written on both sides counts one discarded write.
 * <p>
 * It does not count the max inactive interval or the index values, which follow the same
 * rule, and it cannot tell two writes apart whose times lie within the clock skew of the
 * merge or of the split.
 * <p>
 * Thread-safe.
 */
public final class DiscardedWrites {

	private final LongAdder total = new LongAdder();

	private volatile long splitMillis;

	private volatile @Nullable Merge merge;

	/**
	 * This member lost members from its view: a partition may have begun.
	 * @param at when the view changed
	 */
	public void split(Instant at) {
		this.splitMillis = at.toEpochMilli();
		this.merge = null;
	}

	/**
	 * The sides of a partition merged: from now on, the copies that meet are decided.
	 * @param at when the merged view came
	 * @param side the members of this member's side, before the merge
	 * @param decides whether this member counts the discarded writes of a session
	 * @return how many writes this member has counted as discarded since this merge
	 */
	public LongSupplier merged(Instant at, Collection<String> side, Predicate<String> decides) {
		Merge next = new Merge(this.splitMillis, at.toEpochMilli(), Set.copyOf(side), decides);
		this.merge = next;
		return () -> next.discarded.size();
	}

	/**
	 * How many acknowledged writes the split-brain rule discarded on this member.
	 * @return the count since this member started
	 */
	public long total() {
		return this.total.sum();
	}

	/** A copy of {@code sessionId} kept {@code kept} and dropped {@code dropped}. */
	void decided(String sessionId, String attribute, ChangeStamp kept, ChangeStamp dropped) {
		Merge current = this.merge;
		if (current != null && current.isConcurrent(kept, dropped) && current.decides.test(sessionId)
				&& current.discarded.add(new Discarded(sessionId, attribute, dropped))) {
			this.total.increment();
		}
	}

	private record Merge(long splitMillis, long mergeMillis, Set<String> side, Predicate<String> decides,
			Set<Discarded> discarded) {

		Merge(long splitMillis, long mergeMillis, Set<String> side, Predicate<String> decides) {
			this(splitMillis, mergeMillis, side, decides, ConcurrentHashMap.newKeySet());
		}

		boolean isConcurrent(ChangeStamp kept, ChangeStamp dropped) {
			return isDuring(kept) && isDuring(dropped)
					&& this.side.contains(kept.origin()) != this.side.contains(dropped.origin());
		}

		private boolean isDuring(ChangeStamp stamp) {
			return stamp.epochMillis() >= this.splitMillis && stamp.epochMillis() <= this.mergeMillis;
		}

	}

	private record Discarded(String sessionId, String attribute, ChangeStamp stamp) {
	}

}
