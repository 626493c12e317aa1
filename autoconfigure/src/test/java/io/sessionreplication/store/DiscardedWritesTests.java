package io.sessionreplication.store;

import java.util.List;
import java.util.ArrayList;

import io.sessionreplication.wire.ChangeStamp;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DiscardedWrites}: which decisions between two values of an attribute
 * count as a discarded write, and when, as seen by node-a.
 */
class DiscardedWritesTests {

	private static final DiscardedWrites.Counter DECIDES = (sessionId, droppedSide, held) -> true;

	private static final DiscardedWrites.Counter DOES_NOT_DECIDE = (sessionId, droppedSide, held) -> false;

	private final DiscardedWrites discarded = new DiscardedWrites();

	@Test
	void writesOnBothSidesOfAPartitionCountTheOlderOneOnce() {
		partitionedAt(1_000, "node-a", "node-b");
		this.discarded.viewChanged(3_000, List.of("node-a", "node-b"), true, DECIDES);

		// every copy of the other side brings the same value
		this.discarded.decided("s1", "counter", stamp(2_000, "node-b"), stamp(1_500, "node-a"), true);
		this.discarded.decided("s1", "counter", stamp(2_000, "node-b"), stamp(1_500, "node-a"), true);
		this.discarded.decided("s1", "note", stamp(1_800, "node-a"), stamp(1_200, "node-b"), true);

		assertThat(this.discarded.total()).isEqualTo(2);
	}

	@Test
	void aDecisionBeforeTheMergedViewCameIsCountedWhenItComes() {
		partitionedAt(1_000, "node-a", "node-b");

		// the other side installed the merged view first and sent its copies
		this.discarded.decided("s1", "counter", stamp(2_000, "node-b"), stamp(1_500, "node-a"), true);
		assertThat(this.discarded.total()).isZero();
		this.discarded.viewChanged(3_000, List.of("node-a", "node-b"), true, DECIDES);

		assertThat(this.discarded.total()).isEqualTo(1);
	}

	@Test
	void onlyTheMemberThatDecidesTheSessionCounts() {
		partitionedAt(1_000, "node-a", "node-b");
		this.discarded.decided("s1", "counter", stamp(2_000, "node-b"), stamp(1_500, "node-a"), true);
		this.discarded.viewChanged(3_000, List.of("node-a", "node-b"), true, DOES_NOT_DECIDE);
		this.discarded.decided("s2", "counter", stamp(2_000, "node-b"), stamp(1_500, "node-a"), true);

		assertThat(this.discarded.total()).isZero();
	}

	@Test
	void theCounterIsToldTheSideThatMadeTheDiscardedWriteAndWhetherThisMemberHeldIt() {
		List<String> told = new ArrayList<>();
		DiscardedWrites.Counter recording = (sessionId, droppedSide, held) -> told.add(droppedSide + " " + held);
		this.discarded.viewChanged(0, List.of("node-a", "node-b", "node-c"), false, recording);
		this.discarded.viewChanged(1_000, List.of("node-a", "node-b"), false, recording);
		this.discarded.decided("s1", "x", stamp(2_000, "node-c"), stamp(1_500, "node-b"), true);
		this.discarded.viewChanged(3_000, List.of("node-c", "node-a", "node-b"), true, recording);
		this.discarded.decided("s1", "y", stamp(2_000, "node-a"), stamp(1_500, "node-c"), false);

		assertThat(told).containsExactly("[node-a, node-b] true", "[node-c] false");
	}

	@Test
	void writesThatSawEachOtherAreNotCounted() {
		partitionedAt(1_000, "node-a", "node-b");
		this.discarded.viewChanged(3_000, List.of("node-a", "node-b"), true, DECIDES);

		// written before the split, seen by both sides
		this.discarded.decided("s1", "before", stamp(1_500, "node-b"), stamp(900, "node-a"), true);
		// written on one side only
		this.discarded.decided("s1", "one-side", stamp(1_500, "node-a"), stamp(1_200, "node-a"), true);
		// written after the merge
		this.discarded.decided("s1", "after", stamp(3_500, "node-a"), stamp(2_000, "node-b"), true);

		assertThat(this.discarded.total()).isZero();
	}

