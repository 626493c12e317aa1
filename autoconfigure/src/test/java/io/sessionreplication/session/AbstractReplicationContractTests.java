package io.sessionreplication.session;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.sessionreplication.cluster.Acknowledgements;
import io.sessionreplication.cluster.ClusterReceiver;
import io.sessionreplication.replication.DeliveryMode;
import io.sessionreplication.replication.DeliveryOutcome;
import io.sessionreplication.replication.ReplicationMode;
import io.sessionreplication.session.ReplicatedSessionRepository.ReplicatedSession;
import io.sessionreplication.testcluster.TestClock;
import io.sessionreplication.testcluster.TestCluster;
import io.sessionreplication.testcluster.TestCluster.Member;
import io.sessionreplication.wire.AttributeChange;
import io.sessionreplication.wire.ChangeStamp;
import io.sessionreplication.wire.ClusterMessage;
import io.sessionreplication.wire.ClusterMessageCodec;
import io.sessionreplication.wire.MessageKind;
import io.sessionreplication.wire.Rejection;
import io.sessionreplication.wire.SenderView;
import io.sessionreplication.wire.SessionDelta;
import io.sessionreplication.wire.SessionRemoval;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.session.FindByIndexNameSessionRepository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * What every replication mode must do, checked with several real members in one JVM.
 */
abstract class AbstractReplicationContractTests {

	protected final TestCluster cluster = new TestCluster(mode());

	/**
	 * The mode under test.
	 * @return the mode
	 */
	protected abstract ReplicationMode mode();

	/**
	 * Assert that a member that has just started holds, in its own store, the whole copy
	 * of every session the mode gives it.
	 * @param member the member
	 * @param sessionIds the sessions of the cluster
	 */
	protected abstract void assertHoldsItsShare(Member member, Collection<String> sessionIds);

	@AfterEach
	void closeCluster() {
		this.cluster.close();
	}

	@Test
	void saveOnOneMemberIsFoundOnAnother() {
		Member a = this.cluster.start("node-1");
		Member b = this.cluster.start("node-2");
		ReplicatedSession session = a.createSession("user", "alice", "counter", 1);

		ReplicatedSession found = b.repository.findById(session.getId());

		assertThat(found).isNotNull();
		assertThat(found.<String>getAttribute("user")).isEqualTo("alice");
		assertThat(found.<Integer>getAttribute("counter")).isEqualTo(1);
		assertThat(found.getCreationTime()).isEqualTo(session.getCreationTime());
		assertThat(found.getMaxInactiveInterval()).isEqualTo(session.getMaxInactiveInterval());
	}

	@Test
	void alternatingMembersNeverReadAStaleValue() {
		Member a = this.cluster.start("node-1");
		Member b = this.cluster.start("node-2");
		String id = a.createSession("counter", 0).getId();
		List<Member> members = List.of(a, b);
		for (int i = 1; i <= 50; i++) {
			Member member = members.get(i % 2);
			int expected = i;
			member.update(id, (session) -> {
				assertThat(session.<Integer>getAttribute("counter")).isEqualTo(expected - 1);
				session.setAttribute("counter", expected);
			});
		}
		assertThat(a.repository.findById(id).<Integer>getAttribute("counter")).isEqualTo(50);
		assertThat(b.repository.findById(id).<Integer>getAttribute("counter")).isEqualTo(50);
		assertThat(List.of(a, b)).as("members that asked for a later access of a session in use")
			.allMatch((member) -> member.statistics.getMessagesSent(MessageKind.ACCESS_QUERY) == 0);
	}

	@Test
	void updateSendsOnlyTheChangedAttribute() {
		Member a = this.cluster.start("node-1");
		Member b = this.cluster.start("node-2");
		String id = a.createSession("large", new byte[10_000], "counter", 1).getId();
		a.transport.clear();

		a.update(id, (session) -> session.setAttribute("counter", 2));

		List<ClusterMessage> sent = a.transport.sentMessages()
			.stream()
			.filter((message) -> !(message instanceof SenderView))
			.toList();
		assertThat(sent).singleElement().isInstanceOfSatisfying(SessionDelta.class, (delta) -> {
			assertThat(delta.sessionId()).isEqualTo(id);
			assertThat(delta.attributes()).extracting(AttributeChange::name).containsExactly("counter");
		});
		ReplicatedSession onB = b.repository.findById(id);
		assertThat(onB.<Integer>getAttribute("counter")).isEqualTo(2);
		assertThat(onB.<byte[]>getAttribute("large")).hasSize(10_000);
	}

