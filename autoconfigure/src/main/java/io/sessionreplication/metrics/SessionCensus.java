package io.sessionreplication.metrics;

import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.sessionreplication.replication.SessionCounts;
import io.sessionreplication.replication.SessionReplicator;
import io.sessionreplication.wire.SessionRole;
import org.jspecify.annotations.Nullable;

/**
 * The sessions of this member by role, counted at most once a second however many gauges
 * ask: counting goes through every session.
 */
class SessionCensus {

	private static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final SessionReplicator replicator;

	private volatile @Nullable Census last;

	SessionCensus(SessionReplicator replicator) {
		this.replicator = replicator;
	}

	/**
	 * The roles this member's mode holds sessions in.
	 * @return the roles
	 */
	Set<SessionRole> roles() {
		return this.replicator.countSessions().byRole().keySet();
	}

	int held(SessionRole role) {
		return counts().held(role);
	}

	int shortOfBackups() {
		return counts().shortOfBackups();
	}

	private SessionCounts counts() {
		Census census = this.last;
		long now = System.nanoTime();
		if (census == null || now - census.countedAt() > MAX_AGE_NANOS) {
			census = new Census(this.replicator.countSessions(), now);
			this.last = census;
		}
		return census.counts();
	}

	private record Census(SessionCounts counts, long countedAt) {
	}

}
