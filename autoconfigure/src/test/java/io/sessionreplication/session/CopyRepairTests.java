package io.sessionreplication.session;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

import io.sessionreplication.cluster.ClusterReceiver;
import io.sessionreplication.replication.DeliveryMode;
import io.sessionreplication.replication.ReplicationMode;
import io.sessionreplication.testcluster.TestCluster;
import io.sessionreplication.testcluster.TestCluster.Member;
import io.sessionreplication.wire.ClusterMessage;
import io.sessionreplication.wire.ClusterMessageCodec;
import io.sessionreplication.wire.MessageKind;
import io.sessionreplication.wire.SessionDelta;
import io.sessionreplication.wire.SessionRemoval;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The repair of copies that differ between members, with real members in both modes: a
 * member whose receiver drops one payload holds the current copy again within two repair
 * intervals, with no request and no view change; a member that did not acknowledge a
 * change is repaired at once; and copies that are equal are not sent.
 */
class CopyRepairTests {

	private static final Duration INTERVAL = Duration.ofSeconds(2);

	private TestCluster cluster;

	@AfterEach
	void closeCluster() {
		this.cluster.close();
	}

	@ParameterizedTest
	@EnumSource(ReplicationMode.class)
	void memberThatMissedAChangeHoldsTheCurrentCopyWithinTwoIntervals(ReplicationMode mode) {
		Scene scene = scene(mode, INTERVAL);
		scene.dropper.dropNext(changeOf(scene.id));
		scene.a.update(scene.id, (session) -> session.setAttribute("counter", 2));
		assertThat(scene.dropper.dropped).isTrue();
		assertThat(fingerprint(scene.c, scene.id)).isNotEqualTo(fingerprint(scene.a, scene.id));

		await().atMost(INTERVAL.multipliedBy(2))
			.until(() -> fingerprint(scene.c, scene.id).equals(fingerprint(scene.a, scene.id)));

		assertThat(scene.c.transport.viewId()).isEqualTo(scene.viewId);
		assertThat(scene.c.repository.findById(scene.id).<Integer>getAttribute("counter")).isEqualTo(2);
		assertThat(scene.a.statistics.getSessionsRepaired() + scene.b.statistics.getSessionsRepaired()).isPositive();
	}

	@ParameterizedTest
	@EnumSource(ReplicationMode.class)
	void memberThatMissedARemovalDropsTheSessionWithinTwoIntervals(ReplicationMode mode) {
		Scene scene = scene(mode, INTERVAL);
		scene.dropper.dropNext(removalOf(scene.id));
		scene.a.repository.deleteById(scene.id);
		assertThat(scene.dropper.dropped).isTrue();
		assertThat(scene.c.store.holdsWhole(scene.id)).isTrue();

		await().atMost(INTERVAL.multipliedBy(2)).until(() -> scene.c.store.coverage(scene.id) == null);

		assertThat(scene.c.store.remembersRemoval(scene.id)).isTrue();
		assertThat(scene.c.transport.viewId()).isEqualTo(scene.viewId);
		assertThat(scene.a.statistics.getRemovalsRepaired() + scene.b.statistics.getRemovalsRepaired()).isPositive();
	}

	@ParameterizedTest
	@EnumSource(ReplicationMode.class)
	void memberThatMissedAChangeIsRepairedAtOnceWhenAskedWithoutRounds(ReplicationMode mode) {
		Scene scene = scene(mode, Duration.ZERO);
		scene.dropper.dropNext(changeOf(scene.id));
		scene.a.update(scene.id, (session) -> session.setAttribute("counter", 2));
		assertThat(scene.dropper.dropped).isTrue();

		scene.a.replicator.repairSoon(List.of(scene.id), scene.c.name);

		await().atMost(TestCluster.ACK_TIMEOUT)
			.until(() -> fingerprint(scene.c, scene.id).equals(fingerprint(scene.a, scene.id)));
		assertThat(scene.a.statistics.getRepairRounds()).isZero();
		await().atMost(TestCluster.ACK_TIMEOUT)
			.until(() -> scene.a.statistics.getCopiesBehind() == 0 && scene.c.statistics.getCopiesBehind() == 0);
	}

	@ParameterizedTest
	@EnumSource(ReplicationMode.class)
	void memberThatDoesNotAcknowledgeAChangeIsRepairedAtOnceWithoutRounds(ReplicationMode mode) {
		Scene scene = scene(mode, Duration.ZERO);
		scene.dropper.dropNextUnanswered(changeOf(scene.id));
		scene.a.update(scene.id, (session) -> session.setAttribute("counter", 2));
		assertThat(scene.dropper.dropped).isTrue();
		assertThat(scene.a.statistics.getChangesMissing()).isEqualTo(1);

		await().atMost(TestCluster.ACK_TIMEOUT.multipliedBy(2))
			.until(() -> fingerprint(scene.c, scene.id).equals(fingerprint(scene.a, scene.id)));
		assertThat(scene.c.repository.findById(scene.id).<Integer>getAttribute("counter")).isEqualTo(2);
		assertThat(scene.a.statistics.getRepairRounds() + scene.c.statistics.getRepairRounds()).isZero();
	}