	@Test
	void readingWithoutChangesSendsNothingUntilTheAccessIsDue() {
		Member a = this.cluster.start("node-1");
		this.cluster.start("node-2");
		String id = a.createSession("counter", 1).getId();
		a.transport.clear();

		a.update(id, (session) -> session.getAttribute("counter"));
		a.update(id, (session) -> session.getAttribute("counter"));

		assertThat(a.transport.sentMessages()).isEmpty();
	}

	@Test
	void removedAttributeIsRemovedEverywhere() {
		Member a = this.cluster.start("node-1");
		Member b = this.cluster.start("node-2");
		String id = a.createSession("user", "alice", "cart", "3 items").getId();

		b.update(id, (session) -> session.removeAttribute("cart"));

		assertThat(a.repository.findById(id).getAttributeNames()).containsExactly("user");
		assertThat(b.repository.findById(id).getAttributeNames()).containsExactly("user");
	}

	@Test
	void changedSessionIdIsReplicatedAtOnce() {
		Member a = this.cluster.start("node-1");
		Member b = this.cluster.start("node-2");
		String oldId = a.createSession("user", "alice").getId();
		String[] newId = new String[1];

		a.update(oldId, (session) -> newId[0] = session.changeSessionId());

		assertThat(b.repository.findById(oldId)).isNull();
		assertThat(b.repository.findById(newId[0]).<String>getAttribute("user")).isEqualTo("alice");
		assertThat(a.repository.findById(oldId)).isNull();
	}

	@Test
	void deletedSessionIsGoneEverywhereAndStaysGone() {
		Member a = this.cluster.start("node-1");
		Member b = this.cluster.start("node-2");
		ReplicatedSession session = a.createSession("user", "alice");
		ReplicatedSession stillOpenOnB = b.repository.findById(session.getId());

		a.repository.deleteById(session.getId());
		stillOpenOnB.setAttribute("late", "write");
		b.repository.save(stillOpenOnB);

		assertThat(a.repository.findById(session.getId())).isNull();
		assertThat(b.repository.findById(session.getId())).isNull();
	}

	@Test
	void expiredSessionIsRemovedFromEveryCopy() {
		Member a = this.cluster.start("node-1");
		Member b = this.cluster.start("node-2");
		ReplicatedSession session = a.repository.createSession();
		session.setMaxInactiveInterval(Duration.ofSeconds(2));
		a.repository.save(session);
		assertThat(b.store.size()).isEqualTo(1);

		// past the timeout on node-1, which knows the last access, but before node-2
		// would expire its copy on its own (timeout plus a quarter)
		await().pollDelay(Duration.ofMillis(2100)).atMost(Duration.ofSeconds(3)).until(() -> true);
		a.repository.cleanUpExpiredSessions();

		assertThat(a.store.size()).isZero();
		assertThat(b.store.size()).isZero();
	}

	@Test
	void expiredSessionIsNotFound() {
		Member a = this.cluster.start("node-1");
		ReplicatedSession session = a.repository.createSession();
		session.setMaxInactiveInterval(Duration.ofMillis(300));
		a.repository.save(session);

		await().atMost(Duration.ofSeconds(5)).until(() -> a.repository.findById(session.getId()) == null);
		assertThat(a.store.size()).isZero();
	}

	@Test
	void copyDoesNotExpireASessionInUseOnAnotherMember() {
		Member a = this.cluster.start("node-1");
		Member b = this.cluster.start("node-2");
		ReplicatedSession session = a.repository.createSession();
		session.setMaxInactiveInterval(Duration.ofSeconds(1));
		a.repository.save(session);

		Instant end = Instant.now().plusMillis(2500);
		while (Instant.now().isBefore(end)) {
			b.update(session.getId(), (used) -> used.getAttributeNames());
			await().pollDelay(Duration.ofMillis(150)).atMost(Duration.ofSeconds(1)).until(() -> true);
			a.repository.cleanUpExpiredSessions();
		}

		assertThat(a.repository.findById(session.getId())).isNotNull();
		assertThat(b.repository.findById(session.getId())).isNotNull();
	}

