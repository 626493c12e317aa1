package io.sessionreplication.session;

import java.util.List;

import io.sessionreplication.replication.ReplicationMode;
import io.sessionreplication.testcluster.TestCluster;
import io.sessionreplication.testcluster.TestCluster.Member;
import org.junit.jupiter.api.AfterEach;

/**
 * Tests that run three real members, {@code node-1} to {@code node-3}, in one mode and
 * stop them after each test.
 */
abstract class AbstractThreeMemberTests {

	private TestCluster cluster;

	/** The members, in the order they started. */
	protected List<Member> members;

	protected Member a;

	protected Member b;

	protected Member c;

	/**
	 * Start the three members, each once the others see the one before.
	 * @param mode the mode of the cluster
	 */
	protected void startMembers(ReplicationMode mode) {
		this.cluster = new TestCluster(mode);
		this.members = this.cluster.start(3);
		this.a = this.members.get(0);
		this.b = this.members.get(1);
		this.c = this.members.get(2);
	}

	/** Wait until the running members share a view of all of them. */
	protected void awaitView() {
		this.cluster.awaitView();
	}

	@AfterEach
	void closeCluster() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

}
