package io.sessionreplication.session;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.sessionreplication.replication.ReplicationMode;
import io.sessionreplication.session.ReplicatedSessionRepository.ReplicatedSession;
import io.sessionreplication.testcluster.TestCluster.Member;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.session.FindByIndexNameSessionRepository;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link FindByIndexNameSessionRepository} across the cluster: a session is found by its
 * principal name from every member, in both modes, and leaves every member's index when
 * it ends. Three real members in each test.
 */
class PrincipalIndexTests extends AbstractThreeMemberTests {

	private static final String PRINCIPAL = FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME;

	@ParameterizedTest
	@EnumSource(ReplicationMode.class)
	void sessionsAreFoundByPrincipalNameFromEveryMember(ReplicationMode mode) {
		startMembers(mode);

		String byIndexAttribute = this.a.createSession(PRINCIPAL, "alice").getId();
		String bySecurityContext = this.b.createSession("SPRING_SECURITY_CONTEXT", new SecurityContext("alice"))
			.getId();
		String bob = this.c.createSession(PRINCIPAL, "bob", "cart", "book").getId();
		String anonymous = this.c.createSession("cart", "pen").getId();

		for (Member member : List.of(this.a, this.b, this.c)) {
			assertThat(member.repository.findByPrincipalName("alice")).as(member.name)
				.containsOnlyKeys(byIndexAttribute, bySecurityContext);
			assertThat(member.repository.findByPrincipalName("bob")).as(member.name).containsOnlyKeys(bob);
			assertThat(member.repository.findByPrincipalName("bob").get(bob).<String>getAttribute("cart"))
				.isEqualTo("book");
			assertThat(member.repository.findByPrincipalName("carol")).as(member.name).isEmpty();
			assertThat(member.repository.findByIndexNameAndIndexValue("cart", "pen")).isEmpty();
		}
		assertThat(anonymous).isNotIn(byIndexAttribute, bySecurityContext, bob);
	}

	@ParameterizedTest
	@EnumSource(ReplicationMode.class)
	void sessionsFoundByPrincipalNameShowTheirLatestAccessOnEveryMember(ReplicationMode mode) {
		startMembers(mode);
		String first = this.a.createSession(PRINCIPAL, "alice").getId();
		String second = this.b.createSession(PRINCIPAL, "alice").getId();
		// accesses too recent to travel by themselves, as Spring Security's session
		// registry reads them to pick the least recently used session
		Instant accessOfFirst = Instant.now().plusMillis(100).truncatedTo(ChronoUnit.MILLIS);
		Instant accessOfSecond = accessOfFirst.plusMillis(1);
		this.a.update(first, (session) -> session.setLastAccessedTime(accessOfFirst));
		this.b.update(second, (session) -> session.setLastAccessedTime(accessOfSecond));

		for (Member member : List.of(this.a, this.b, this.c)) {
			Map<String, ReplicatedSession> found = member.repository.findByPrincipalName("alice");
			assertThat(found.get(first).getLastAccessedTime()).as(member.name).isEqualTo(accessOfFirst);
			assertThat(found.get(second).getLastAccessedTime()).as(member.name).isEqualTo(accessOfSecond);
		}
	}

	@ParameterizedTest
	@EnumSource(ReplicationMode.class)
	void indexFollowsANewPrincipalAndANewId(ReplicationMode mode) {
		startMembers(mode);
		String id = this.a.createSession(PRINCIPAL, "alice").getId();

		ReplicatedSession session = this.b.repository.findById(id);
		String newId = session.changeSessionId();
		session.setAttribute(PRINCIPAL, "carol");
		this.b.repository.save(session);

		for (Member member : List.of(this.a, this.b, this.c)) {
			assertThat(member.repository.findByPrincipalName("alice")).as(member.name).isEmpty();
			assertThat(member.repository.findByPrincipalName("carol")).as(member.name).containsOnlyKeys(newId);
		}
	}

