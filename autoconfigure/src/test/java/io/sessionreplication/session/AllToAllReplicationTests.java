package io.sessionreplication.session;

import java.util.Collection;

import io.sessionreplication.replication.ReplicationMode;
import io.sessionreplication.testcluster.TestCluster.Member;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The replication contract in {@link ReplicationMode#ALL_TO_ALL}.
 */
class AllToAllReplicationTests extends AbstractReplicationContractTests {

	@Override
	protected ReplicationMode mode() {
		return ReplicationMode.ALL_TO_ALL;
	}

	/** Every member holds every session. */
	@Override
	protected void assertHoldsItsShare(Member member, Collection<String> sessionIds) {
		assertThat(member.store.size()).isEqualTo(sessionIds.size());
		assertThat(sessionIds).allMatch(member.store::holdsWhole);
	}

}