	@ParameterizedTest
	@EnumSource(ReplicationMode.class)
	void copiesThatDifferOnlyByAnAccessNotReplicatedYetAreNotSent(ReplicationMode mode) {
		Scene scene = scene(mode, Duration.ofMillis(200));
		for (int i = 0; i < 20; i++) {
			scene.a.createSession("counter", i);
		}
		// a round that ran while a session was on its way may have sent it
		awaitRounds(scene.a, 2);
		List<Member> members = List.of(scene.a, scene.b, scene.c);
		List<Long> sent = members.stream().map(CopyRepairTests::sessionDigestsAndCopiesSent).toList();
		long bucketDigests = scene.a.statistics.getMessagesSent(MessageKind.BUCKET_DIGESTS);

		scene.a.update(scene.id, (session) -> session.getAttribute("counter"));
		awaitRounds(scene.a, 3);

		assertThat(members.stream().map(CopyRepairTests::sessionDigestsAndCopiesSent)).isEqualTo(sent);
		assertThat(scene.a.statistics.getMessagesSent(MessageKind.BUCKET_DIGESTS)).isGreaterThan(bucketDigests);
	}

	/**
	 * Three members, the third of which can drop a payload, and a session of the first
	 * that the third holds a copy of.
	 */
	private Scene scene(ReplicationMode mode, Duration interval) {
		this.cluster = ((mode == ReplicationMode.ALL_TO_ALL) ? new TestCluster(mode) : TestCluster.primaryBackup(1))
			.repairingEvery(interval);
		Member a = this.cluster.start("node-1");
		Member b = this.cluster.start("node-2");
		Dropper dropper = new Dropper();
		Member c = this.cluster.start("node-3", DeliveryMode.SYNC, dropper::around);
		for (int attempt = 0; attempt < 100; attempt++) {
			String id = a.createSession("counter", 1).getId();
			if (c.replicator.owns(id) && a.replicator.owns(id)) {
				return new Scene(a, b, c, dropper, id, c.transport.viewId());
			}
		}
		throw new AssertionError("No session of node-1 held by node-3");
	}

	private static void awaitRounds(Member member, int rounds) {
		long from = member.statistics.getRepairRounds();
		await().atMost(Duration.ofSeconds(10)).until(() -> member.statistics.getRepairRounds() >= from + rounds);
	}

	private static long sessionDigestsAndCopiesSent(Member member) {
		return member.statistics.getMessagesSent(MessageKind.SESSION_DIGESTS) + member.statistics.getSessionsRepaired();
	}

	private static String fingerprint(Member member, String id) {
		return String.valueOf(member.replicator.reportCopy(id).fingerprint());
	}

	private static Predicate<ClusterMessage> changeOf(String id) {
		return (message) -> message instanceof SessionDelta delta && delta.sessionId().equals(id);
	}

	private static Predicate<ClusterMessage> removalOf(String id) {
		return (message) -> message instanceof SessionRemoval removal && removal.sessionId().equals(id);
	}

	private record Scene(Member a, Member b, Member c, Dropper dropper, String id, String viewId) {
	}

	/**
	 * Drops the next payload a member receives that holds a message of interest, and
	 * acknowledges it as if applied (a change lost on its way, with no timeout to tell),
	 * or never answers it.
	 */
	static final class Dropper {

		private volatile Predicate<ClusterMessage> next;

		private volatile boolean answer;

		volatile boolean dropped;

		void dropNext(Predicate<ClusterMessage> which) {
			drop(which, true);
		}

		/** As {@link #dropNext}, but never answered: the sender's wait times out. */
		void dropNextUnanswered(Predicate<ClusterMessage> which) {
			drop(which, false);
		}

		private void drop(Predicate<ClusterMessage> which, boolean answer) {
			this.dropped = false;
			this.answer = answer;
			this.next = which;
		}

		ClusterReceiver around(ClusterReceiver receiver) {
			return new ForwardingReceiver(receiver) {

				@Override
				public CompletionStage<byte[]> receive(byte[] payload, String sender) {
					Predicate<ClusterMessage> which = Dropper.this.next;
					if (which != null && new ClusterMessageCodec().decode(payload).stream().anyMatch(which)) {
						Dropper.this.next = null;
						Dropper.this.dropped = true;
						return Dropper.this.answer ? CompletableFuture.completedStage(null) : new CompletableFuture<>();
					}
					return super.receive(payload, sender);
				}

			};
		}

	}

}