	@Test
	void noMemberServesOrListsASessionPastItsLatestAccessPlusItsTimeout() {
		TestClock clock = new TestClock();
		Member a = this.cluster.start("node-1", clock);
		Member b = this.cluster.start("node-2", clock);
		String principal = "alice-" + UUID.randomUUID();
		String id = createWithTimeout(a, Duration.ofMinutes(10),
				FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, principal);
		// served on node-1 again, too soon for the access to travel: node-2 knows the
		// creation as the latest access
		clock.advance(Duration.ofMinutes(2));
		Instant latestAccess = clock.instant().truncatedTo(ChronoUnit.MILLIS);
		a.update(id, (used) -> used.setLastAccessedTime(latestAccess));

		clock.advance(Duration.ofMinutes(9));
		ReplicatedSession onB = b.repository.findById(id);

		assertThat(onB).as("live until minute 12 by its latest access").isNotNull();
		assertThat(onB.getLastAccessedTime()).isEqualTo(latestAccess);
		assertThat(onB.isExpired()).isFalse();
		assertThat(b.repository.findByPrincipalName(principal)).containsOnlyKeys(id);

		clock.advance(Duration.ofMinutes(1));
		assertThat(b.repository.findByPrincipalName(principal)).isEmpty();
		assertThat(b.repository.findById(id)).isNull();
		assertThat(a.repository.findById(id)).isNull();
		assertThat(b.store.find(id)).isNull();
	}

	@Test
	void memberWhoseClockIsAheadDoesNotExpireASessionServedOnAnother() {
		TestClock clockOfA = new TestClock();
		TestClock clockOfB = new TestClock();
		Member a = this.cluster.start("node-1", clockOfA);
		Member b = this.cluster.start("node-2", clockOfB);
		String id = createWithTimeout(a, Duration.ofMinutes(10));
		clockOfA.advance(Duration.ofMinutes(2));
		clockOfB.advance(Duration.ofMinutes(2));
		a.update(id, (used) -> used.getAttributeNames());

		// node-1 at minute 9, the session live there until minute 12; node-2 four minutes
		// ahead, past the creation plus the timeout and a quarter
		clockOfA.advance(Duration.ofMinutes(7));
		clockOfB.advance(Duration.ofMinutes(11));
		b.repository.cleanUpExpiredSessions();

		assertThat(b.store.find(id)).as("node-2's copy after its sweep").isNotNull();
		assertThat(b.repository.findById(id)).as("served on node-2").isNotNull();
		assertThat(a.repository.findById(id)).as("served on node-1").isNotNull();
	}

	@Test
	void overdueCopyExpiresByItselfOnlyOnceTheMemberOfTheLatestAccessIsGone() {
		Member a = this.cluster.start("node-1");
		TestClock clockOfB = new TestClock();
		Member b = this.cluster.start("node-2", clockOfB);
		String id = createWithTimeout(a, Duration.ofMinutes(10));

		clockOfB.advance(Duration.ofMinutes(13));
		b.repository.cleanUpExpiredSessions();
		assertThat(b.store.find(id)).as("while node-1, on whose clock the session is live, is in the view").isNotNull();

		a.crash();
		this.cluster.awaitView();
		b.repository.cleanUpExpiredSessions();
		assertThat(b.store.find(id)).as("once node-1 is gone").isNull();
	}

	@Test
	void crashedMemberLeavesTheOthersServing() {
		Member a = this.cluster.start("node-1");
		Member b = this.cluster.start("node-2");
		Member c = this.cluster.start("node-3");
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			ids.add(a.createSession("counter", i).getId());
		}

		a.crash();
		this.cluster.awaitView();

