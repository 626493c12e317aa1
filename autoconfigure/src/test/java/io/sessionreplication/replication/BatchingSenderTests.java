package io.sessionreplication.replication;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.sessionreplication.wire.AttributeChange;
import io.sessionreplication.wire.AttributeValue;
import io.sessionreplication.wire.ChangeStamp;
import io.sessionreplication.wire.ClusterMessage;
import io.sessionreplication.wire.SessionDelta;
import io.sessionreplication.wire.SessionIdFingerprint;
import io.sessionreplication.wire.SessionRemoval;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link BatchingSender} and the {@link PayloadBudget} of its payloads.
 */
class BatchingSenderTests {

	@Test
	void largeMessagesLeaveInPayloadsOfAtMostTheByteBudget() throws InterruptedException {
		List<List<ClusterMessage>> batches = new CopyOnWriteArrayList<>();
		CountDownLatch firstSent = new CountDownLatch(1);
		CountDownLatch allQueued = new CountDownLatch(1);
		BatchingSender sender = new BatchingSender((batch) -> {
			batches.add(List.copyOf(batch));
			firstSent.countDown();
			await(allQueued);
		});
		int large = (int) (PayloadBudget.MAX_BYTES * 2 / 5);
		sender.enqueue(change("session-0", large));
		assertThat(firstSent.await(10, TimeUnit.SECONDS)).isTrue();
		for (int i = 1; i <= 5; i++) {
			sender.enqueue(change("session-" + i, large));
		}
		allQueued.countDown();
		sender.close();

		assertThat(batches).extracting(List::size).containsExactly(1, 2, 2, 1);
		assertThat(batches.stream().flatMap(List::stream).map((message) -> ((SessionDelta) message).sessionId()))
			.containsExactly("session-0", "session-1", "session-2", "session-3", "session-4", "session-5");
	}

	@Test
	void aMessageLargerThanTheBudgetLeavesAlone() {
		PayloadBudget budget = new PayloadBudget();
		SessionDelta huge = change("huge", (int) PayloadBudget.MAX_BYTES * 2);

		assertThat(budget.admits(huge)).isTrue();
		budget.add(huge);
		assertThat(budget.admits(new SessionRemoval("small", SessionRemoval.Reason.INVALIDATED))).isFalse();
	}

	@Test
	void aPayloadHoldsAtMostTheMessageBudget() {
		PayloadBudget budget = new PayloadBudget();
		SessionRemoval removal = new SessionRemoval("small", SessionRemoval.Reason.INVALIDATED);
		for (int i = 0; i < PayloadBudget.MAX_MESSAGES; i++) {
			assertThat(budget.admits(removal)).as("message " + i).isTrue();
			budget.add(removal);
		}

		assertThat(budget.admits(removal)).isFalse();
	}

	private static SessionDelta change(String sessionId, int bytes) {
		return new SessionDelta(sessionId, null, Instant.EPOCH, Duration.ofMinutes(30), ChangeStamp.INITIAL,
				Instant.EPOCH, "node-1", List.of(new AttributeChange("picture", new ChangeStamp(1, "node-1"),
						AttributeValue.ofBytes(new byte[bytes]))));
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

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
