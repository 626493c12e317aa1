package io.sessionreplication.replication;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

import io.sessionreplication.store.DiscardedWrites;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Follows the views of this member for the count of writes that the split-brain rule
 * discards ({@link DiscardedWrites}): a view that lost members may begin a partition, a
 * merged view ends one. After each merge it logs one INFO line with the writes this
 * member counted as discarded, once the exchange of the merge has had
 * {@link #REPORT_DELAY_SECONDS} to run; writes counted later still reach the meter.
 * <p>
 * It does not send anything, and names no session.
 */
final class MergeWatch {

	/** How long after a merge the count of discarded writes is logged. */
	static final long REPORT_DELAY_SECONDS = 10;

	private static final Log logger = LogFactory.getLog(MergeWatch.class);

	private final String localMember;

	private final DiscardedWrites discardedWrites;

	private List<String> lastMembers = List.of();

	MergeWatch(String localMember, DiscardedWrites discardedWrites) {
		this.localMember = localMember;
		this.discardedWrites = discardedWrites;
	}

	/**
	 * A new view came.
	 * @param members the members of the view
	 * @param merge whether it merges the sides of a partition
	 * @param decides whether this member counts the discarded writes of a session in this
	 * view
	 */
	synchronized void viewChanged(List<String> members, boolean merge, Predicate<String> decides) {
		List<String> side = this.lastMembers;
		this.lastMembers = List.copyOf(members);
		if (merge) {
			LongSupplier discarded = this.discardedWrites.merged(Instant.now(), side, decides);
			CompletableFuture.delayedExecutor(REPORT_DELAY_SECONDS, TimeUnit.SECONDS)
				.execute(() -> logger.info("Member " + this.localMember + " merged with "
						+ members.stream().filter((member) -> !side.contains(member)).toList()
						+ ": the split-brain rule (the later write wins) discarded " + discarded.getAsLong()
						+ " acknowledged write(s) made during the partition, counted on the sessions this member "
						+ "decides (session.replication.writes.discarded counts them all)"));
		}
		else if (!members.containsAll(side)) {
			this.discardedWrites.split(Instant.now());
		}
	}

}
