package io.sessionreplication.session;

import io.sessionreplication.replication.ReplicationMode;
import io.sessionreplication.session.ReplicatedSessionRepository.ReplicatedSession;
import io.sessionreplication.testcluster.TestCluster;
import io.sessionreplication.testcluster.TestCluster.Member;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The attribute and session size limits, with real members: a value over either is
 * refused by {@code setAttribute} with a message that names the attribute, its size and
 * the property, the session keeps what it had, and the save that follows sends nothing of
 * it.
 */
class SessionSizeLimitTests {

	@Test
	void anAttributeOverTheAttributeLimitIsRefusedAndNothingOfItTravels() {
		try (TestCluster cluster = new TestCluster(ReplicationMode.ALL_TO_ALL)) {
			Member writer = cluster.start("writer");
			Member other = cluster.start("other");
			writer.repository.setMaxAttributeSize(1000);
			String id = writer.createSession("picture", new byte[900]).getId();
			ReplicatedSession session = writer.repository.findById(id);
			writer.transport.clear();

			assertThatIllegalArgumentException().isThrownBy(() -> session.setAttribute("picture", new byte[2000]))
				.withMessageContaining("'picture'")
				.withMessageContaining("session.replication.max-attribute-size (1000 bytes)");
			writer.repository.save(session);

			assertThat(writer.transport.sentMessages()).isEmpty();
			assertThat(session.<byte[]>getAttribute("picture")).hasSize(900);
			assertThat(other.repository.findById(id).<byte[]>getAttribute("picture")).hasSize(900);
		}
	}

	@Test
	void anAttributeThatWouldMakeTheSessionTooLargeIsRefusedButAReplacementThatFitsIsNot() {
		try (TestCluster cluster = new TestCluster(ReplicationMode.ALL_TO_ALL)) {
			Member writer = cluster.start("writer");
			writer.repository.setMaxSessionSize(3000);
			ReplicatedSession session = writer.createSession("first", new byte[1200], "second", new byte[1200]);

			assertThatIllegalArgumentException().isThrownBy(() -> session.setAttribute("third", new byte[1200]))
				.withMessageContaining("'third'")
				.withMessageContaining("session.replication.max-session-size (3000 bytes)");
			session.setAttribute("second", new byte[1300]);

			assertThat(session.getAttributeNames()).containsExactlyInAnyOrder("first", "second");
			assertThat(session.<byte[]>getAttribute("second")).hasSize(1300);
		}
	}

}
