package io.sessionreplication.session;

import io.sessionreplication.replication.ReplicationMode;
import io.sessionreplication.testcluster.TestCluster;
import io.sessionreplication.testcluster.TestCluster.Member;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The limit on the sessions a member holds ({@code max-sessions}), with real members: a
 * full member refuses to create a session, sends nothing, and creates again once a
 * session ends; the copies that other members send are still taken.
 */
class SessionCountLimitTests {

	@Test
	void aFullMemberRefusesNewSessionsUntilOneEndsAndStillTakesCopies() {
		try (TestCluster cluster = new TestCluster(ReplicationMode.ALL_TO_ALL)) {
			Member full = cluster.start("full");
			Member other = cluster.start("other");
			full.repository.setMaxSessions(2);
			String first = full.createSession("user", "alice").getId();
			full.createSession("user", "bob");
			full.transport.clear();

			assertThatExceptionOfType(SessionLimitExceededException.class)
				.isThrownBy(() -> full.repository.createSession())
				.withMessage("This member holds 2 sessions, as many as session.replication.max-sessions allows: "
						+ "no session is created until some end")
				.satisfies((ex) -> assertThat(ex.getMaxSessions()).isEqualTo(2));
			assertThat(full.transport.sentMessages()).isEmpty();

			String copy = other.createSession("user", "carol").getId();
			assertThat(full.repository.findById(copy).<String>getAttribute("user")).isEqualTo("carol");

			full.repository.deleteById(first);
			other.repository.deleteById(copy);
			assertThat(full.createSession("user", "dave").<String>getAttribute("user")).isEqualTo("dave");
		}
	}

}
