package io.sessionreplication.session;

import java.time.Duration;
import java.util.Collection;

import io.sessionreplication.replication.ReplicationMode;
import io.sessionreplication.testcluster.TestCluster.Member;
import io.sessionreplication.wire.SessionDelta;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The replication contract in {@link ReplicationMode#ALL_TO_ALL}.
 */
class AllToAllReplicationTests extends AbstractReplicationContractTests {

	@Override
	protected ReplicationMode mode() {
		return ReplicationMode.ALL_TO_ALL;
	}

	@Test
	void mergesThatComeDuringAnExchangeShareOneMoreExchange() {
		Member a = this.cluster.start("node-1");
		this.cluster.start("node-2");
		int sessions = 300;
		for (int i = 0; i < sessions; i++) {
			a.createSession("counter", i);
		}
		a.transport.clear();

		a.transport.holdSends();
		a.replicator.viewChanged(a.transport.members(), true);
		// the first exchange is under way, held in its first send
		await().atMost(Duration.ofSeconds(5)).until(() -> a.transport.sendsHeld() > 0);
		for (int i = 0; i < 9; i++) {
			a.replicator.viewChanged(a.transport.members(), true);
		}
		a.transport.releaseSends();
		awaitStable(a);

		assertThat(a.transport.sentMessages().stream().filter(SessionDelta.class::isInstance))
			.as("sessions sent by 10 merges, the first under way when the others came")
			.hasSize(2 * sessions);
	}

	/** Wait until the member has sent nothing for a while, and return what it sent. */
	private static long awaitStable(Member member) {
		long[] last = { -1 };
		await().pollInterval(Duration.ofMillis(300)).atMost(Duration.ofSeconds(20)).until(() -> {
			long sent = member.statistics.getPayloadsSent();
			boolean stable = sent == last[0];
			last[0] = sent;
			return stable;
		});
		return last[0];
	}

	/** Every member holds every session. */
	@Override
	protected void assertHoldsItsShare(Member member, Collection<String> sessionIds) {
		assertThat(member.store.size()).isEqualTo(sessionIds.size());
		assertThat(sessionIds).allMatch(member.store::holdsWhole);
	}

}
