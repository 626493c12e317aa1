package io.sessionreplication.wire;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ChangeStamp}: a hybrid logical clock, so that the later write wins and
 * a change on top of another always wins over it.
 */
class ChangeStampTests {

	private static final long NOW = 1_800_000_000_000L;

	@Test
	void nextTakesTheWallClock() {
		ChangeStamp next = new ChangeStamp(5, "node-b").next("node-a", NOW);

		assertThat(next).isEqualTo(new ChangeStamp(NOW << ChangeStamp.LOGICAL_BITS, "node-a"));
		assertThat(next.epochMillis()).isEqualTo(NOW);
	}

	@Test
	void laterWriteWinsWhateverTheNumberOfWritesBefore() {
		ChangeStamp busy = ChangeStamp.INITIAL;
		for (int i = 0; i < 100; i++) {
			busy = busy.next("node-z", NOW);
		}
		ChangeStamp later = ChangeStamp.INITIAL.next("node-a", NOW + 1);

		assertThat(later.isAfter(busy)).isTrue();
	}

	@Test
	void nextIsAboveTheStampItFollowsEvenWhenTheClockWentBack() {
		ChangeStamp held = ChangeStamp.INITIAL.next("node-b", NOW);

		ChangeStamp next = held.next("node-a", NOW - 60_000);

		assertThat(next.version()).isEqualTo(held.version() + 1);
		assertThat(next.isAfter(held)).isTrue();
		assertThat(next.epochMillis()).isEqualTo(NOW);
	}

	@Test
	void sameVersionIsOrderedByMemberName() {
		ChangeStamp a = ChangeStamp.INITIAL.next("node-a", NOW);
		ChangeStamp b = ChangeStamp.INITIAL.next("node-b", NOW);

		assertThat(b.isAfter(a)).isTrue();
		assertThat(a.isAfter(b)).isFalse();
	}

	@Test
	void versionsStayBelowTheHighestForCenturies() {
		long year2500 = java.time.Instant.parse("2500-01-01T00:00:00Z").toEpochMilli();

		assertThat(ChangeStamp.INITIAL.next("node-a", year2500).version()).isLessThan(ChangeStamp.MAX_VERSION);
	}

}
