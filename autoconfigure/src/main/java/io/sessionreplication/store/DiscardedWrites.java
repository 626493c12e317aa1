package io.sessionreplication.store;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import io.sessionreplication.wire.ChangeStamp;
import org.jspecify.annotations.Nullable;

/**
 * Counts the acknowledged writes that the split-brain rule (the later {@link ChangeStamp}
 * wins) discards when the sides of a partition merge.
 * <p>
 * It follows this member's views. When a member leaves the view (a split), its window
 * opens: from then on its writes are the other side's, and it does not see this side's.
 * The window closes when the member comes back, by joining again or in a merged view; a
 * merged view closes every open window. A member never seen before, met in a merged view
 * (as when this member started on a side of its own), was away from this member's first
 * view to the merge. When a copy decides between two values of one attribute (a value or
 * a removal), one written by a member within its window and the other on this member's
 * side within that same window, neither saw the other: the older one is counted as
 * discarded. Each discarded value is counted once in the cluster, by the one member that
 * the replicator's {@link Counter} names, however many copies of it arrive. The other
 * side's copies may arrive before the merged view does, so the windows open at the split:
 * what is decided before the merged view comes is kept, and counted when it comes. A
 * side's earlier writes to the attribute were already replaced on that side by its later
 * ones, so each attribute written on both sides counts one discarded write.
 * <p>
 * What it keeps is bounded: the windows of members that came back and the values counted
 * are forgotten at the next split, and it keeps at most {@link #MAX_KEPT} values counted
 * and as many decisions waiting; past that, further discards are not counted. It does not
 * count the max inactive interval or the index values, which follow the same rule, nor
 * writes on two sides neither of which is this member's (three sides merging at once),
 * and it cannot tell two writes apart whose times lie within the clock skew of the split
 * or of the merge.
 * <p>
 * Thread-safe: a decision reads an immutable snapshot of the windows, and takes a lock
 * only for a discarded write.
 */
public final class DiscardedWrites {

	/** How many discarded values, and as many decisions waiting, are kept at most. */
	static final int MAX_KEPT = 100_000;

	private static final long OPEN = Long.MAX_VALUE;

	private final LongAdder total = new LongAdder();

	private volatile Windows windows = new Windows(List.of(), List.of(), Map.of(), OPEN, OPEN);

	/** Guarded by this: which discarded writes this member counts, in the latest view. */
	private Counter counter = (sessionId, droppedSide, held) -> false;

	/** Guarded by this: the writes counted as discarded since the latest merge. */
	private LongAdder sinceMerge = new LongAdder();

	/** Guarded by this: decisions against a member whose window is still open. */
	private final Set<Decision> waiting = new HashSet<>();

	/** Guarded by this: the discarded values counted since the latest split. */
	private final Set<Discarded> counted = new HashSet<>();

	/**
	 * A view came: the windows of the members that came back close (at a merge, every
	 * open window closes), those of the members that left open, and what was decided
	 * against the members whose window closed is counted.
	 * @param atMillis when the view came, in epoch milliseconds
	 * @param members the members of the view
	 * @param merge whether it merges the sides of a partition
	 * @param counter which discarded writes this member counts in this view
	 * @return how many writes this member counts as discarded from this view on, until
	 * the next merge
	 */
	public synchronized LongSupplier viewChanged(long atMillis, List<String> members, boolean merge, Counter counter) {
		Windows previous = this.windows;
		long firstViewMillis = (previous.firstViewMillis() == OPEN) ? atMillis : previous.firstViewMillis();
		Map<String, Window> next = new HashMap<>(previous.byMember());
		next.replaceAll((member, window) -> (merge || members.contains(member)) ? window.closedAt(atMillis) : window);
		if (merge) {
			members.stream()
				.filter((member) -> !previous.members().contains(member))
				.forEach((member) -> next.putIfAbsent(member, new Window(firstViewMillis, atMillis)));
			this.sinceMerge = new LongAdder();
		}
		if (!members.containsAll(previous.members())) {
			// a new split: the members that came back before may leave again
			next.keySet().removeAll(previous.members());
			this.counted.clear();
			previous.members()
				.stream()
				.filter((member) -> !members.contains(member))
				.forEach((member) -> next.put(member, new Window(atMillis, OPEN)));
		}
		this.windows = new Windows(List.copyOf(members), merge ? previous.side() : List.copyOf(members),
				Map.copyOf(next), firstViewMillis, merge ? atMillis : previous.mergeMillis());
		this.counter = counter;
		List<Decision> ready = this.waiting.stream()
			.filter((decision) -> !this.windows.isWaiting(decision.theirs().origin()))
			.toList();
		ready.forEach(this.waiting::remove);
		ready.forEach(this::count);
		LongAdder sinceMerge = this.sinceMerge;
		return sinceMerge::sum;
	}

