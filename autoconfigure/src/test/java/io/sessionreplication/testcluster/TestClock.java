package io.sessionreplication.testcluster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A member's clock for a test: the system clock, in UTC, plus an offset that the test
 * moves forward, so that a member's time passes without waiting for it, or runs ahead of
 * another member's. Thread-safe.
 */
public final class TestClock extends Clock {

	private volatile Duration offset = Duration.ZERO;

	/**
	 * Move this clock forward.
	 * @param duration how far
	 */
	public void advance(Duration duration) {
		this.offset = this.offset.plus(duration);
	}

	@Override
	public Instant instant() {
		return Instant.now().plus(this.offset);
	}

	@Override
	public ZoneId getZone() {
		return ZoneOffset.UTC;
	}

	/**
	 * Not supported: a member's clock is in UTC.
	 */
	@Override
	public Clock withZone(ZoneId zone) {
		throw new UnsupportedOperationException("A member's clock is in UTC");
	}

}
