package io.sessionreplication.replication;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.sessionreplication.wire.ClusterMessage;
import io.sessionreplication.wire.SessionIdFingerprint;
import io.sessionreplication.wire.SessionRemoval;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link BatchingSender}.
 */
class BatchingSenderTests {

	@Test
	void queueingInterruptedNamesTheSessionByFingerprintOnly() {
		List<ClusterMessage> sent = new CopyOnWriteArrayList<>();
		BatchingSender sender = new BatchingSender(sent::addAll);
		String id = "6f1c9a3e-2b7d-4c58-9e41-0d3a7b5c8f21";
		try {
			Thread.currentThread().interrupt();
			assertThatIllegalStateException()
				.isThrownBy(() -> sender.enqueue(new SessionRemoval(id, SessionRemoval.Reason.INVALIDATED)))
				.withMessageContaining("the removal of session " + SessionIdFingerprint.of(id))
				.withMessageNotContaining(id);
		}
		finally {
			assertThat(Thread.interrupted()).as("interrupt kept").isTrue();
			sender.close();
		}
		assertThat(sent).isEmpty();
	}

}
