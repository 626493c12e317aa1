package io.sessionreplication.session;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import io.sessionreplication.replication.DeliveryOutcome;
import io.sessionreplication.replication.ReplicationStatistics;
import io.sessionreplication.replication.SessionCounts;
import io.sessionreplication.replication.SessionReplicator;
import io.sessionreplication.session.ReplicatedSessionRepository.ReplicatedSession;
import io.sessionreplication.store.SessionStore;
import io.sessionreplication.wire.AttributeClassFilter;
import io.sessionreplication.wire.AttributeSerializer;
import io.sessionreplication.wire.ClusterMessage;
import io.sessionreplication.wire.ClusterMessageCodec;
import io.sessionreplication.wire.CopyReport;
import io.sessionreplication.wire.SessionDelta;
import io.sessionreplication.wire.SessionRemoval;
import io.sessionreplication.wire.SessionRole;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ReplicatedSessionRepository} on two members whose replicators hand
 * each change, encoded as it would travel, straight to the other member's store: what
 * reaches the other copy, without a network.
 */
class ReplicatedSessionRepositoryTests {

	private final Member a = new Member("node-a");

	private final Member b = new Member("node-b");

	ReplicatedSessionRepositoryTests() {
		this.a.peer = this.b;
		this.b.peer = this.a;
	}

	@Test
	void savedSessionReachesTheOtherMember() {
		ReplicatedSession session = this.a.repository.createSession();
		session.setAttribute("user", "alice");
		this.a.repository.save(session);

		ReplicatedSession onB = this.b.repository.findById(session.getId());

		assertThat(onB).isNotNull();
		assertThat(onB.<String>getAttribute("user")).isEqualTo("alice");
		assertThat(onB.getCreationTime()).isEqualTo(session.getCreationTime());
	}

	@Test
	void attributeReadsAsTheSameObjectOnEachMemberUntilItIsSetAgain() {
		List<String> cart = new ArrayList<>(List.of("book"));
		ReplicatedSession session = this.a.repository.createSession();
		session.setAttribute("cart", cart);
		this.a.repository.save(session);

		Object onB = this.b.repository.findById(session.getId()).getAttribute("cart");

		assertThat(this.a.repository.findById(session.getId()).<Object>getAttribute("cart")).isSameAs(cart);
		assertThat(onB).isEqualTo(cart).isNotSameAs(cart);
		assertThat(this.b.repository.findById(session.getId()).<Object>getAttribute("cart")).isSameAs(onB);
	}

	@Test
	void attributeSetOnTheOtherMemberIsReadAgain() {
		ReplicatedSession session = this.a.repository.createSession();
		session.setAttribute("cart", new ArrayList<>(List.of("book")));
		this.a.repository.save(session);
		assertThat(this.b.repository.findById(session.getId()).<Object>getAttribute("cart")).isEqualTo(List.of("book"));

		ReplicatedSession onA = this.a.repository.findById(session.getId());
		onA.setAttribute("cart", new ArrayList<>(List.of("book", "pen")));
		this.a.repository.save(onA);

		assertThat(this.b.repository.findById(session.getId()).<Object>getAttribute("cart"))
			.isEqualTo(List.of("book", "pen"));
	}

