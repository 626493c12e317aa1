package io.sessionreplication.session;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

import io.sessionreplication.cluster.ClusterReceiver;
import io.sessionreplication.replication.DeliveryMode;
import io.sessionreplication.replication.PayloadBudget;
import io.sessionreplication.replication.ReplicationMode;
import io.sessionreplication.replication.SessionOwnership;
import io.sessionreplication.testcluster.TestCluster;
import io.sessionreplication.testcluster.TestCluster.Member;
import io.sessionreplication.wire.AttributeChange;
import io.sessionreplication.wire.ChangeStamp;
import io.sessionreplication.wire.ClusterMessage;
import io.sessionreplication.wire.ClusterMessageCodec;
import io.sessionreplication.wire.SenderView;
import io.sessionreplication.wire.SessionDelta;
import io.sessionreplication.wire.SessionRole;
import io.sessionreplication.wire.ShareComplete;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The replication contract in {@link ReplicationMode#PRIMARY_BACKUP}, and what only this
 * mode does: ownership, reads on members that do not own a session, copies restored after
 * a crash, a joining member's share, the hand-over on leaving, and the cost of a write.
 */
class PrimaryBackupReplicationTests extends AbstractReplicationContractTests {

	@Override
	protected ReplicationMode mode() {
		return ReplicationMode.PRIMARY_BACKUP;
	}

	/** A member holds the sessions it owns, and not a copy of the cluster. */
	@Override
	protected void assertHoldsItsShare(Member member, Collection<String> sessionIds) {
		SessionOwnership ownership = new SessionOwnership(member.transport.members(), 1);
		List<String> owned = sessionIds.stream().filter((id) -> ownership.isOwner(id, member.name)).toList();
		assertThat(owned).isNotEmpty().allMatch(member.store::holdsWhole);
		assertThat(member.store.size()).isEqualTo(owned.size()).isLessThan(sessionIds.size());
	}

	@Test
	void everyMemberAgreesOnTheOwnersAcrossJoinsCrashesLeavesAndMerges() {
		try (TestCluster cluster = this.cluster.withNetworkDiscovery()) {
			Member a = cluster.start("node-1");
			Member b = cluster.start("node-2");
			Member c = cluster.start("node-3");
			List<String> ids = createSessions(List.of(a, b, c), 60);
			assertEveryCopyOnItsOwners(cluster, ids);

			Member d = cluster.start("node-4");
			assertEveryCopyOnItsOwners(cluster, ids);

			b.crash();
			cluster.awaitView();
			assertEveryCopyOnItsOwners(cluster, ids);

			c.leave();
			cluster.awaitView();
			assertEveryCopyOnItsOwners(cluster, ids);

			a.isolate();
			await().atMost(Duration.ofSeconds(20)).until(() -> a.transport.members().size() == 1);
			String createdApart = a.createSession("side", "a").getId();
			a.reconnect();
			await().atMost(Duration.ofSeconds(30)).until(() -> d.transport.members().size() == 2);
			List<String> all = new ArrayList<>(ids);
			all.add(createdApart);
			assertEveryCopyOnItsOwners(cluster, all);
		}
	}

	@Test
	void newSessionIsOwnedFirstByTheMemberThatCreatesIt() {
		List<Member> members = start(4);
		for (Member member : members) {
			for (int i = 0; i < 20; i++) {
				String id = member.createSession("counter", i).getId();
				assertThat(ownership(member).owners(id).get(0)).isEqualTo(member.name);
			}
		}
	}

	@Test
	void memberThatDoesNotOwnASessionServesItsLatestState() {
		List<Member> members = start(4);
		String id = members.get(0).createSession("counter", 0).getId();
		List<Member> owners = ownersOf(id, members);
		List<Member> others = nonOwners(id, members);
		List<Member> rotation = List.of(others.get(0), owners.get(0), others.get(1), owners.get(1));

		for (int i = 1; i <= 40; i++) {
			int expected = i;
			rotation.get(i % rotation.size()).update(id, (session) -> {
				assertThat(session.<Integer>getAttribute("counter")).isEqualTo(expected - 1);
				session.setAttribute("counter", expected);
			});
		}

		for (Member member : members) {
			assertThat(member.repository.findById(id).<Integer>getAttribute("counter")).isEqualTo(40);
		}
	}

	@Test
	void invalidationReachesTheCopyOfAMemberThatDoesNotOwnTheSession() {
		GuestCopy copy = guestCopy();
		assertThat(copy.guest.store.size()).isEqualTo(1);

		copy.creator.repository.deleteById(copy.id);

		assertThat(copy.guest.store.size()).isZero();
		assertThat(copy.guest.repository.findById(copy.id)).isNull();
	}

	@Test
	void copyOfAMemberThatDoesNotOwnTheSessionIsReleasedOnceUnchanged() {
		GuestCopy copy = guestCopy();
		Member guest = copy.guest;

		guest.replicator.releaseCopiesNotOwned(Instant.now().minusSeconds(60));
		assertThat(guest.store.size()).as("a copy changed within the last minute is kept").isOne();
		guest.replicator.releaseCopiesNotOwned(Instant.now().plusSeconds(1));

		await().atMost(Duration.ofSeconds(5)).until(() -> guest.store.size() == 0);
		assertThat(copy.creator.store.holdsWhole(copy.id)).isTrue();
		assertThat(guest.repository.findById(copy.id).<Boolean>getAttribute("seen")).isTrue();
	}

	@Test
	void changedSessionIdMovesTheSessionToTheOwnersOfTheNewId() {
		List<Member> members = start(4);
		Member a = members.get(0);
		String oldId = a.createSession("user", "alice").getId();
		String[] newId = new String[1];

		members.get(3).update(oldId, (session) -> newId[0] = session.changeSessionId());

		for (Member owner : ownersOf(newId[0], members)) {
			assertThat(owner.store.holdsWhole(newId[0])).as("new id on its owner " + owner.name).isTrue();
		}
		for (Member member : members) {
			assertThat(member.repository.findById(oldId)).as("old id on " + member.name).isNull();
			assertThat(member.repository.findById(newId[0]).<String>getAttribute("user")).isEqualTo("alice");
		}
	}

	@Test
	void ownerForwardsAChangeRoutedByAnotherViewToTheOwnersOfItsOwn() {
		ForwardScene scene = forwardScene();

		// as if the sender's view had only the primary as an owner of the session
		sendToPrimaryOnly(scene, 2, scene.sameView());
		assertThat(counterOn(scene.backup(), scene.id())).as("same view: no forward").isOne();

		sendToPrimaryOnly(scene, 3, scene.sameView() + 1);
		assertThat(scene.backup().store.wholeCopy(scene.id())).isNotNull();
		assertThat(counterOn(scene.backup(), scene.id())).as("other view: forwarded").isEqualTo(3);
	}

	@Test
	void forwardThatWaitsForASilentOwnerDoesNotHoldUpTheSendersLaterChanges() {
		ForwardScene scene = forwardScene();
		Member primary = scene.primary();
		scene.backup().ignore(primary);
		try {
			CompletableFuture<Set<String>> forwarded = CompletableFuture.supplyAsync(
					() -> sendToPrimaryOnly(scene, 2, scene.sameView() + 1, TestCluster.ACK_TIMEOUT.multipliedBy(3)));
			await().atMost(TestCluster.ACK_TIMEOUT)
				.until(() -> primary.store.wholeCopy(scene.id()) != null && counterOn(primary, scene.id()) == 2);

			assertThat(sendToPrimaryOnly(scene, 3, scene.sameView(), TestCluster.ACK_TIMEOUT))
				.as("the next change is acknowledged while the forward waits")
				.isEmpty();
			assertThat(forwarded).as("the forward to the silent backup still waits").isNotDone();
			assertThat(counterOn(primary, scene.id())).isEqualTo(3);
			assertThat(forwarded.join()).as("acknowledged once the forward gave up on the backup").isEmpty();
			assertThat(primary.statistics.getAckTimeouts()).isOne();
		}
		finally {
			scene.backup().reconnect();
		}
	}

	/**
	 * Four members, a session of the first (its primary), its backup, a member that does
	 * not own it, and that member's view.
	 */
	private ForwardScene forwardScene() {
		List<Member> members = start(4);
		Member primary = members.get(0);
		String id = primary.createSession("counter", 1).getId();
		Member sender = nonOwners(id, members).get(0);
		return new ForwardScene(primary, ownersOf(id, members).get(1), sender, id, ownership(sender).fingerprint());
	}

	private record ForwardScene(Member primary, Member backup, Member sender, String id, long sameView) {
	}

	private static int counterOn(Member member, String id) {
		return member.repository.findById(id).<Integer>getAttribute("counter");
	}

	private static void sendToPrimaryOnly(ForwardScene scene, int counter, long view) {
		assertThat(sendToPrimaryOnly(scene, counter, view, TestCluster.ACK_TIMEOUT)).isEmpty();
	}

	/**
	 * Send the sender's change of the counter to the primary only, as if by {@code view}.
	 */
	private static Set<String> sendToPrimaryOnly(ForwardScene scene, int counter, long view, Duration timeout) {
		Member sender = scene.sender();
		// a later write than the session's, and the higher counter the later
		long version = (System.currentTimeMillis() << ChangeStamp.LOGICAL_BITS) + counter;
		SessionDelta change = new SessionDelta(scene.id(), null, Instant.EPOCH, Duration.ofMinutes(30),
				ChangeStamp.INITIAL, Instant.EPOCH, sender.name, List.of(new AttributeChange("counter",
						new ChangeStamp(version, sender.name), sender.serializer.serialize("counter", counter))));
		byte[] payload = new ClusterMessageCodec().encode(List.of(new SenderView(view), change));
		return sender.transport.sendAndAwait(payload, List.of(scene.primary().name), timeout).missing();
	}

	@Test
	void memberThatBecomesAnOwnerDoesNotServeTheCopyItKeptWhenItWasNot() {
		Member a = this.cluster.start("node-1");
		HeldBackCopies heldBack = new HeldBackCopies();
		Member b = this.cluster.start("node-2", DeliveryMode.SYNC, heldBack::around);
		Member c = this.cluster.start("node-3");
		List<Member> members = List.of(a, b, c);
		String id = sessionOwnedBy(c, a, members);
		b.update(id, (session) -> session.setAttribute("counter", 1));
		c.update(id, (session) -> session.setAttribute("counter", 2));
		c.update(id, (session) -> session.setAttribute("counter", 3));
		heldBack.from = c.name;

		a.crash();
		this.cluster.awaitView();

		assertThat(ownersOf(id, List.of(b, c))).containsExactlyInAnyOrder(b, c);
		assertThat(heldBack.count).as("the copy c sends b after the crash is held back").isPositive();
		b.update(id, (session) -> {
			assertThat(session.<Integer>getAttribute("counter")).isEqualTo(3);
			session.setAttribute("counter", 4);
		});
		assertThat(c.repository.findById(id).<Integer>getAttribute("counter")).isEqualTo(4);
	}

	/** A session created on {@code primary}, with {@code backup} as its other owner. */
	private static String sessionOwnedBy(Member primary, Member backup, List<Member> members) {
		for (int attempt = 0; attempt < 200; attempt++) {
			String id = primary.createSession("counter", 0).getId();
			if (ownersOf(id, members).contains(backup)) {
				return id;
			}
		}
		throw new AssertionError("No session of " + primary.name + " backed up on " + backup.name);
	}

	/**
	 * Holds back the whole copies a member receives from another after a view change (a
	 * slow rebalance), once {@link #from} is set.
	 */
	static final class HeldBackCopies {

		volatile String from;

		volatile int count;

		ClusterReceiver around(ClusterReceiver receiver) {
			return new ForwardingReceiver(receiver) {

				@Override
				public CompletionStage<byte[]> receive(byte[] payload, String sender) {
					List<ClusterMessage> messages = new ClusterMessageCodec().decode(payload);
					if (sender.equals(HeldBackCopies.this.from) && messages.stream()
						.allMatch((message) -> message instanceof SessionDelta delta && delta.coverage().isWhole())) {
						HeldBackCopies.this.count++;
						return CompletableFuture.completedStage(null);
					}
					return super.receive(payload, sender);
				}

			};
		}

	}

	@Test
	void crashRestoresEveryCopyWithoutARequestSoASecondCrashLosesNothing() {
		Member a = this.cluster.start("node-1");
		Member b = this.cluster.start("node-2");
		Member c = this.cluster.start("node-3");
		Member d = this.cluster.start("node-4");
		Map<String, Integer> counters = new TreeMap<>();
		List<Member> writers = List.of(a, b, c, d);
		for (int i = 0; i < 200; i++) {
			counters.put(writers.get(i % 4).createSession("counter", i).getId(), i);
		}

		a.crash();
		this.cluster.awaitView();
		assertEveryCopyOnItsOwners(this.cluster, counters.keySet());
		b.crash();
		this.cluster.awaitView();

		counters.forEach((id, counter) -> {
			assertThat(c.repository.findById(id).<Integer>getAttribute("counter")).as(id).isEqualTo(counter);
			assertThat(d.repository.findById(id).<Integer>getAttribute("counter")).as(id).isEqualTo(counter);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "REPAIR", "FAIL" })
	void aChangeTheBackupAcknowledgesTooLateSurvivesTheCrashOfThePrimary(MissingCopyPolicy policy) {
		AtomicReference<Duration> backupDelay = new AtomicReference<>(Duration.ZERO);
		Member a = this.cluster.start("node-1");
		Member b = this.cluster.start("node-2", DeliveryMode.SYNC, (receiver) -> new ForwardingReceiver(receiver) {

			@Override
			public CompletionStage<byte[]> receive(byte[] payload, String sender) {
				Duration delay = backupDelay.get();
				await().pollDelay(delay).atMost(delay.plusSeconds(1)).until(() -> true);
				return super.receive(payload, sender);
			}

		});
		a.repository.setMissingCopyPolicy(policy);
		String id = sessionWithPrimary(a);
		long missingBefore = a.statistics.getChangesMissing();

		backupDelay.set(TestCluster.ACK_TIMEOUT.plusMillis(500));
		Runnable save = () -> a.update(id, (session) -> session.setAttribute("counter", 2));
		if (policy == MissingCopyPolicy.FAIL) {
			assertThatExceptionOfType(SessionReplicationException.class).isThrownBy(save::run)
				.satisfies((ex) -> assertThat(ex.getMissing()).containsExactly(b.name));
		}
		else {
			save.run();
		}
		assertThat(a.statistics.getChangesMissing()).as("counted as missing").isEqualTo(missingBefore + 1);
		a.crash();
		backupDelay.set(Duration.ZERO);

		await().atMost(Duration.ofSeconds(20)).until(() -> b.transport.members().equals(List.of(b.name)));
		await().atMost(Duration.ofSeconds(10))
			.untilAsserted(() -> assertThat(b.repository.findById(id).<Integer>getAttribute("counter")).isEqualTo(2));
	}

	/** A new session, on {@code member}, of which {@code member} is the primary. */
	private static String sessionWithPrimary(Member member) {
		for (int i = 0; i < 100; i++) {
			String id = member.createSession("counter", 1).getId();
			if (member.replicator.roleOf(id) == SessionRole.PRIMARY) {
				return id;
			}
		}
		throw new IllegalStateException("No session of which " + member.name + " is the primary in 100");
	}

	@Test
	void joiningMemberReceivesItsShareInBatches() {
		Member a = this.cluster.start("node-1");
		Member b = this.cluster.start("node-2");
		Member c = this.cluster.start("node-3");
		List<String> ids = createSessions(List.of(a, b, c), 3000);
		List<Member> senders = List.of(a, b, c);
		senders.forEach((sender) -> sender.transport.clear());

		Member d = this.cluster.start("node-4");

		assertThat(d.sessionsArrived).isTrue();
		assertHoldsItsShare(d, ids);
		int sessionsSent = 0;
		for (Member sender : senders) {
			List<List<ClusterMessage>> payloads = sender.transport.payloadsTo("node-4");
			assertThat(payloads).as("from " + sender.name)
				.allMatch((batch) -> batch.size() <= PayloadBudget.MAX_MESSAGES);
			assertThat(payloads.get(payloads.size() - 1)).as("last from " + sender.name)
				.containsExactly(new ShareComplete());
			List<List<ClusterMessage>> batches = payloads.subList(0, payloads.size() - 1);
			assertThat(batches).as("batches from " + sender.name).hasSizeGreaterThan(1);
			sessionsSent += batches.stream().mapToInt(List::size).sum();
		}
		assertThat(sessionsSent).as("each session sent once, by one former owner").isEqualTo(d.store.size());
	}

	@Test
	void leavingMemberHandsItsSessionsOverBeforeItLeaves() {
		Member a = this.cluster.start("node-1");
		Member b = this.cluster.start("node-2");
		HeldBackCopies heldBack = new HeldBackCopies();
		Member c = this.cluster.start("node-3", DeliveryMode.SYNC, heldBack::around);
		Map<String, Integer> counters = new TreeMap<>();
		for (int i = 0; i < 100; i++) {
			counters.put(a.createSession("counter", i).getId(), i);
		}
		// only a's hand-over can bring c the sessions that a and b own: what b would
		// send c once a is gone is held back, and b crashes right after
		heldBack.from = b.name;

		a.leave();
		b.crash();
		this.cluster.awaitView();

		counters.forEach((id, counter) -> assertThat(c.repository.findById(id).<Integer>getAttribute("counter")).as(id)
			.isEqualTo(counter));
	}

	@ParameterizedTest(name = "{0} members")
	@ValueSource(ints = { 2, 4, 8 })
	void oneWriteCostsTheSameWhateverTheClusterSize(int size) {
		try (TestCluster cluster = TestCluster.primaryBackup(1)) {
			List<Member> members = new ArrayList<>();
			for (int i = 1; i <= size; i++) {
				members.add(cluster.start("node-" + i));
			}
			Member primary = members.get(0);
			String id = primary.createSession("counter", 0, "profile", new byte[2048]).getId();
			members.forEach((member) -> member.transport.clear());

			primary.update(id, (session) -> session.setAttribute("counter", 1));

			List<Member> senders = members.stream().filter((member) -> member.transport.deliveries() > 0).toList();
			assertThat(senders).containsExactly(primary);
			assertThat(primary.transport.recipients()).as("one payload, to the one backup")
				.singleElement()
				.satisfies((to) -> assertThat(to).hasSize(1));
		}
	}

	/**
	 * Start three members, create a session on the first, and change it on a member that
	 * does not own it, which keeps a copy.
	 */
	private GuestCopy guestCopy() {
		List<Member> members = start(3);
		Member creator = members.get(0);
		String id = creator.createSession("user", "alice").getId();
		Member guest = nonOwners(id, members).get(0);
		guest.update(id, (session) -> session.setAttribute("seen", true));
		return new GuestCopy(creator, guest, id);
	}

	private record GuestCopy(Member creator, Member guest, String id) {
	}

	private List<Member> start(int count) {
		List<Member> members = new ArrayList<>();
		for (int i = 1; i <= count; i++) {
			members.add(this.cluster.start("node-" + i));
		}
		return members;
	}

	private static List<String> createSessions(List<Member> writers, int count) {
		List<String> ids = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ids.add(writers.get(i % writers.size()).createSession("counter", i).getId());
		}
		return ids;
	}

	/**
	 * Wait until every running member computes the same owners for each session, and each
	 * owner holds a whole copy of it.
	 */
	private static void assertEveryCopyOnItsOwners(TestCluster cluster, Collection<String> ids) {
		await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
			List<Member> running = cluster.running();
			for (String id : ids) {
				List<String> owners = ownership(running.get(0)).owners(id);
				assertThat(owners).hasSize(Math.min(2, running.size()));
				for (Member member : running) {
					assertThat(ownership(member).owners(id)).as("owners of %s on %s", id, member.name)
						.isEqualTo(owners);
					if (owners.contains(member.name)) {
						assertThat(member.store.holdsWhole(id)).as("%s on its owner %s", id, member.name).isTrue();
					}
				}
			}
		});
	}

	private static SessionOwnership ownership(Member member) {
		return new SessionOwnership(member.transport.members(), 1);
	}

	private static List<Member> ownersOf(String id, List<Member> members) {
		List<String> owners = ownership(members.get(0)).owners(id);
		return members.stream().filter((member) -> owners.contains(member.name)).toList();
	}

	private static List<Member> nonOwners(String id, List<Member> members) {
		List<Member> owners = ownersOf(id, members);
		return members.stream().filter((member) -> !owners.contains(member)).toList();
	}

}
