package io.sessionreplication.session;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import io.sessionreplication.replication.ReplicationMode;
import io.sessionreplication.session.ReplicatedSessionRepository.ReplicatedSession;
import io.sessionreplication.testcluster.TestCluster.Member;
import io.sessionreplication.wire.SessionRole;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.session.events.AbstractSessionEvent;
import org.springframework.session.events.SessionCreatedEvent;
import org.springframework.session.events.SessionDeletedEvent;
import org.springframework.session.events.SessionExpiredEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Spring Session's events, published once in the cluster (by the member that acted in
 * all-to-all mode, by the session's primary in primary-backup mode), or by every member
 * that holds a copy if so set. Three real members in each test.
 */
class SessionEventsTests extends AbstractThreeMemberTests {

	/** How long no other member may publish an event once one has. */
	private static final Duration NO_DUPLICATE_FOR = Duration.ofMillis(500);

	@ParameterizedTest
	@EnumSource(ReplicationMode.class)
	void eachEventIsPublishedOnceInTheClusterByTheMemberOfTheRule(ReplicationMode mode) {
		startMembers(mode);

		String created = this.a.createSession("user", "alice").getId();
		assertThat(publishedOnce(members, SessionCreatedEvent.class, created))
			.isSameAs(publisher(mode, members, this.a, created));

		this.b.repository.deleteById(created);
		Member deletedBy = publishedOnce(members, SessionDeletedEvent.class, created);
		assertThat(deletedBy).isSameAs(publisher(mode, members, this.b, created));
		assertThat(eventOf(deletedBy, SessionDeletedEvent.class, created).<ReplicatedSession>getSession()
			.<String>getAttribute("user")).isEqualTo("alice");

		ReplicatedSession expiring = this.c.repository.createSession();
		expiring.setMaxInactiveInterval(Duration.ofSeconds(1));
		this.c.repository.save(expiring);
		String expired = expiring.getId();
		publishedOnce(members, SessionCreatedEvent.class, expired);
		// past the timeout plus a quarter: every copy may expire it, node-3 knows the
		// last access and clears its copy last
		await().pollDelay(Duration.ofMillis(1400)).atMost(Duration.ofSeconds(2)).until(() -> true);
		members.forEach((member) -> member.repository.cleanUpExpiredSessions());

		assertThat(publishedOnce(members, SessionExpiredEvent.class, expired))
			.isSameAs(publisher(mode, members, this.c, expired));
		assertThat(members).allMatch((member) -> member.store.size() == 0);
	}

	@ParameterizedTest
	@EnumSource(ReplicationMode.class)
	void expiryOfASessionLastUsedOnACrashedMemberIsPublishedOnce(ReplicationMode mode) {
		startMembers(mode);
		ReplicatedSession expiring = this.c.repository.createSession();
		expiring.setMaxInactiveInterval(Duration.ofSeconds(1));
		this.c.repository.save(expiring);
		String id = expiring.getId();

		this.c.crash();
		awaitView();
		List<Member> survivors = List.of(this.a, this.b);
		// past the timeout plus a quarter: the survivors expire their copies on their own
		await().pollDelay(Duration.ofMillis(1400)).atMost(Duration.ofSeconds(2)).until(() -> true);
		survivors.forEach((member) -> member.repository.cleanUpExpiredSessions());

		// all-to-all: the first member of the view stands in for the member that left
		assertThat(publishedOnce(survivors, SessionExpiredEvent.class, id))
			.isSameAs(publisher(mode, survivors, this.a, id));
		assertThat(survivors).allMatch((member) -> member.store.size() == 0);
	}

	@ParameterizedTest
	@EnumSource(ReplicationMode.class)
	void invalidationOfASessionLastUsedOnACrashedMemberIsPublishedOnce(ReplicationMode mode) {
		startMembers(mode);
		String id = this.c.createSession("user", "alice").getId();
		publishedOnce(members, SessionCreatedEvent.class, id);

		this.c.crash();
		awaitView();
		List<Member> survivors = List.of(this.a, this.b);
		this.b.repository.deleteById(id);

		// all-to-all: the first member of the view stands in for the member that left for
		// an expiry only
		assertThat(publishedOnce(survivors, SessionDeletedEvent.class, id))
			.isSameAs(publisher(mode, survivors, this.b, id));
	}

	@Test
	void primaryPublishesTheCreationOfASessionCreatedOnAnotherMember() {
		startMembers(ReplicationMode.PRIMARY_BACKUP);
		String ownedByC = idWithPrimary(this.c);
		this.a.repository.setSessionIdGenerator(() -> ownedByC);

		String created = this.a.createSession("user", "alice").getId();

		assertThat(created).isEqualTo(ownedByC);
		assertThat(publishedOnce(List.of(this.a, this.b, this.c), SessionCreatedEvent.class, created)).isSameAs(this.c);
	}