	/**
	 * How many acknowledged writes the split-brain rule discarded, as this member counts
	 * them.
	 * @return the count since this member started
	 */
	public long total() {
		return this.total.sum();
	}

	/**
	 * A copy of {@code sessionId} kept {@code kept} and dropped {@code dropped}, which it
	 * held if {@code held}.
	 */
	void decided(String sessionId, String attribute, ChangeStamp kept, ChangeStamp dropped, boolean held) {
		ChangeStamp theirs = this.windows.theirs(kept, dropped);
		if (theirs == null) {
			return;
		}
		Decision decision = new Decision(sessionId, attribute, kept, dropped, theirs, held);
		synchronized (this) {
			if (!this.windows.isWaiting(theirs.origin())) {
				count(decision);
			}
			else if (this.waiting.size() < MAX_KEPT) {
				this.waiting.add(decision);
			}
		}
	}

	/** Guarded by this. */
	private void count(Decision decision) {
		Windows current = this.windows;
		ChangeStamp theirs = current.theirs(decision.kept(), decision.dropped());
		List<String> droppedSide = decision.dropped().equals(theirs) ? current.otherSide() : current.side();
		if (theirs != null && this.counter.counts(decision.sessionId(), droppedSide, decision.held())
				&& this.counted.size() < MAX_KEPT
				&& this.counted.add(new Discarded(decision.sessionId(), decision.attribute(), decision.dropped()))) {
			this.total.increment();
			this.sinceMerge.increment();
		}
	}

	/**
	 * Which discarded writes this member counts: the replicator names one member for
	 * each, one that sees the decision whatever the order in which the copies arrive.
	 */
	@FunctionalInterface
	public interface Counter {

		/**
		 * Whether this member counts a write that the split-brain rule discarded.
		 * @param sessionId the session
		 * @param droppedSide the members of the side that made the discarded write, as
		 * they were before the merge
		 * @param held whether this member held the discarded value until it was replaced
		 * @return {@code true} if it counts the write
		 */
		boolean counts(String sessionId, List<String> droppedSide, boolean held);

	}

	/** When a member was away from this member's side: from, and until unless open. */
	private record Window(long fromMillis, long untilMillis) {

		/** The window of a member of this side, which contains no write. */
		static final Window NONE = new Window(OPEN, Long.MIN_VALUE);

		boolean isOpen() {
			return this.untilMillis == OPEN;
		}

		Window closedAt(long atMillis) {
			return isOpen() ? new Window(this.fromMillis, atMillis) : this;
		}

		boolean contains(ChangeStamp stamp) {
			return stamp.epochMillis() >= this.fromMillis && stamp.epochMillis() <= this.untilMillis;
		}

	}

	/**
	 * The members of the latest view and of this member's side (its latest view that did
	 * not merge), the windows of the members that left, this member's first view and its
	 * latest merge.
	 */
	private record Windows(List<String> members, List<String> side, Map<String, Window> byMember, long firstViewMillis,
			long mergeMillis) {

		/** The members of the latest view that were not on this member's side. */
		List<String> otherSide() {
			return this.members.stream().filter((member) -> !this.side.contains(member)).toList();
		}

		/**
		 * The window of a member. One neither in the view nor seen to leave it was never
		 * seen: it is away from this member's first view to the latest merge.
		 */
		Window windowOf(String member) {
			Window window = this.byMember.get(member);
			if (window != null) {
				return window;
			}
			return this.members.contains(member) ? Window.NONE : new Window(this.firstViewMillis, this.mergeMillis);
		}

		/** Whether the window of a member is open: it has not come back yet. */
		boolean isWaiting(String member) {
			return windowOf(member).isOpen();
		}

		/**
		 * Of two values of one attribute, the one written on the other side, if the other
		 * was written on this side within the same window: neither saw the other.
		 */
		@Nullable ChangeStamp theirs(ChangeStamp kept, ChangeStamp dropped) {
			boolean keptTheirs = windowOf(kept.origin()).contains(kept);
			if (keptTheirs == windowOf(dropped.origin()).contains(dropped)) {
				return null;
			}
			ChangeStamp theirs = keptTheirs ? kept : dropped;
			ChangeStamp ours = keptTheirs ? dropped : kept;
			return windowOf(theirs.origin()).contains(ours) ? theirs : null;
		}

	}

	private record Decision(String sessionId, String attribute, ChangeStamp kept, ChangeStamp dropped,
			ChangeStamp theirs, boolean held) {
	}

	private record Discarded(String sessionId, String attribute, ChangeStamp stamp) {
	}

}