		for (int i = 0; i < ids.size(); i++) {
			int expected = i;
			b.update(ids.get(i), (session) -> {
				assertThat(session.<Integer>getAttribute("counter")).isEqualTo(expected);
				session.setAttribute("counter", expected + 100);
			});
			assertThat(c.repository.findById(ids.get(i)).<Integer>getAttribute("counter")).isEqualTo(expected + 100);
		}
		assertThat(b.statistics.getAckTimeouts()).isZero();
	}

	@Test
	void joiningMemberServesEverySessionOnceStarted() {
		Member a = this.cluster.start("node-1");
		Member b = this.cluster.start("node-2");
		Map<String, Integer> counters = new TreeMap<>();
		for (int i = 0; i < 500; i++) {
			counters.put(((i % 2 == 0) ? a : b).createSession("counter", i, "payload", new byte[1024]).getId(), i);
		}

		Member c = this.cluster.start("node-3");

		assertThat(c.join.stateSource()).isNotNull();
		assertThat(c.join.complete()).isTrue();
		assertThat(c.sessionsArrived).isTrue();
		assertHoldsItsShare(c, counters.keySet());
		counters.forEach((id, counter) -> assertThat(c.repository.findById(id).<Integer>getAttribute("counter"))
			.isEqualTo(counter));
	}

	@Test
	void concurrentUpdatesOnTwoMembersConverge() throws Exception {
		Member a = this.cluster.start("node-1");
		Member b = this.cluster.start("node-2");
		String id = a.createSession("shared", "initial").getId();
		runTogether(List.of(a, b).stream().map((member) -> (Runnable) () -> {
			for (int i = 0; i < 200; i++) {
				int round = i;
				member.update(id, (session) -> {
					session.setAttribute("shared", member.name + "-" + round);
					session.setAttribute("last-" + member.name, round);
					if (round % 3 == 0) {
						session.removeAttribute("shared");
					}
				});
			}
		}).toList());

		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(attributes(a, id)).isEqualTo(attributes(b, id)));
		assertThat(attributes(a, id)).containsEntry("last-node-1", 199).containsEntry("last-node-2", 199);
	}

	@Test
	void partitionedMembersConvergeOnceTheyMerge() {
		try (TestCluster cluster = this.cluster.withNetworkDiscovery()) {
			partitionedMembersConvergeOnceTheyMerge(cluster.start("node-1"), cluster.start("node-2"));
		}
	}

	private void partitionedMembersConvergeOnceTheyMerge(Member a, Member b) {
		String changedOnB = a.createSession("counter", 1).getId();
		String deletedOnA = a.createSession("user", "alice").getId();

		a.isolate();
		b.isolate();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> a.transport.members().size() == 1 && b.transport.members().size() == 1);
		String createdOnA = a.createSession("side", "a").getId();
		String createdOnB = b.createSession("side", "b").getId();
		b.update(changedOnB, (session) -> session.setAttribute("counter", 2));
		a.repository.deleteById(deletedOnA);
		a.reconnect();
		b.reconnect();

		await().atMost(Duration.ofSeconds(30))
			.until(() -> a.transport.members().size() == 2 && b.transport.members().size() == 2);
		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			for (Member member : List.of(a, b)) {
				assertThat(member.repository.findById(createdOnA)).as("created on node-1, on " + member.name)
					.isNotNull();
				assertThat(member.repository.findById(createdOnB)).as("created on node-2, on " + member.name)
					.isNotNull();
				assertThat(member.repository.findById(changedOnB).<Integer>getAttribute("counter"))
					.as("changed on node-2, on " + member.name)
					.isEqualTo(2);
				assertThat(member.repository.findById(deletedOnA)).as("deleted on node-1, on " + member.name).isNull();
			}
		});
	}

	@Test
	void writesOnBothSidesOfAPartitionResolveToTheLaterWriteAndTheDiscardedOnesAreCounted() {
		try (TestCluster cluster = this.cluster.withNetworkDiscovery()) {
			// node-2's copies reach node-1 before node-1's replicator learns of the merge
			laterWriteWinsAtTheMerge(cluster.start("node-1", DeliveryMode.SYNC, LateMergeReceiver::new),
					cluster.start("node-2"));
		}
	}

	private void laterWriteWinsAtTheMerge(Member a, Member b) {
		String id = a.createSession("counter", 0, "note", "before", "side", "none").getId();
		await().atMost(Duration.ofSeconds(10)).until(() -> b.store.find(id) != null);

		a.isolate();
		b.isolate();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> a.transport.members().size() == 1 && b.transport.members().size() == 1);
		// the view change reaches the replicators right after the transports
		await().pollDelay(Duration.ofMillis(100)).atMost(Duration.ofSeconds(1)).until(() -> true);
		for (int i = 1; i <= 5; i++) {
			int counter = i;
			a.update(id, (session) -> session.setAttribute("counter", counter));
		}
		b.update(id, (session) -> session.setAttribute("note", "written on node-2"));
		b.update(id, (session) -> session.setAttribute("side", "node-2 only"));
		// later by the wall clock than every write before it
		await().pollDelay(Duration.ofMillis(20)).atMost(Duration.ofSeconds(1)).until(() -> true);
		b.update(id, (session) -> session.setAttribute("counter", 100));
		a.update(id, (session) -> session.setAttribute("note", "written on node-1"));
		a.reconnect();
		b.reconnect();

		await().atMost(Duration.ofSeconds(30))
			.until(() -> a.transport.members().size() == 2 && b.transport.members().size() == 2);
		Map<String, Object> later = Map.of("counter", 100, "note", "written on node-1", "side", "node-2 only");
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(List.of(a, b))
				.allSatisfy((member) -> assertThat(attributes(member, id)).as("on " + member.name).isEqualTo(later)));
		await().atMost(Duration.ofSeconds(10)).until(() -> discardedWrites(a, b) == 2);
		await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> true);
		assertThat(discardedWrites(a, b)).as("the writes discarded, each counted once").isEqualTo(2);
	}

	private static long discardedWrites(Member... members) {
		return Arrays.stream(members).mapToLong((member) -> member.store.discardedWrites().total()).sum();
	}

	@Test
	void sessionInvalidatedDuringAPartitionLongerThanTheMinimumRemovalMemoryStaysRemovedAfterIt() {
		try (TestCluster cluster = this.cluster.withNetworkDiscovery()) {
			sessionInvalidatedDuringAPartitionStaysRemovedAfterIt(cluster.start("node-1"), cluster.start("node-2"));
		}
	}

	private void sessionInvalidatedDuringAPartitionStaysRemovedAfterIt(Member a, Member b) {
		List.of(a, b).forEach((member) -> member.store.setMinRemovalMemory(Duration.ofMillis(100)));
		String invalidated = a.createSession("user", "alice").getId();

		a.isolate();
		b.isolate();
		await().atMost(Duration.ofSeconds(20))
			.until(() -> a.transport.members().size() == 1 && b.transport.members().size() == 1);
		a.repository.deleteById(invalidated);
		// the partition outlasts the minimum removal memory, and the sweeps run meanwhile
		await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> true);
		List.of(a, b).forEach((member) -> member.repository.cleanUpExpiredSessions());
		a.reconnect();
		b.reconnect();

		await().atMost(Duration.ofSeconds(30))
			.until(() -> a.transport.members().size() == 2 && b.transport.members().size() == 2);
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(List.of(a, b))
				.allSatisfy((member) -> assertThat(member.store.size()).as("sessions on " + member.name).isZero()));
		await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> true);
		assertThat(a.repository.findById(invalidated)).isNull();
		assertThat(b.repository.findById(invalidated)).isNull();
	}

	@Test
	void nonSerializableAttributeIsRejectedAndLeavesTheSessionUnchanged() {
		Member a = this.cluster.start("node-1");
		Member b = this.cluster.start("node-2");
		ReplicatedSession session = a.createSession("user", "alice");

		assertThatIllegalArgumentException().isThrownBy(() -> session.setAttribute("user", new Object()))
			.withMessageContaining("'user'")
			.withMessageContaining("java.lang.Object");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> session.setAttribute("holder", new ArrayList<>(List.of(new Object()))))
			.withMessageContaining("'holder'")
			.withMessageContaining("java.lang.Object");
		assertThat(session.<String>getAttribute("user")).isEqualTo("alice");
		assertThat(session.getAttributeNames()).containsExactly("user");
		a.repository.save(session);
		assertThat(b.repository.findById(session.getId()).getAttributeNames()).containsExactly("user");
	}

	@Test
	void memberWithoutAnAttributeClassHoldsAndForwardsTheSession() {
		Member holder = this.cluster.start("node-1", DeliveryMode.SYNC, (receiver) -> receiver,
				new HidingClassLoader(Greeting.class));
		Member writer = this.cluster.start("node-2");
		String id = writer.createSession("greeting", new Greeting("hello"), "user", "alice").getId();

		holder.repository.setUnreadableAttributePolicy(UnreadableAttributePolicy.FAIL);
		ReplicatedSession onHolder = holder.repository.findById(id);
		assertThat(onHolder.<String>getAttribute("user")).isEqualTo("alice");
		assertThatIllegalStateException().isThrownBy(() -> onHolder.getAttribute("greeting"))
			.withMessageContaining("'greeting'")
			.withMessageContaining(Greeting.class.getName());
		assertThat(holder.serializer.getDeserializationFailures()).isEqualTo(1);

		writer.crash();
		this.cluster.awaitView();
		Member joiner = this.cluster.start("node-3");

		assertThat(joiner.repository.findById(id).<Greeting>getAttribute("greeting")).isEqualTo(new Greeting("hello"));
	}

	@Test
	void emptySessionIdIsNotFoundAndNothingIsSentOrRejected() {
		Member a = this.cluster.start("node-1");
		Member b = this.cluster.start("node-2");
		Member c = this.cluster.start("node-3");
		a.createSession("user", "alice");
		long sent = a.statistics.getPayloadsSent();

		assertThat(a.repository.findById("")).isNull();

		assertThat(a.statistics.getPayloadsSent()).isEqualTo(sent);
		assertThat(List.of(b, c)).allMatch((member) -> member.statistics.getRejectedPayloads() == 0);
	}

	@Test
	void malformedPayloadIsRejectedAndChangesGoOn() {
		Member a = this.cluster.start("node-1");
		Member b = this.cluster.start("node-2");

		a.transport.sendAndAwait(new byte[] { 2, 0, 0, 0, 1, 9, 9, 9 }, TestCluster.ACK_TIMEOUT);
		a.transport.sendAndAwait(new byte[] { 42 }, TestCluster.ACK_TIMEOUT);
		String id = a.createSession("user", "alice").getId();

		assertThat(b.statistics.getRejectedPayloads()).isEqualTo(2);
		assertThat(b.repository.findById(id).<String>getAttribute("user")).isEqualTo("alice");
	}

	@Test
	void forgedVersionOrTimeIsRejectedNegativelyAcknowledgedAndLaterWritesStillReplicate() {
		Member a = this.cluster.start("node-1");
		Member b = this.cluster.start("node-2");
		String id = a.createSession("counter", 1).getId();

		a.replicator.replicate(forged(a, id, new ChangeStamp(Long.MAX_VALUE, a.name), Instant.now()));
		a.replicator.replicate(forged(a, id, new ChangeStamp(5, a.name), Instant.now().plus(Duration.ofDays(365))));

		assertThat(a.statistics.getRejectionsReceived()).isEqualTo(2);
		assertThat(b.statistics.getRejectedMessages()).isEqualTo(2);
		assertThat(b.repository.findById(id).<Integer>getAttribute("counter")).isEqualTo(1);
		a.update(id, (session) -> session.setAttribute("counter", 2));
		assertThat(b.repository.findById(id).<Integer>getAttribute("counter")).isEqualTo(2);
		assertThat(b.statistics.getRejectedPayloads()).isZero();
	}

	@Test
	void rejectedMessageIsNegativelyAcknowledgedAndTheRestOfItsPayloadApplies() {
		Member a = this.cluster.start("node-1");
		Member b = this.cluster.start("node-2");
		String kept = a.createSession("user", "alice").getId();
		String invalidated = a.createSession("user", "bob").getId();
		byte[] payload = new ClusterMessageCodec()
			.encode(List.of(forged(a, kept, new ChangeStamp(ChangeStamp.MAX_VERSION + 1, a.name), Instant.now()),
					new SessionRemoval(invalidated, SessionRemoval.Reason.INVALIDATED)));

		Acknowledgements acknowledgements = a.transport.sendAndAwait(payload, TestCluster.ACK_TIMEOUT);

		assertThat(acknowledgements.missing()).isEmpty();
		assertThat(new ClusterMessageCodec().decode(acknowledgements.replies().get(b.name))).singleElement()
			.isInstanceOfSatisfying(Rejection.class, (rejection) -> {
				assertThat(rejection.cause()).isEqualTo(Rejection.Cause.INVALID);
				assertThat(rejection.positions()).containsExactly(0);
				assertThat(rejection.reason()).contains("version 9007199254740992 of the attribute 'counter'");
			});
		assertThat(b.repository.findById(invalidated)).isNull();
		assertThat(b.repository.findById(kept).<String>getAttribute("user")).isEqualTo("alice");
		assertThat(b.repository.findById(kept).<Integer>getAttribute("counter")).isNull();
	}

	private static SessionDelta forged(Member sender, String id, ChangeStamp stamp, Instant accessed) {
		return new SessionDelta(id, null, Instant.now(), Duration.ofMinutes(30), ChangeStamp.INITIAL, accessed,
				sender.name,
				List.of(new AttributeChange("counter", stamp, sender.serializer.serialize("counter", 666))));
	}

	@Test
	void asyncDeliveryReachesTheOtherMembers() {
		Member a = this.cluster.start("node-1", DeliveryMode.ASYNC);
		Member b = this.cluster.start("node-2", DeliveryMode.ASYNC);
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			ids.add(a.createSession("counter", i).getId());
		}

		await().atMost(Duration.ofSeconds(10)).until(() -> b.store.size() == 100);
		assertThat(b.repository.findById(ids.get(99)).<Integer>getAttribute("counter")).isEqualTo(99);
		assertThat(a.statistics.getPayloadsSent()).isLessThanOrEqualTo(100);
	}

	@Test
	void asyncChangesStillQueuedWhenAMemberLeavesAreSentBeforeItLeaves() {
		Member a = this.cluster.start("node-1", DeliveryMode.ASYNC);
		Member b = this.cluster.start("node-2", DeliveryMode.ASYNC);
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < 2000; i++) {
			ids.add(a.createSession("counter", i).getId());
		}

		a.leave();

		assertThat(b.store.size()).isEqualTo(2000);
		assertThat(b.repository.findById(ids.get(1999)).<Integer>getAttribute("counter")).isEqualTo(1999);
	}

	@Test
	void concurrentSavesShareTheirPayloadsAndEachIsOnTheOtherMemberWhenItReturns() throws Exception {
		Member a = this.cluster.start("node-1");
		Member b = this.cluster.start("node-2", DeliveryMode.SYNC,
				(receiver) -> new SlowReceiver(receiver, Duration.ofMillis(50)));
		int writers = 8;
		int saves = 10;
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < writers; i++) {
			ids.add(a.createSession("counter", 0).getId());
		}
		long payloadsBefore = a.statistics.getPayloadsSent();
		runTogether(ids.stream().map((id) -> (Runnable) () -> {
			for (int i = 1; i <= saves; i++) {
				int counter = i;
				a.update(id, (session) -> session.setAttribute("counter", counter));
				assertThat(b.repository.findById(id).<Integer>getAttribute("counter"))
					.as("on node-2 once the save returned")
					.isEqualTo(counter);
			}
		}).toList());

		assertThat(a.statistics.getPayloadsSent() - payloadsBefore).as("payloads for %d saves", writers * saves)
			.isLessThan(writers * saves / 2);
	}

	@Test
	void aChangeThatCannotBeEncodedFailsItsOwnSaveOnlyWhileOthersShareAPayload() throws Exception {
		Member a = this.cluster.start("node-1");
		Member b = this.cluster.start("node-2", DeliveryMode.SYNC,
				(receiver) -> new SlowReceiver(receiver, Duration.ofMillis(300)));
		List<String> ids = List.of(a.createSession("counter", 0).getId(), a.createSession("counter", 0).getId(),
				a.createSession("counter", 0).getId());
		String unencodable = "x".repeat(70_000);
		List<Throwable> failures = new java.util.concurrent.CopyOnWriteArrayList<>();

		runTogether(List.of(() -> a.update(ids.get(0), (session) -> session.setAttribute("counter", 1)), () -> {
			try {
				a.update(ids.get(1), (session) -> session.setAttribute(unencodable, 1));
			}
			catch (RuntimeException ex) {
				failures.add(ex);
			}
		}, () -> a.update(ids.get(2), (session) -> session.setAttribute("counter", 1))));

		assertThat(failures).hasSize(1);
		assertThat(failures.get(0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000 bytes");
		assertThat(b.repository.findById(ids.get(0)).<Integer>getAttribute("counter")).isOne();
		assertThat(b.repository.findById(ids.get(2)).<Integer>getAttribute("counter")).isOne();
	}

	@Test
	void memberThatDoesNotAcknowledgeInTimeDoesNotFailTheSave() {
		Member a = this.cluster.start("node-1");
		Member slow = this.cluster.start("node-2", DeliveryMode.SYNC,
				(receiver) -> new SlowReceiver(receiver, TestCluster.ACK_TIMEOUT.plusMillis(500)));

		long timeoutsBefore = a.statistics.getAckTimeouts();
		long missingBefore = a.statistics.getChangesMissing();
		long appliedBefore = a.statistics.getChangesApplied();

		String id = a.createSession("user", "alice").getId();

		assertThat(a.statistics.getAckTimeouts()).isEqualTo(timeoutsBefore + 1);
		assertThat(a.statistics.getChangesMissing()).as("counted as missing").isEqualTo(missingBefore + 1);
		assertThat(a.statistics.getChangesApplied()).as("not counted as applied").isEqualTo(appliedBefore);
		await().atMost(Duration.ofSeconds(10)).until(() -> slow.repository.findById(id) != null);
	}

	@Test
	void saveThatAMemberDoesNotAcknowledgeInTimeFailsWhenSoSetAndStandsWhereItWasApplied() {
		Member a = this.cluster.start("node-1");
		Member slow = this.cluster.start("node-2", DeliveryMode.SYNC,
				(receiver) -> new SlowReceiver(receiver, TestCluster.ACK_TIMEOUT.plusMillis(500)));
		a.repository.setMissingCopyPolicy(MissingCopyPolicy.FAIL);
		ReplicatedSession session = a.repository.createSession();
		session.setAttribute("user", "alice");

		assertThatExceptionOfType(SessionReplicationException.class).isThrownBy(() -> a.repository.save(session))
			.withMessageContaining("missing [node-2]")
			.withMessageContaining("session.replication.sync.on-missing-copy=fail")
			.withMessageNotContaining(session.getId())
			.satisfies((ex) -> assertThat(ex.getMissing()).containsExactly("node-2"));
		assertThat(a.repository.findById(session.getId()).<String>getAttribute("user")).isEqualTo("alice");
		await().atMost(Duration.ofSeconds(10)).until(() -> slow.repository.findById(session.getId()) != null);
	}

	@Test
	void changeRejectedByAMemberFailsTheSaveWhenSoSetButOneOfASessionRemovedThereDoesNot() {
		Member a = this.cluster.start("node-1");
		Member b = this.cluster.start("node-2");
		String id = a.createSession("counter", 1).getId();
		a.repository.setMissingCopyPolicy(MissingCopyPolicy.FAIL);

		DeliveryOutcome forged = a.replicator
			.replicate(forged(a, id, new ChangeStamp(Long.MAX_VALUE, a.name), Instant.now()));
		assertThat(forged.rejected()).containsOnlyKeys(b.name);
		assertThat(forged.rejected().get(b.name)).startsWith("invalid: version " + Long.MAX_VALUE);
		assertThat(forged.isComplete()).isFalse();

		// node-2 ends the session without telling node-1: node-1's next change is moot
		// there
		b.store.remove(id, SessionRemoval.Reason.INVALIDATED, false);
		long rejectedBefore = a.statistics.getChangesRejected();
		a.update(id, (session) -> session.setAttribute("counter", 2));
		assertThat(a.statistics.getChangesRejected()).isEqualTo(rejectedBefore + 1);
		assertThat(b.repository.findById(id)).isNull();
	}

	/**
	 * Create a session with a timeout of its own and the given attributes, and save it,
	 * as one request would.
	 * @return the session id
	 */
	private static String createWithTimeout(Member member, Duration timeout, Object... namesAndValues) {
		ReplicatedSession session = member.repository.createSession();
		session.setMaxInactiveInterval(timeout);
		for (int i = 0; i < namesAndValues.length; i += 2) {
			session.setAttribute((String) namesAndValues[i], namesAndValues[i + 1]);
		}
		member.repository.save(session);
		return session.getId();
	}

	/**
	 * Run tasks on threads of their own, all released at once, and wait until all are
	 * done; the first failure fails the caller.
	 */
	private static void runTogether(List<Runnable> tasks) throws Exception {
		CountDownLatch start = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(tasks.size());
		try {
			List<Future<?>> running = new ArrayList<>();
			for (Runnable task : tasks) {
				running.add(executor.submit(() -> {
					start.await();
					task.run();
					return null;
				}));
			}
			start.countDown();
			for (Future<?> done : running) {
				done.get(60, TimeUnit.SECONDS);
			}
		}
		finally {
			executor.shutdownNow();
		}
	}

	private static Map<String, Object> attributes(Member member, String id) {
		ReplicatedSession session = member.repository.findById(id);
		Map<String, Object> attributes = new TreeMap<>();
		session.getAttributeNames().forEach((name) -> attributes.put(name, session.getAttribute(name)));
		return attributes;
	}

	record Greeting(String text) implements Serializable {
	}

	/** A member's application class loader that lacks one class. */
	static final class HidingClassLoader extends ClassLoader {

		private final String hidden;

		HidingClassLoader(Class<?> hidden) {
			super(HidingClassLoader.class.getClassLoader());
			this.hidden = hidden.getName();
		}

		@Override
		protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
			if (name.equals(this.hidden)) {
				throw new ClassNotFoundException(name);
			}
			return super.loadClass(name, resolve);
		}

	}

	/**
	 * A member whose replicator learns of a merged view a second late, while it keeps
	 * receiving: views reach it in order, on a thread of their own, so that the transport
	 * is not held up.
	 */
	static final class LateMergeReceiver extends ForwardingReceiver {

		private static final Duration DELAY = Duration.ofSeconds(1);

		private final Executor views = Executors.newSingleThreadExecutor((task) -> {
			Thread thread = new Thread(task, "late-merge-views");
			thread.setDaemon(true);
			return thread;
		});

		LateMergeReceiver(ClusterReceiver delegate) {
			super(delegate);
		}

		@Override
		public void viewChanged(List<String> members, boolean merge) {
			this.views.execute(() -> {
				if (merge) {
					await().pollDelay(DELAY).atMost(DELAY.multipliedBy(2)).until(() -> true);
				}
				super.viewChanged(members, merge);
			});
		}

	}

	/** A member that takes a while to apply each payload. */
	static final class SlowReceiver extends ForwardingReceiver {

		private final Duration delay;

		SlowReceiver(ClusterReceiver delegate, Duration delay) {
			super(delegate);
			this.delay = delay;
		}

		@Override
		public CompletionStage<byte[]> receive(byte[] payload, String sender) {
			await().pollDelay(this.delay).atMost(this.delay.multipliedBy(2)).until(() -> true);
			return super.receive(payload, sender);
		}

	}

}
