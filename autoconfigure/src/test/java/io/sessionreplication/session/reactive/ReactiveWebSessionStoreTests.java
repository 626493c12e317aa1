package io.sessionreplication.session.reactive;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

import io.sessionreplication.replication.ReplicationMode;
import io.sessionreplication.testcluster.TestClock;
import io.sessionreplication.testcluster.TestCluster;
import io.sessionreplication.testcluster.TestCluster.Member;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.session.web.server.session.SpringSessionWebSessionStore;
import org.springframework.web.server.WebSession;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * WebFlux's {@link WebSession} contract, as Spring Session's
 * {@link SpringSessionWebSessionStore} (what Spring Session's {@code webSessionManager}
 * uses) keeps it over a {@link ReactiveReplicatedSessionRepository} on each of two real
 * members: creation, reads on the other member with the time of the access, id change,
 * invalidation, expiry.
 */
class ReactiveWebSessionStoreTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private TestCluster cluster;

	private ReactiveReplicatedSessionRepository firstRepository;

	private ReactiveReplicatedSessionRepository secondRepository;

	private SpringSessionWebSessionStore<?> first;

	private SpringSessionWebSessionStore<?> second;

	private final TestClock firstClock = new TestClock();

	private final TestClock secondClock = new TestClock();

	@AfterEach
	void stop() {
		this.firstRepository.close();
		this.secondRepository.close();
		this.cluster.close();
	}

	@ParameterizedTest
	@EnumSource(ReplicationMode.class)
	void sessionIsStoredOnceItHoldsAnAttributeAndIsReadOnTheOtherMemberWithItsAccess(ReplicationMode mode) {
		start(mode);
		WebSession created = this.first.createWebSession().block(TIMEOUT);
		assertThat(created.isStarted()).isFalse();
		created.getAttributes().put("counter", 1);
		assertThat(created.isStarted()).isTrue();
		created.save().block(TIMEOUT);

		Instant beforeRead = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		WebSession read = this.second.retrieveSession(created.getId()).block(TIMEOUT);
		assertThat(read.getAttributes()).containsEntry("counter", 1);
		assertThat(read.getCreationTime()).isEqualTo(created.getCreationTime());
		assertThat(read.getLastAccessTime()).isAfterOrEqualTo(beforeRead);
		read.getAttributes().put("counter", 2);
		read.save().block(TIMEOUT);

		WebSession again = this.first.retrieveSession(created.getId()).block(TIMEOUT);
		assertThat(again.getAttributes()).containsEntry("counter", 2);
		assertThat(this.firstRepository.findById(created.getId()).block(TIMEOUT).getLastAccessedTime())
			.isAfterOrEqualTo(read.getLastAccessTime().truncatedTo(ChronoUnit.MILLIS));
	}

	@ParameterizedTest
	@EnumSource(ReplicationMode.class)
	void changedIdAndInvalidationReachTheOtherMember(ReplicationMode mode) {
		start(mode);
		WebSession created = this.first.createWebSession().block(TIMEOUT);
		created.getAttributes().put("user", "alice");
		created.save().block(TIMEOUT);
		String oldId = created.getId();

		WebSession read = this.second.retrieveSession(oldId).block(TIMEOUT);
		read.changeSessionId().block(TIMEOUT);
		String newId = read.getId();

		assertThat(newId).isNotEqualTo(oldId);
		assertThat(this.first.retrieveSession(oldId).block(TIMEOUT)).isNull();
		assertThat(this.first.retrieveSession(newId).block(TIMEOUT).getAttributes()).containsEntry("user", "alice");

		read.invalidate().block(TIMEOUT);

		assertThat(read.isExpired()).isTrue();
		assertThat(this.first.retrieveSession(newId).block(TIMEOUT)).isNull();
		assertThat(this.second.retrieveSession(newId).block(TIMEOUT)).isNull();
	}

	@ParameterizedTest
	@EnumSource(ReplicationMode.class)
	void sessionPastItsMaxIdleTimeIsNotRetrievedOnEitherMember(ReplicationMode mode) {
		start(mode);
		WebSession created = this.first.createWebSession().block(TIMEOUT);
		created.setMaxIdleTime(Duration.ofMinutes(1));
		created.getAttributes().put("user", "alice");
		created.save().block(TIMEOUT);
		assertThat(this.second.retrieveSession(created.getId()).block(TIMEOUT)).isNotNull();
		// the read on the second member is the latest access: it decides
		this.second.retrieveSession(created.getId()).flatMap(WebSession::save).block(TIMEOUT);

		this.firstClock.advance(Duration.ofMinutes(2));
		this.secondClock.advance(Duration.ofMinutes(2));

		assertThat(this.first.retrieveSession(created.getId()).block(TIMEOUT)).isNull();
		assertThat(this.second.retrieveSession(created.getId()).block(TIMEOUT)).isNull();
	}

	private void start(ReplicationMode mode) {
		this.cluster = (mode == ReplicationMode.PRIMARY_BACKUP) ? TestCluster.primaryBackup(1) : new TestCluster(mode);
		Member a = this.cluster.start("node-1", this.firstClock);
		Member b = this.cluster.start("node-2", this.secondClock);
		this.firstRepository = new ReactiveReplicatedSessionRepository(a.repository);
		this.secondRepository = new ReactiveReplicatedSessionRepository(b.repository);
		this.first = new SpringSessionWebSessionStore<>(this.firstRepository);
		this.first.setClock(this.firstClock);
		this.second = new SpringSessionWebSessionStore<>(this.secondRepository);
		this.second.setClock(this.secondClock);
	}

}
