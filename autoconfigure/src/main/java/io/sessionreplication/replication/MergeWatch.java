package io.sessionreplication.replication;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

import io.sessionreplication.store.DiscardedWrites;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Passes this member's views to the count of writes that the split-brain rule discards
 * ({@link DiscardedWrites}), and after each merge logs one INFO line with the writes this
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

	MergeWatch(String localMember, DiscardedWrites discardedWrites) {
		this.localMember = localMember;
		this.discardedWrites = discardedWrites;
	}

	/**
	 * A new view came.
	 * @param members the members of the view
	 * @param merge whether it merges the sides of a partition
	 * @param counter which discarded writes this member counts in this view
	 */
	void viewChanged(List<String> members, boolean merge, DiscardedWrites.Counter counter) {
		LongSupplier discarded = this.discardedWrites.viewChanged(System.currentTimeMillis(), members, merge, counter);
		if (merge) {
			CompletableFuture.delayedExecutor(REPORT_DELAY_SECONDS, TimeUnit.SECONDS)
				.execute(() -> logger.info("Member " + this.localMember + " merged into view " + members
						+ ": the split-brain rule (the later write wins) discarded " + discarded.getAsLong()
						+ " acknowledged write(s) made during the partition, as this member counts them "
						+ "(session.replication.writes.discarded counts them all)"));
		}
	}

}
