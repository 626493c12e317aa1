package io.sessionreplication.replication;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import io.sessionreplication.cluster.Acknowledgements;
import io.sessionreplication.wire.AttributeChange;
import io.sessionreplication.wire.AttributeValue;
import io.sessionreplication.wire.ChangeStamp;
import io.sessionreplication.wire.ClusterMessage;
import io.sessionreplication.wire.ClusterMessageCodec;
import io.sessionreplication.wire.EncodedMessages;
import io.sessionreplication.wire.MessageTally;
import io.sessionreplication.wire.Rejection;
import io.sessionreplication.wire.SessionDelta;
import io.sessionreplication.wire.SessionRemoval;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

/**
 * How {@link GroupCommit} groups the sends of concurrent requests. The cluster is a
 * function here, so that a test holds a payload in flight for as long as it needs; the
 * replication tests check the group commit with real members.
 */
class GroupCommitTests {

	private final List<List<ClusterMessage>> payloads = new CopyOnWriteArrayList<>();

	private final CountDownLatch firstInFlight = new CountDownLatch(1);

	private final CountDownLatch releaseFirst = new CountDownLatch(1);

	private final Map<String, Throwable> failures = new ConcurrentHashMap<>();

	private final Map<String, DeliveryOutcome> outcomes = new ConcurrentHashMap<>();

	private @Nullable RuntimeException secondPayloadFailure;

	private final GroupCommit groupCommit = new GroupCommit(this::send);

	private final ClusterMessageCodec codec = new ClusterMessageCodec();

	/** What every payload comes back with: applied by node-2, unless a test says else. */
	private PayloadOutcome outcome = new PayloadOutcome(
			new Acknowledgements(Set.of("node-2"), Map.of(), Map.of(), Set.of()), Map.of());

	@Test
	void loneRequestSendsAtOnceAndRequestsQueuedMeanwhileLeaveTogetherInTheNextPayload() throws Exception {
		Thread first = sendInThread("first", null);
		assertThat(this.firstInFlight.await(10, TimeUnit.SECONDS)).isTrue();
		List<Thread> queued = List.of(sendInThread("a", null), sendInThread("b", null), sendInThread("c", null));
		awaitWaiting(queued);

		assertThat(this.payloads).hasSize(1);
		this.releaseFirst.countDown();
		join(first, queued);

		assertThat(this.payloads).hasSize(2);
		assertThat(sessionIds(this.payloads.get(0))).containsExactly("first");
		assertThat(sessionIds(this.payloads.get(1))).containsExactlyInAnyOrder("a", "b", "c");
		assertThat(this.failures).isEmpty();
	}

	@Test
	void requestsQueuedMeanwhileLeaveInPayloadsOfAtMostTheByteBudget() throws Exception {
		Thread first = sendInThread("first", null);
		assertThat(this.firstInFlight.await(10, TimeUnit.SECONDS)).isTrue();
		int large = (int) (PayloadBudget.MAX_BYTES * 2 / 5);
		List<Thread> queued = new ArrayList<>();
		for (String id : List.of("a", "b", "c")) {
			queued.add(sendInThread(id, null, () -> largeChange(id, large)));
			awaitWaiting(queued);
		}

		this.releaseFirst.countDown();
		join(first, queued);

		assertThat(this.payloads).extracting(GroupCommitTests::sessionIds)
			.containsExactly(List.of("first"), List.of("a", "b"), List.of("c"));
		assertThat(this.failures).isEmpty();
	}

	@Test
	void eachRequestOfAPayloadGetsTheOutcomeOfItsOwnMessages() throws Exception {
		Thread first = sendInThread("first", null);
		assertThat(this.firstInFlight.await(10, TimeUnit.SECONDS)).isTrue();
		List<Thread> queued = new ArrayList<>();
		for (String id : List.of("a", "b", "c")) {
			queued.add(sendInThread(id, null));
			awaitWaiting(queued);
		}
		// node-2 rejects the second message of the next payload, b's; node-3 is missing
		this.outcome = new PayloadOutcome(
				new Acknowledgements(Set.of("node-2"), Map.of(), Map.of("node-4", "IllegalStateException: full"),
						Set.of("node-3")),
				Map.of("node-2", List.of(Rejection.of(Rejection.Cause.INVALID, List.of(1), "a forged version"))));

		this.releaseFirst.countDown();
		join(first, queued);

		assertThat(sessionIds(this.payloads.get(1))).containsExactly("a", "b", "c");
		assertThat(this.outcomes.get("a").applied()).containsExactly("node-2");
		assertThat(this.outcomes.get("b").applied()).isEmpty();
		assertThat(this.outcomes.get("b").rejected()).containsOnly(entry("node-2", "invalid: a forged version"),
				entry("node-4", "IllegalStateException: full"));
		assertThat(this.outcomes.get("c").applied()).containsExactly("node-2");
		assertThat(List.of("a", "b", "c")).allSatisfy((id) -> {
			assertThat(this.outcomes.get(id).missing()).containsExactly("node-3");
			assertThat(this.outcomes.get(id).isComplete()).isFalse();
		});
	}

	@Test
	void requestsToOtherMembersDoNotWaitForAPayloadInFlight() throws Exception {
		Thread first = sendInThread("first", List.of("node-2"));
		assertThat(this.firstInFlight.await(10, TimeUnit.SECONDS)).isTrue();
		Thread other = sendInThread("other", List.of("node-3"));

		other.join(TimeUnit.SECONDS.toMillis(10));
		assertThat(other.isAlive()).isFalse();
		assertThat(first.isAlive()).isTrue();
		this.releaseFirst.countDown();
		join(first, List.of());
		assertThat(this.payloads).hasSize(2);
	}