	@ParameterizedTest
	@EnumSource(ReplicationMode.class)
	void listenerThatFailsKeepsNoChangeFromTheOtherMembers(ReplicationMode mode) {
		startMembers(mode);
		this.a.repository.setApplicationEventPublisher((event) -> {
			throw new IllegalStateException("listener failed");
		});

		String id = this.a.createSession("user", "alice").getId();
		assertThat(this.b.repository.findById(id).<String>getAttribute("user")).isEqualTo("alice");
		this.a.repository.deleteById(id);

		assertThat(this.b.repository.findById(id)).isNull();
		assertThat(this.b.store.size()).isZero();
	}

	@ParameterizedTest
	@EnumSource(ReplicationMode.class)
	void changedIdPublishesNoEvent(ReplicationMode mode) {
		startMembers(mode);
		String id = this.a.createSession("user", "alice").getId();
		publishedOnce(members, SessionCreatedEvent.class, id);

		ReplicatedSession session = this.b.repository.findById(id);
		String newId = session.changeSessionId();
		this.b.repository.save(session);

		await().during(NO_DUPLICATE_FOR)
			.atMost(Duration.ofSeconds(3))
			.until(() -> members.stream()
				.allMatch((member) -> member.events.stream()
					.allMatch((event) -> event.getSessionId().equals(id) && event instanceof SessionCreatedEvent)));
		assertThat(members).anyMatch((member) -> member.repository.findById(newId) != null);
	}

	@ParameterizedTest
	@EnumSource(ReplicationMode.class)
	void everyMemberThatHoldsACopyPublishesWhenSoSet(ReplicationMode mode) {
		startMembers(mode);
		members.forEach((member) -> member.repository.setPublishEventsOnEveryMember(true));

		String id = this.a.createSession("user", "alice").getId();
		List<Member> holders = members.stream().filter((member) -> member.store.holdsWhole(id)).toList();
		this.a.repository.deleteById(id);

		assertThat(holders).hasSize((mode == ReplicationMode.ALL_TO_ALL) ? 3 : 2);
		await().atMost(Duration.ofSeconds(5))
			.during(NO_DUPLICATE_FOR)
			.until(() -> countByMember(members, SessionCreatedEvent.class, id)
				.equals(countByMember(holders, SessionCreatedEvent.class, id))
					&& countByMember(members, SessionDeletedEvent.class, id)
						.equals(countByMember(holders, SessionDeletedEvent.class, id))
					&& holders.stream()
						.allMatch((member) -> count(member, SessionCreatedEvent.class, id) == 1
								&& count(member, SessionDeletedEvent.class, id) == 1));
	}

	/**
	 * The member that publishes the event of an action of {@code actor}: the actor in
	 * all-to-all mode, the session's primary in primary-backup mode.
	 */
	private static Member publisher(ReplicationMode mode, List<Member> members, Member actor, String sessionId) {
		if (mode == ReplicationMode.ALL_TO_ALL) {
			return actor;
		}
		return members.stream()
			.filter((member) -> member.replicator.roleOf(sessionId) == SessionRole.PRIMARY)
			.findFirst()
			.orElseThrow();
	}

	/**
	 * Wait until one member has published the event, and check that no other does
	 * meanwhile or shortly after.
	 * @return the member that published it
	 */
	private static Member publishedOnce(List<Member> members, Class<? extends AbstractSessionEvent> type,
			String sessionId) {
		await().atMost(Duration.ofSeconds(5))
			.until(() -> members.stream().mapToLong((member) -> count(member, type, sessionId)).sum() > 0);
		await().during(NO_DUPLICATE_FOR)
			.atMost(Duration.ofSeconds(3))
			.until(() -> members.stream().mapToLong((member) -> count(member, type, sessionId)).sum() == 1);
		return members.stream().filter((member) -> count(member, type, sessionId) == 1).findFirst().orElseThrow();
	}

	private static Map<String, Long> countByMember(List<Member> members, Class<? extends AbstractSessionEvent> type,
			String sessionId) {
		return members.stream()
			.filter((member) -> count(member, type, sessionId) > 0)
			.collect(Collectors.toMap((member) -> member.name, (member) -> count(member, type, sessionId)));
	}

	private static long count(Member member, Class<? extends AbstractSessionEvent> type, String sessionId) {
		return member.events.stream()
			.filter((event) -> type.isInstance(event) && event.getSessionId().equals(sessionId))
			.count();
	}

	private static AbstractSessionEvent eventOf(Member member, Class<? extends AbstractSessionEvent> type,
			String sessionId) {
		return member.events.stream()
			.filter((event) -> type.isInstance(event) && event.getSessionId().equals(sessionId))
			.findFirst()
			.orElseThrow();
	}

	private static String idWithPrimary(Member member) {
		for (int attempt = 0; attempt < 1000; attempt++) {
			String id = UUID.randomUUID().toString();
			if (member.replicator.roleOf(id) == SessionRole.PRIMARY) {
				return id;
			}
		}
		throw new AssertionError("No id whose primary is " + member.name + " in 1000 attempts");
	}

}
