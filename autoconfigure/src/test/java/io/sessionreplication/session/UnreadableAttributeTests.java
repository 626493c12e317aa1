package io.sessionreplication.session;

import java.io.Serializable;
import java.util.function.UnaryOperator;

import io.sessionreplication.replication.DeliveryMode;
import io.sessionreplication.replication.ReplicationMode;
import io.sessionreplication.session.ReplicatedSessionRepository.ReplicatedSession;
import io.sessionreplication.testcluster.TestCluster;
import io.sessionreplication.testcluster.TestCluster.Member;
import io.sessionreplication.wire.UnreadableAttributeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * An attribute that one member stores and another cannot read, because its class is
 * missing there (as after a redeploy that removed or moved it): with the default policy
 * the reading member answers as if it were absent, removes it on every member once the
 * request saves the session, and says so once; with {@code FAIL} the read throws.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnreadableAttributeTests {

	@Test
	void anUnreadableAttributeIsRemovedOnEveryMemberAndTheRestOfTheSessionStays(CapturedOutput output) {
		try (TestCluster cluster = new TestCluster(ReplicationMode.ALL_TO_ALL)) {
			Member writer = cluster.start("writer");
			Member reader = cluster.start("reader", DeliveryMode.SYNC, UnaryOperator.identity(),
					new AbstractReplicationContractTests.HidingClassLoader(Cart.class));
			String first = writer.createSession("cart", new Cart(3), "counter", 7).getId();
			String second = writer.createSession("cart", new Cart(4), "counter", 8).getId();

			for (String id : new String[] { first, second }) {
				ReplicatedSession session = reader.repository.findById(id);
				assertThat((Object) session.getAttribute("cart")).isNull();
				assertThat(session.getAttributeNames()).containsExactly("counter");
				assertThat((Integer) session.getAttribute("counter")).isNotNull();
				reader.repository.save(session);
			}

			await().untilAsserted(
					() -> assertThat(writer.repository.findById(first).getAttributeNames()).containsExactly("counter"));
			assertThat(writer.repository.findById(second).getAttributeNames()).containsExactly("counter");
			assertThat(output).containsOnlyOnce("Session attribute 'cart' cannot be read on this member")
				.contains(Cart.class.getName())
				.doesNotContain(first)
				.doesNotContain(second);
		}
	}

	@Test
	void withTheFailPolicyTheReadThrowsAndTheAttributeStays() {
		try (TestCluster cluster = new TestCluster(ReplicationMode.ALL_TO_ALL)) {
			Member writer = cluster.start("writer");
			Member reader = cluster.start("reader", DeliveryMode.SYNC, UnaryOperator.identity(),
					new AbstractReplicationContractTests.HidingClassLoader(Cart.class));
			reader.repository.setUnreadableAttributePolicy(UnreadableAttributePolicy.FAIL);
			String id = writer.createSession("cart", new Cart(3)).getId();

			ReplicatedSession session = reader.repository.findById(id);
			assertThatExceptionOfType(UnreadableAttributeException.class).isThrownBy(() -> session.getAttribute("cart"))
				.withMessageContaining("'cart'");
			assertThat(session.getAttributeNames()).containsExactly("cart");
			assertThat(reader.serializer.getDeserializationFailures()).isOne();
		}
	}

	/** What a shop keeps in a session. */
	record Cart(int items) implements Serializable {
	}

}