	@Test
	void changeOfTheTimeoutReachesTheOtherMember() {
		String id = this.a.create();

		ReplicatedSession onA = this.a.repository.findById(id);
		onA.setMaxInactiveInterval(Duration.ofMinutes(5));
		this.a.repository.save(onA);

		assertThat(this.b.repository.findById(id).getMaxInactiveInterval()).isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void requestThatDidNotChangeTheTimeoutDoesNotRevertAConcurrentChange() {
		String id = this.a.create();
		ReplicatedSession onA = this.a.repository.findById(id);
		ReplicatedSession onB = this.b.repository.findById(id);

		onB.setMaxInactiveInterval(Duration.ofMinutes(5));
		this.b.repository.save(onB);
		onA.setAttribute("user", "alice");
		this.a.repository.save(onA);

		assertThat(this.a.repository.findById(id).getMaxInactiveInterval()).isEqualTo(Duration.ofMinutes(5));
		assertThat(this.b.repository.findById(id).getMaxInactiveInterval()).isEqualTo(Duration.ofMinutes(5));
	}

	@Test
	void readingASessionSendsNothingUntilTheAccessIsDue() {
		String id = this.a.create();
		this.a.sent.clear();

		for (int i = 0; i < 3; i++) {
			ReplicatedSession session = this.a.repository.findById(id);
			session.setLastAccessedTime(Instant.now());
			this.a.repository.save(session);
		}

		assertThat(this.a.sent).isEmpty();
	}

	@Test
	void readingASessionThatNeverExpiresSendsNothing() {
		ReplicatedSession created = this.a.repository.createSession();
		created.setMaxInactiveInterval(Duration.ofSeconds(-1));
		this.a.repository.save(created);
		this.a.sent.clear();

		for (int i = 0; i < 3; i++) {
			ReplicatedSession session = this.a.repository.findById(created.getId());
			session.setLastAccessedTime(Instant.now());
			this.a.repository.save(session);
		}

		assertThat(this.a.sent).isEmpty();
	}

	@Test
	void readingASessionLastAccessedOnTheOtherMemberSendsTheAccess() {
		String id = this.a.create();
		this.b.sent.clear();

		ReplicatedSession onB = this.b.repository.findById(id);
		onB.setLastAccessedTime(Instant.now());
		this.b.repository.save(onB);

		assertThat(this.b.sent).singleElement()
			.isInstanceOfSatisfying(SessionDelta.class,
					(delta) -> assertThat(delta.lastAccessedBy()).isEqualTo("node-b"));
	}

	@Test
	void deletedSessionIsGoneOnBothMembers() {
		String id = this.a.create();

		this.b.repository.deleteById(id);

		assertThat(this.a.repository.findById(id)).isNull();
		assertThat(this.b.repository.findById(id)).isNull();
	}

	/**
	 * One member: a store, a repository and a replicator that applies what it sends to
	 * the peer's store.
	 */
	static final class Member implements SessionReplicator {

		final SessionStore store;

		final ReplicatedSessionRepository repository;

		final List<ClusterMessage> sent = new CopyOnWriteArrayList<>();

		final ReplicationStatistics statistics = new ReplicationStatistics();

		private final ClusterMessageCodec codec = new ClusterMessageCodec();

		Member peer;

		Member(String name) {
			this.store = new SessionStore(name);
			this.repository = new ReplicatedSessionRepository(this.store, this,
					new AttributeSerializer(getClass().getClassLoader(),
							AttributeClassFilter.allowing("io.sessionreplication.**")),
					this.statistics);
		}

		String create() {
			ReplicatedSession session = this.repository.createSession();
			this.repository.save(session);
			return session.getId();
		}

		@Override
		public DeliveryOutcome replicate(ClusterMessage message) {
			this.sent.add(message);
			this.peer.receive(this.codec.encode(List.of(message)), this.store.localMember());
			return DeliveryOutcome.NONE;
		}

		@Override
		public void flush() {
		}

		@Override
		public int wireFormat() {
			return ClusterMessageCodec.NEWEST_FORMAT;
		}

		@Override
		public CompletionStage<byte[]> receive(byte[] payload, String sender) {
			this.codec.decode(payload).forEach(this.store::apply);
			return CompletableFuture.completedStage(null);
		}

		@Override
		public Set<String> findSessionIds(String indexName, String indexValue) {
			return this.store.findIds(indexName, indexValue);
		}

		@Override
		public boolean publishesEventOf(String sessionId, boolean here, SessionRemoval.Reason ended,
				String lastAccessedBy) {
			return here;
		}

		@Override
		public boolean isMember(String member) {
			throw new UnsupportedOperationException();
		}

		@Override
		public Set<String> confirmLive(Collection<String> sessionIds) {
			throw new UnsupportedOperationException();
		}

		@Override
		public SessionCounts countSessions() {
			throw new UnsupportedOperationException();
		}

		@Override
		public SessionRole roleOf(String sessionId) {
			throw new UnsupportedOperationException();
		}

		@Override
		public CopyReport reportCopy(String sessionId) {
			throw new UnsupportedOperationException();
		}

		@Override
		public Map<String, CopyReport> reportCopies(String sessionId) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void writeState(OutputStream out) {
			throw new UnsupportedOperationException();
		}

		@Override
		public void readState(InputStream in) {
			throw new UnsupportedOperationException();
		}

	}

}