	@Test
	void aViewThatShrinksTwiceOpensAWindowForEachMemberWhenItLeaves() {
		this.discarded.viewChanged(0, List.of("node-a", "node-b", "node-c"), false, DECIDES);
		this.discarded.viewChanged(1_000, List.of("node-a", "node-b"), false, DECIDES);
		this.discarded.viewChanged(2_000, List.of("node-a"), false, DECIDES);
		this.discarded.viewChanged(3_000, List.of("node-a", "node-b", "node-c"), true, DECIDES);

		// node-b wrote on this side before it left: node-c did not see it
		this.discarded.decided("s1", "x", stamp(1_600, "node-c"), stamp(1_500, "node-b"), true);
		// node-a wrote before node-b left: node-b saw it
		this.discarded.decided("s1", "y", stamp(2_500, "node-b"), stamp(1_500, "node-a"), true);
		// node-a wrote after node-b left
		this.discarded.decided("s1", "z", stamp(2_500, "node-a"), stamp(2_200, "node-b"), true);

		assertThat(this.discarded.total()).isEqualTo(2);
	}

	@Test
	void aMemberThatStartedOnASideOfItsOwnCountsFromItsFirstView() {
		this.discarded.viewChanged(1_000, List.of("node-a"), false, DECIDES);
		this.discarded.decided("s1", "counter", stamp(2_000, "node-b"), stamp(1_500, "node-a"), true);
		this.discarded.viewChanged(3_000, List.of("node-a", "node-b"), true, DECIDES);
		this.discarded.decided("s1", "note", stamp(2_000, "node-a"), stamp(500, "node-b"), true);

		assertThat(this.discarded.total()).isEqualTo(1);
	}

	@Test
	void aMemberThatJoinsWithoutAMergeIsNotTheOtherSide() {
		this.discarded.viewChanged(1_000, List.of("node-a"), false, DECIDES);
		// its copies arrive before its view
		this.discarded.decided("s1", "counter", stamp(2_000, "node-b"), stamp(1_500, "node-a"), true);
		this.discarded.viewChanged(3_000, List.of("node-a", "node-b"), false, DECIDES);
		this.discarded.decided("s1", "counter", stamp(2_000, "node-b"), stamp(1_500, "node-a"), true);

		assertThat(this.discarded.total()).isZero();
	}

	@Test
	void theNextSplitCountsAgain() {
		partitionedAt(1_000, "node-a", "node-b");
		this.discarded.viewChanged(3_000, List.of("node-a", "node-b"), true, DECIDES);
		this.discarded.decided("s1", "counter", stamp(2_000, "node-b"), stamp(1_500, "node-a"), true);
		this.discarded.viewChanged(4_000, List.of("node-a"), false, DECIDES);
		this.discarded.decided("s1", "counter", stamp(4_500, "node-b"), stamp(4_200, "node-a"), true);
		this.discarded.viewChanged(5_000, List.of("node-a", "node-b"), true, DECIDES);
		// the first partition's writes are not counted again
		this.discarded.decided("s1", "counter", stamp(2_000, "node-b"), stamp(1_500, "node-a"), true);

		assertThat(this.discarded.total()).isEqualTo(2);
	}

	private void partitionedAt(long splitMillis, String local, String other) {
		this.discarded.viewChanged(0, List.of(local, other), false, DECIDES);
		this.discarded.viewChanged(splitMillis, List.of(local), false, DECIDES);
	}

	private static ChangeStamp stamp(long epochMillis, String origin) {
		return new ChangeStamp(epochMillis << ChangeStamp.LOGICAL_BITS, origin);
	}

}
