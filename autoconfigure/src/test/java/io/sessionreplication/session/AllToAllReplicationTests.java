package io.sessionreplication.session;

import java.time.Duration;
import java.util.Collection;

import io.sessionreplication.replication.ReplicationMode;
import io.sessionreplication.testcluster.TestCluster.Member;
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
		for (int i = 0; i < 600; i++) {
			a.createSession("counter", i);
		}
		long before = a.statistics.getPayloadsSent();
		a.replicator.viewChanged(a.transport.members(), true);
		long oneExchange = awaitStable(a) - before;

		long beforeMerges = a.statistics.getPayloadsSent();
		for (int i = 0; i < 10; i++) {
			a.replicator.viewChanged(a.transport.members(), true);
		}

		assertThat(oneExchange).isGreaterThan(1);
		assertThat(awaitStable(a) - beforeMerges).as("payloads of 10 merges, %d for one exchange", oneExchange)
			.isLessThanOrEqualTo(3 * oneExchange);
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
