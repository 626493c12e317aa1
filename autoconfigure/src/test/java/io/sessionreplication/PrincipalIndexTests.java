package io.sessionreplication;

import java.io.Serializable;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import io.sessionreplication.ReplicatedSessionRepository.ReplicatedSession;
import io.sessionreplication.TestCluster.Member;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
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
class PrincipalIndexTests {

	private @Nullable TestCluster cluster;

	@AfterEach
	void closeCluster() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	private List<Member> startCluster(ReplicationMode mode, int members) {
		this.cluster = new TestCluster(mode);
		return this.cluster.start(members);
	}

	private static final String PRINCIPAL = FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME;

	@ParameterizedTest
	@EnumSource(ReplicationMode.class)
	void sessionsAreFoundByPrincipalNameFromEveryMember(ReplicationMode mode) {
		List<Member> members = startCluster(mode, 3);
		Member a = members.get(0);
		Member b = members.get(1);
		Member c = members.get(2);

		String byIndexAttribute = a.createSession(PRINCIPAL, "alice").getId();
		String bySecurityContext = b.createSession("SPRING_SECURITY_CONTEXT", new SecurityContext("alice")).getId();
		String bob = c.createSession(PRINCIPAL, "bob", "cart", "book").getId();
		String anonymous = c.createSession("cart", "pen").getId();

		for (Member member : List.of(a, b, c)) {
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
	void indexFollowsANewPrincipalAndANewId(ReplicationMode mode) {
		List<Member> members = startCluster(mode, 3);
		Member a = members.get(0);
		Member b = members.get(1);
		Member c = members.get(2);
		String id = a.createSession(PRINCIPAL, "alice").getId();

		ReplicatedSession session = b.repository.findById(id);
		String newId = session.changeSessionId();
		session.setAttribute(PRINCIPAL, "carol");
		b.repository.save(session);

		for (Member member : List.of(a, b, c)) {
			assertThat(member.repository.findByPrincipalName("alice")).as(member.name).isEmpty();
			assertThat(member.repository.findByPrincipalName("carol")).as(member.name).containsOnlyKeys(newId);
		}
	}

	@ParameterizedTest
	@EnumSource(ReplicationMode.class)
	void invalidatedAndExpiredSessionsLeaveEveryIndex(ReplicationMode mode) {
		List<Member> members = startCluster(mode, 3);
		Member a = members.get(0);
		Member b = members.get(1);
		Member c = members.get(2);
		String invalidated = a.createSession(PRINCIPAL, "alice").getId();
		ReplicatedSession expiring = b.repository.createSession();
		expiring.setAttribute(PRINCIPAL, "alice");
		expiring.setMaxInactiveInterval(Duration.ofSeconds(1));
		b.repository.save(expiring);
		// every member reads alice's sessions: non-owners keep a copy for a while
		members.forEach((member) -> assertThat(member.repository.findByPrincipalName("alice")).hasSize(2));

		c.repository.deleteById(invalidated);
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
		List<Member> members = startCluster(mode, 3);
		Member a = members.get(0);
		Member b = members.get(1);
		Member c = members.get(2);
		Set<String> ids = Set.of(a.createSession(PRINCIPAL, "alice").getId(),
				b.createSession(PRINCIPAL, "alice").getId(), c.createSession(PRINCIPAL, "alice").getId());

		a.crash();
		this.cluster.awaitView();

		for (Member member : List.of(b, c)) {
			await().atMost(Duration.ofSeconds(10))
				.untilAsserted(() -> assertThat(member.repository.findByPrincipalName("alice").keySet()).as(member.name)
					.isEqualTo(ids));
		}
	}

	@Test
	void copyANonOwnerReleasesLeavesItsIndex() {
		List<Member> members = startCluster(ReplicationMode.PRIMARY_BACKUP, 3);
		String id = members.get(0).createSession(PRINCIPAL, "alice").getId();
		Member nonOwner = members.stream().filter((member) -> !member.replicator.owns(id)).findFirst().orElseThrow();
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
