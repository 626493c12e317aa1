package io.sessionreplication.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sessionreplication.replication.ReplicationMode;
import io.sessionreplication.replication.ReplicationStatistics;
import io.sessionreplication.testcluster.TestCluster;
import io.sessionreplication.testcluster.TestCluster.Member;
import io.sessionreplication.wire.SessionRemoval;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests that each function counter of {@link SessionReplicationMetrics} reads its own
 * count, including those that the tests with whole clusters cannot easily provoke
 * (acknowledgement timeouts, rejected payloads, deserialization failures): every count is
 * given a different value, so that two meters reading the same count, or each other's,
 * fail. A real member supplies the replicator, the transport and the serializer; the
 * counts are set through the statistics' own recording methods.
 */
class SessionReplicationMetricsWiringTests {

	@Test
	void eachCounterReadsItsOwnCount() {
		try (TestCluster cluster = new TestCluster(ReplicationMode.ALL_TO_ALL)) {
			Member member = cluster.start("node-1");
			MeterRegistry registry = new SimpleMeterRegistry();
			new SessionReplicationMetrics(member.statistics, member.replicator, member.transport, member.serializer,
					member.store)
				.bindTo(registry);
			ReplicationStatistics statistics = member.statistics;
			repeat(1, statistics::sessionCreated);
			repeat(2, statistics::sessionInvalidated);
			repeat(3, statistics::sessionExpired);
			statistics.ackTimedOut(4);
			repeat(5, statistics::rejected);
			repeat(6, () -> statistics.payloadSent(10));
			repeat(7, () -> statistics.payloadReceived(10));
			repeat(8, () -> assertThatIllegalStateException()
				.isThrownBy(() -> member.serializer.deserialize("broken", new byte[] { 9 })));
			statistics.rejectedMessages(9);
			statistics.rejectionReceived(10);
			repeat(11, statistics::eventDropped);
			member.store.setMaxRemovals(10);
			for (int i = 0; i < 12; i++) {
				member.store.remove("session-" + i, SessionRemoval.Reason.INVALIDATED, true);
			}
			repeat(13, statistics::repairRound);
			statistics.sessionsRepaired(14);
			statistics.removalsRepaired(15);
			statistics.copiesBehind(17);
			statistics.copiesBehind(-1);

			assertThat(count(registry, "sessions.created")).isEqualTo(1);
			assertThat(count(registry, "sessions.invalidated")).isEqualTo(2);
			assertThat(count(registry, "sessions.expired")).isEqualTo(3);
			assertThat(count(registry, "ack.timeouts")).isEqualTo(4);
			assertThat(count(registry, "payloads.rejected")).isEqualTo(5);
			assertThat(count(registry, "payloads.sent")).isEqualTo(6);
			assertThat(count(registry, "payloads.received")).isEqualTo(7);
			assertThat(count(registry, "deserialization.failures")).isEqualTo(8);
			assertThat(count(registry, "messages.rejected")).isEqualTo(9);
			assertThat(count(registry, "rejections.received")).isEqualTo(10);
			assertThat(count(registry, "events.dropped")).isEqualTo(11);
			assertThat(registry.get("session.replication.removals.remembered").gauge().value()).isEqualTo(10);
			assertThat(count(registry, "removals.forgotten.early")).isEqualTo(2);
			assertThat(count(registry, "repair.rounds")).isEqualTo(13);
			assertThat(count(registry, "repair.sessions")).isEqualTo(14);
			assertThat(count(registry, "repair.removals")).isEqualTo(15);
			assertThat(registry.get("session.replication.copies.behind").gauge().value()).isEqualTo(16);
		}
	}

	@Test
	void outcomesOfChangesAreCountedByTag() {
		try (TestCluster cluster = new TestCluster(ReplicationMode.ALL_TO_ALL)) {
			Member member = cluster.start("node-1");
			Member other = cluster.start("node-2");
			MeterRegistry registry = new SimpleMeterRegistry();
			new SessionReplicationMetrics(member.statistics, member.replicator, member.transport, member.serializer,
					member.store)
				.bindTo(registry);
			String first = member.createSession("user", "alice").getId();
			member.createSession("user", "bob");
			other.store.remove(first, SessionRemoval.Reason.INVALIDATED, false);
			member.update(first, (session) -> session.setAttribute("user", "carol"));

			assertThat(changes(registry, "applied")).isEqualTo(2);
			assertThat(changes(registry, "rejected")).isEqualTo(1);
			assertThat(changes(registry, "missing")).isZero();
		}
	}

	private static double changes(MeterRegistry registry, String outcome) {
		return registry.get("session.replication.changes").tag("outcome", outcome).functionCounter().count();
	}

	private static void repeat(int times, Runnable action) {
		for (int i = 0; i < times; i++) {
			action.run();
		}
	}

	private static double count(MeterRegistry registry, String name) {
		return registry.get("session.replication." + name).functionCounter().count();
	}

}
