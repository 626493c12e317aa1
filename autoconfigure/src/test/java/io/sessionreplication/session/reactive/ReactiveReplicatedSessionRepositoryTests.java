package io.sessionreplication.session.reactive;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;

import io.sessionreplication.replication.DeliveryMode;
import io.sessionreplication.replication.ReplicationMode;
import io.sessionreplication.session.MissingCopyPolicy;
import io.sessionreplication.session.ReplicatedSessionRepository.ReplicatedSession;
import io.sessionreplication.session.SessionLimitExceededException;
import io.sessionreplication.session.SessionReplicationException;
import io.sessionreplication.testcluster.TestClock;
import io.sessionreplication.testcluster.TestCluster;
import io.sessionreplication.testcluster.TestCluster.Member;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import reactor.core.publisher.Mono;

import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.FlushMode;
import org.springframework.session.SaveMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ReactiveReplicatedSessionRepository}, with several real members in one
 * JVM, in both modes and in sync delivery.
 */
class ReactiveReplicatedSessionRepositoryTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final HeldPayloads held = new HeldPayloads();

	private final List<ReactiveReplicatedSessionRepository> repositories = new ArrayList<>();

	private TestCluster cluster;

	@AfterEach
	void stop() {
		this.held.release();
		this.repositories.forEach(ReactiveReplicatedSessionRepository::close);
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@ParameterizedTest
	@EnumSource(ReplicationMode.class)
	void alternatingMembersReadEachOthersSavesAndNeverAStaleValue(ReplicationMode mode) {
		List<ReactiveReplicatedSessionRepository> members = start(mode, 3).stream().map(this::reactive).toList();
		ReplicatedSession created = members.get(0).createSession().block(TIMEOUT);
		created.setAttribute("counter", 0);
		members.get(0).save(created).block(TIMEOUT);
		String id = created.getId();

		for (int i = 1; i <= 9; i++) {
			ReactiveReplicatedSessionRepository member = members.get(i % 3);
			ReplicatedSession session = member.findById(id).block(TIMEOUT);
			assertThat(session.<Integer>getAttribute("counter")).isEqualTo(i - 1);
			session.setAttribute("counter", i);
			member.save(session).block(TIMEOUT);
		}

		assertThat(members).allSatisfy((member) -> assertThat(
				member.findById(id).map((session) -> session.<Integer>getAttribute("counter")).block(TIMEOUT))
			.isEqualTo(9));
		if (mode == ReplicationMode.PRIMARY_BACKUP) {
			assertThat(this.cluster.running()).as("members that read the session from its owners")
				.filteredOn((member) -> !member.replicator.owns(id))
				.hasSize(1);
		}
	}

	@ParameterizedTest
	@EnumSource(ReplicationMode.class)
	void syncSaveOnAnEventLoopReturnsAtOnceAndCompletesOnceTheOtherCopyAppliedIt(ReplicationMode mode)
			throws Exception {
		this.cluster = cluster(mode).awaitingAcksFor(Duration.ofSeconds(30));
		Member a = this.cluster.start("node-1");
		Member b = this.cluster.start("node-2", DeliveryMode.SYNC, this.held::wrap);
		ReactiveReplicatedSessionRepository repository = reactive(a);
		ReplicatedSession session = repository.createSession().block(TIMEOUT);
		session.setAttribute("user", "alice");
		this.held.hold();

		EventLoopSubscriber save = EventLoopSubscriber.subscribe(repository.save(session));

		assertThat(save.subscribedOnNonBlockingThread()).isTrue();
		assertThat(save.subscribeTook()).isLessThan(Duration.ofSeconds(1));
		await().atMost(TIMEOUT).until(this.held::holding);
		await().during(Duration.ofMillis(500))
			.atMost(Duration.ofSeconds(5))
			.until(() -> !save.hasEnded() && b.store.find(session.getId()) == null);
		this.held.release();
		save.awaitEnd();
		assertThat(save.error()).isNull();
		assertThat(save.endedOnNonBlockingThread()).isTrue();
		assertThat(b.store.find(session.getId())).as("node-2's copy when the save completed").isNotNull();
		assertThat(a.statistics.getChangesApplied()).isPositive();
		assertThat(a.statistics.getChangesMissing()).isZero();
	}

	@Test
	void theEnginesCallsRunOnTheRepositorysThreadsNeverOnTheSubscribers() throws Exception {
		Member a = start(ReplicationMode.ALL_TO_ALL, 1).get(0);
		List<String> threads = new CopyOnWriteArrayList<>();
		a.repository.setIndexResolver((session) -> {
			threads.add(Thread.currentThread().getName());
			return Map.of();
		});
		ReactiveReplicatedSessionRepository repository = reactive(a);
		ReplicatedSession session = repository.createSession().block(TIMEOUT);
		session.setAttribute("user", "alice");

		assertThat(EventLoopSubscriber.subscribe(repository.save(session)).awaitEnd().error()).isNull();

		assertThat(threads).containsExactly("session-replication-reactive");
	}

	@Test
	void saveThatAMemberDoesNotAcknowledgeFailsWithTheEnginesExceptionWhenSoSet() throws Exception {
		this.cluster = cluster(ReplicationMode.ALL_TO_ALL);
		Member a = this.cluster.start("node-1");
		this.cluster.start("node-2", DeliveryMode.SYNC, this.held::wrap);
		a.repository.setMissingCopyPolicy(MissingCopyPolicy.FAIL);
		ReactiveReplicatedSessionRepository repository = reactive(a);
		ReplicatedSession session = repository.createSession().block(TIMEOUT);
		session.setAttribute("user", "alice");
		this.held.hold();

		EventLoopSubscriber save = EventLoopSubscriber.subscribe(repository.save(session)).awaitEnd();

		assertThat(save.error()).isInstanceOf(SessionReplicationException.class)
			.hasMessageContaining("missing [node-2]")
			.hasMessageContaining("session.replication.sync.on-missing-copy=fail");
	}

	@Test
	void valueChangedInPlaceThatNoLongerSerializesFailsTheSaveWithTheEnginesException() {
		Member a = start(ReplicationMode.ALL_TO_ALL, 2).get(0);
		a.repository.setSaveMode(SaveMode.ON_GET_ATTRIBUTE);
		ReactiveReplicatedSessionRepository repository = reactive(a);
		ReplicatedSession session = repository.createSession().block(TIMEOUT);
		session.setAttribute("cart", new ArrayList<Object>(List.of("book")));
		repository.save(session).block(TIMEOUT);

		ReplicatedSession read = repository.findById(session.getId()).block(TIMEOUT);
		read.<List<Object>>getAttribute("cart").add(new Object());

		assertThatIllegalArgumentException().isThrownBy(() -> repository.save(read).block(TIMEOUT))
			.withMessageStartingWith("Session attribute 'cart' changed in place");
	}

	@Test
	void sessionBeyondTheLimitFailsWhenSubscribedToNotBefore() {
		Member a = start(ReplicationMode.ALL_TO_ALL, 1).get(0);
		a.repository.setMaxSessions(1);
		ReactiveReplicatedSessionRepository repository = reactive(a);
		repository.save(repository.createSession().block(TIMEOUT)).block(TIMEOUT);

		// Spring's DefaultWebSessionManager asks for a new session before it knows it
		// needs one
		Mono<ReplicatedSession> beyond = repository.createSession();

		assertThatExceptionOfType(SessionLimitExceededException.class).isThrownBy(() -> beyond.block(TIMEOUT))
			.withMessageContaining("session.replication.max-sessions");
	}

	@ParameterizedTest
	@EnumSource(ReplicationMode.class)
	void idChangesAndInvalidationsReachEveryMember(ReplicationMode mode) {
		List<ReactiveReplicatedSessionRepository> members = start(mode, 3).stream().map(this::reactive).toList();
		ReplicatedSession created = members.get(0).createSession().block(TIMEOUT);
		created.setAttribute("user", "alice");
		members.get(0).save(created).block(TIMEOUT);
		String oldId = created.getId();

		ReplicatedSession renamed = members.get(1).findById(oldId).block(TIMEOUT);
		String newId = renamed.changeSessionId();
		members.get(1).save(renamed).block(TIMEOUT);

		assertThat(members).allSatisfy((member) -> {
			assertThat(member.findById(oldId).block(TIMEOUT)).isNull();
			assertThat(member.findById(newId).map((session) -> session.<String>getAttribute("user")).block(TIMEOUT))
				.isEqualTo("alice");
		});

		members.get(2).deleteById(newId).block(TIMEOUT);

		assertThat(members).allSatisfy((member) -> assertThat(member.findById(newId).block(TIMEOUT)).isNull());
		assertThat(this.cluster.running()).allSatisfy((member) -> assertThat(member.store.find(newId)).isNull());
	}

	@Test
	void unknownAndExpiredSessionsAreNotFound() {
		this.cluster = cluster(ReplicationMode.ALL_TO_ALL);
		TestClock clock = new TestClock();
		ReactiveReplicatedSessionRepository repository = reactive(this.cluster.start("node-1", clock));
		ReplicatedSession session = repository.createSession().block(TIMEOUT);
		session.setMaxInactiveInterval(Duration.ofMinutes(1));
		repository.save(session).block(TIMEOUT);

		assertThat(repository.findById("unknown").hasElement().block(TIMEOUT)).isFalse();
		assertThat(repository.findById("").hasElement().block(TIMEOUT)).isFalse();
		assertThat(repository.findById(session.getId()).hasElement().block(TIMEOUT)).isTrue();
		clock.advance(Duration.ofMinutes(2));
		assertThat(repository.findById(session.getId()).hasElement().block(TIMEOUT)).isFalse();
	}

	@Test
	void sessionsAreFoundByPrincipalNameOnAnotherMemberUnderEitherNameOfTheIndex() {
		List<Member> members = start(ReplicationMode.ALL_TO_ALL, 2);
		ReactiveReplicatedSessionRepository first = reactive(members.get(0));
		ReplicatedSession session = first.createSession().block(TIMEOUT);
		session.setAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, "alice");
		first.save(session).block(TIMEOUT);

		ReactiveReplicatedSessionRepository second = reactive(members.get(1));
		assertThat(second.findByPrincipalName("alice").block(TIMEOUT)).containsOnlyKeys(session.getId());
		assertThat(
				second.findByIndexNameAndIndexValue(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, "alice")
					.block(TIMEOUT))
			.containsOnlyKeys(session.getId());
		assertThat(second.findByPrincipalName("bob").block(TIMEOUT)).isEmpty();
	}

	@Test
	void callBeyondTheThreadsAndTheQueueFailsAtOnceNamingTheSettings() throws Exception {
		OneThreadBusy busy = oneThreadBusy(1, 3);
		ReactiveReplicatedSessionRepository repository = busy.repository();

		EventLoopSubscriber waiting = EventLoopSubscriber.subscribe(repository.save(busy.sessions().get(1)));
		EventLoopSubscriber refused = EventLoopSubscriber.subscribe(repository.save(busy.sessions().get(2)));

		assertThat(refused.awaitEnd().error()).isInstanceOf(RejectedExecutionException.class)
			.hasMessageContaining("session.replication.reactive.max-threads")
			.hasMessageContaining("session.replication.reactive.queue-capacity");
		assertThat(refused.subscribeTook()).isLessThan(Duration.ofSeconds(1));
		assertThat(busy.running().hasEnded()).isFalse();
		assertThat(waiting.hasEnded()).isFalse();
		this.held.release();
		assertThat(busy.running().awaitEnd().error()).isNull();
		assertThat(waiting.awaitEnd().error()).isNull();
		assertThat(busy.received(0)).isTrue();
		assertThat(busy.received(1)).isTrue();
		assertThat(busy.received(2)).isFalse();
	}

	@Test
	void closeFailsTheCallsWaitingForAThreadAndEveryLaterOneButLetsTheRunningOneEnd() throws Exception {
		OneThreadBusy busy = oneThreadBusy(10, 2);
		ReactiveReplicatedSessionRepository repository = busy.repository();
		EventLoopSubscriber waiting = EventLoopSubscriber.subscribe(repository.save(busy.sessions().get(1)));

		repository.close();

		assertThat(waiting.awaitEnd().error()).isInstanceOf(RejectedExecutionException.class)
			.hasMessageContaining("closed");
		assertThatExceptionOfType(RejectedExecutionException.class)
			.isThrownBy(() -> repository.findById(busy.sessions().get(0).getId()).block(TIMEOUT))
			.withMessageContaining("closed");
		assertThat(busy.running().hasEnded()).isFalse();
		this.held.release();
		assertThat(busy.running().awaitEnd().error()).isNull();
		assertThat(busy.received(0)).isTrue();
		assertThat(busy.received(1)).isFalse();
	}

	@Test
	void repositoryThatFlushesImmediatelyIsRefused() {
		Member a = start(ReplicationMode.ALL_TO_ALL, 1).get(0);
		a.repository.setFlushMode(FlushMode.IMMEDIATE);

		assertThatIllegalArgumentException().isThrownBy(() -> new ReactiveReplicatedSessionRepository(a.repository))
			.withMessageContaining("FlushMode.ON_SAVE");
	}

	/**
	 * Start two members, the second holding what it receives, and a reactive repository
	 * on the first with one thread, busy with the save of the first of new sessions,
	 * which waits for the second member.
	 */
	private OneThreadBusy oneThreadBusy(int queueCapacity, int sessionCount) throws InterruptedException {
		this.cluster = cluster(ReplicationMode.ALL_TO_ALL).awaitingAcksFor(Duration.ofSeconds(30));
		Member a = this.cluster.start("node-1");
		Member b = this.cluster.start("node-2", DeliveryMode.SYNC, this.held::wrap);
		ReactiveReplicatedSessionRepository repository = reactive(a, 1, queueCapacity);
		List<ReplicatedSession> sessions = newSessions(repository, sessionCount);
		this.held.hold();
		EventLoopSubscriber running = EventLoopSubscriber.subscribe(repository.save(sessions.get(0)));
		await().atMost(TIMEOUT).until(this.held::holding);
		return new OneThreadBusy(repository, b, sessions, running);
	}

	private List<Member> start(ReplicationMode mode, int members) {
		this.cluster = cluster(mode);
		return this.cluster.start(members);
	}

	private static TestCluster cluster(ReplicationMode mode) {
		return (mode == ReplicationMode.PRIMARY_BACKUP) ? TestCluster.primaryBackup(1) : new TestCluster(mode);
	}

	private ReactiveReplicatedSessionRepository reactive(Member member) {
		return reactive(member, ReactiveReplicatedSessionRepository.DEFAULT_MAX_THREADS,
				ReactiveReplicatedSessionRepository.DEFAULT_QUEUE_CAPACITY);
	}

	private ReactiveReplicatedSessionRepository reactive(Member member, int maxThreads, int queueCapacity) {
		ReactiveReplicatedSessionRepository repository = new ReactiveReplicatedSessionRepository(member.repository,
				maxThreads, queueCapacity);
		this.repositories.add(repository);
		return repository;
	}

	/** New sessions, not saved yet, each with an attribute. */
	private static List<ReplicatedSession> newSessions(ReactiveReplicatedSessionRepository repository, int count) {
		List<ReplicatedSession> sessions = new ArrayList<>();
		for (int i = 0; i < count; i++) {
			ReplicatedSession session = repository.createSession().block(TIMEOUT);
			session.setAttribute("counter", i);
			sessions.add(session);
		}
		return sessions;
	}

	/**
	 * A repository whose one thread is busy with the save of the first of its sessions,
	 * which waits for the receiving member.
	 */
	private record OneThreadBusy(ReactiveReplicatedSessionRepository repository, Member receiver,
			List<ReplicatedSession> sessions, EventLoopSubscriber running) {

		boolean received(int session) {
			return this.receiver.store.find(this.sessions.get(session).getId()) != null;
		}

	}

}