	@Test
	void payloadThatCannotBeSentFailsEveryRequestItCarries() throws Exception {
		this.secondPayloadFailure = new IllegalStateException("Could not send a session change to cluster 'test'");
		Thread first = sendInThread("first", null);
		assertThat(this.firstInFlight.await(10, TimeUnit.SECONDS)).isTrue();
		List<Thread> queued = List.of(sendInThread("a", null), sendInThread("b", null));
		awaitWaiting(queued);

		this.releaseFirst.countDown();
		join(first, queued);

		assertThat(this.failures).containsOnlyKeys("a", "b");
		this.failures.values()
			.forEach((failure) -> assertThat(failure).isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("cluster 'test'"));
	}

	@Test
	void requestInterruptedWhileQueuedStillReturnsOnlyOnceItsPayloadIsSentAndKeepsTheInterrupt() throws Exception {
		Thread first = sendInThread("first", null);
		assertThat(this.firstInFlight.await(10, TimeUnit.SECONDS)).isTrue();
		AtomicInteger payloadsWhenReturned = new AtomicInteger();
		AtomicBoolean interruptKept = new AtomicBoolean();
		Thread queued = new Thread(() -> {
			this.groupCommit.send(removal("queued"), null);
			payloadsWhenReturned.set(this.payloads.size());
			interruptKept.set(Thread.currentThread().isInterrupted());
		}, "request-queued");
		queued.start();
		awaitWaiting(List.of(queued));

		queued.interrupt();
		awaitWaiting(List.of(queued));
		assertThat(this.payloads).as("nothing sent while the first payload is in flight").hasSize(1);
		this.releaseFirst.countDown();
		join(first, List.of(queued));

		assertThat(sessionIds(this.payloads.get(1))).containsExactly("queued");
		assertThat(payloadsWhenReturned).as("returned after its payload").hasValue(2);
		assertThat(interruptKept).isTrue();
	}

	@Test
	void lanesToMembersThatLeftTheViewAreForgotten() {
		this.releaseFirst.countDown();
		this.groupCommit.send(removal("a"), List.of("node-2"));
		this.groupCommit.send(removal("b"), List.of("node-3"));
		assertThat(this.groupCommit.laneCount()).isEqualTo(2);

		this.groupCommit.retainMembers(List.of("node-1", "node-3"));

		assertThat(this.groupCommit.laneCount()).isOne();
		this.groupCommit.send(removal("c"), List.of("node-2"));
		assertThat(this.payloads).hasSize(3);
	}

	private PayloadOutcome send(List<EncodedMessages> parts, @Nullable Collection<String> members) {
		this.payloads.add(this.codec.decode(this.codec.join(parts, ClusterMessageCodec.NEWEST_FORMAT)));
		if (this.payloads.size() == 1) {
			this.firstInFlight.countDown();
			try {
				this.releaseFirst.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		else if (this.secondPayloadFailure != null) {
			throw this.secondPayloadFailure;
		}
		return this.outcome;
	}

	private Thread sendInThread(String sessionId, @Nullable List<String> members) {
		return sendInThread(sessionId, members, () -> removal(sessionId));
	}

	private Thread sendInThread(String sessionId, @Nullable List<String> members, Supplier<EncodedMessages> messages) {
		Thread thread = new Thread(() -> {
			try {
				this.outcomes.put(sessionId, this.groupCommit.send(messages.get(), members));
			}
			catch (RuntimeException ex) {
				this.failures.put(sessionId, ex);
			}
		}, "request-" + sessionId);
		thread.start();
		return thread;
	}

	/** Wait until the requests are queued behind the payload in flight. */
	private static void awaitWaiting(List<Thread> threads) {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> threads.stream().allMatch((thread) -> thread.getState() == Thread.State.WAITING));
	}

	private static void join(Thread first, List<Thread> others) throws InterruptedException {
		List<Thread> all = new ArrayList<>(others);
		all.add(first);
		for (Thread thread : all) {
			thread.join(TimeUnit.SECONDS.toMillis(10));
			assertThat(thread.isAlive()).as(thread.getName() + " returned").isFalse();
		}
	}

	private EncodedMessages removal(String sessionId) {
		return this.codec.encodeMessages(List.of(new SessionRemoval(sessionId, SessionRemoval.Reason.INVALIDATED)),
				ClusterMessageCodec.NEWEST_FORMAT, MessageTally.NONE);
	}

	private EncodedMessages largeChange(String sessionId, int bytes) {
		SessionDelta change = new SessionDelta(sessionId, null, Instant.EPOCH, Duration.ofMinutes(30),
				ChangeStamp.INITIAL, Instant.EPOCH, "node-1", List.of(new AttributeChange("picture",
						new ChangeStamp(1, "node-1"), AttributeValue.ofBytes(new byte[bytes]))));
		return this.codec.encodeMessages(List.of(change), ClusterMessageCodec.NEWEST_FORMAT, MessageTally.NONE);
	}

	private static List<String> sessionIds(List<ClusterMessage> payload) {
		return payload.stream()
			.map((message) -> (message instanceof SessionDelta delta) ? delta.sessionId()
					: ((SessionRemoval) message).sessionId())
			.toList();
	}

}