	@ParameterizedTest
	@EnumSource(ReplicationMode.class)
	void invalidatedAndExpiredSessionsLeaveEveryIndex(ReplicationMode mode) {
		startMembers(mode);
		String invalidated = this.a.createSession(PRINCIPAL, "alice").getId();
		ReplicatedSession expiring = this.b.repository.createSession();
		expiring.setAttribute(PRINCIPAL, "alice");
		expiring.setMaxInactiveInterval(Duration.ofSeconds(1));
		this.b.repository.save(expiring);
		// every member reads alice's sessions: non-owners keep a copy for a while
		members.forEach((member) -> assertThat(member.repository.findByPrincipalName("alice")).hasSize(2));

		this.c.repository.deleteById(invalidated);
		await().pollDelay(Duration.ofMillis(1400)).atMost(Duration.ofSeconds(2)).until(() -> true);
		members.forEach((member) -> member.repository.cleanUpExpiredSessions());

		for (Member member : members) {
			assertThat(member.repository.findByPrincipalName("alice")).as(member.name).isEmpty();
			assertThat(member.store.size()).as(member.name).isZero();
			assertThat(member.store.indexSize()).as(member.name).isZero();
			assertThat(member.store.findIds(PRINCIPAL, "alice")).as(member.name).isEmpty();
		}
	}

	@ParameterizedTest
	@EnumSource(ReplicationMode.class)
	void sessionOfAMemberThatCrashedIsStillFound(ReplicationMode mode) {
		startMembers(mode);
		Set<String> ids = Set.of(this.a.createSession(PRINCIPAL, "alice").getId(),
				this.b.createSession(PRINCIPAL, "alice").getId(), this.c.createSession(PRINCIPAL, "alice").getId());

		this.a.crash();
		awaitView();

		for (Member member : List.of(this.b, this.c)) {
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(member.repository.findByPrincipalName("alice").keySet()).as(member.name)
					.isEqualTo(ids));
		}
	}

	@Test
	void memberThatDoesNotAnswerTheLookupLeavesTheOthersAnswers() {
		startMembers(ReplicationMode.PRIMARY_BACKUP);
		String id = this.b.createSession(PRINCIPAL, "alice").getId();
		// node-3 drops whatever node-1 sends it: it never answers node-1's query
		this.c.ignore(this.a);

		assertThat(this.a.repository.findByPrincipalName("alice")).containsOnlyKeys(id);
	}

	@Test
	void copyANonOwnerReleasesLeavesItsIndex() {
		startMembers(ReplicationMode.PRIMARY_BACKUP);
		String id = this.a.createSession(PRINCIPAL, "alice").getId();
		Member nonOwner = this.members.stream()
			.filter((member) -> !member.replicator.owns(id))
			.findFirst()
			.orElseThrow();
		assertThat(nonOwner.repository.findByPrincipalName("alice")).containsOnlyKeys(id);
		assertThat(nonOwner.store.findIds(PRINCIPAL, "alice")).containsExactly(id);

		nonOwner.replicator.releaseCopiesNotOwned(Instant.now().plusSeconds(1));

		await().atMost(Duration.ofSeconds(5)).until(() -> nonOwner.store.size() == 0);
		assertThat(nonOwner.store.indexSize()).isZero();
		assertThat(nonOwner.repository.findByPrincipalName("alice")).containsOnlyKeys(id);
	}

	/**
	 * What Spring Security keeps in the session, as far as
	 * {@link org.springframework.session.PrincipalNameIndexResolver} reads it:
	 * {@code authentication.name}.
	 */
	public static final class SecurityContext implements Serializable {

		private final Authentication authentication;

		SecurityContext(String name) {
			this.authentication = new Authentication(name);
		}

		public Authentication getAuthentication() {
			return this.authentication;
		}

	}

	public static final class Authentication implements Serializable {

		private final String name;

		Authentication(String name) {
			this.name = name;
		}

		public String getName() {
			return this.name;
		}

	}

}
