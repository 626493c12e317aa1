package io.sessionreplication.autoconfigure.actuate;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sessionreplication.autoconfigure.SessionReplicationAutoConfiguration;
import io.sessionreplication.autoconfigure.actuate.SessionReplicationEndpoint.CopyDescriptor;
import io.sessionreplication.autoconfigure.actuate.SessionReplicationEndpoint.MemberCopyDescriptor;
import io.sessionreplication.autoconfigure.actuate.SessionReplicationEndpoint.TrafficDescriptor;
import io.sessionreplication.cluster.ClusterTransport;
import io.sessionreplication.replication.ReplicationMode;
import io.sessionreplication.session.ReplicatedSessionRepository;
import io.sessionreplication.session.ReplicatedSessionRepository.ReplicatedSession;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static io.sessionreplication.autoconfigure.MemberContexts.awaitMembers;
import static io.sessionreplication.autoconfigure.MemberContexts.createSessions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link SessionReplicationEndpointAutoConfiguration} and
 * {@link SessionReplicationEndpoint}, with real members in one JVM.
 */
class SessionReplicationEndpointAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SessionReplicationAutoConfiguration.class,
				SessionAutoConfiguration.class, SessionReplicationEndpointAutoConfiguration.class))
		.withPropertyValues("session.replication.jgroups.config=classpath:test-stack.xml",
				"session.replication.cluster-name=endpoint-" + UUID.randomUUID(),
				"management.endpoints.web.exposure.include=sessionreplication");

	@Test
	void endpointIsAbsentUnlessExposed() {
		this.contextRunner.withPropertyValues("management.endpoints.web.exposure.include=health")
			.run((context) -> assertThat(context).doesNotHaveBean(SessionReplicationEndpoint.class));
	}

	@Test
	void allToAllCopiesAreHeldByEveryMemberWithTheSameFingerprint() {
		this.contextRunner.run((first) -> this.contextRunner.run((second) -> {
			awaitMembers(first, 2);
			assertThat(endpoint(first).member().mode()).isEqualTo(ReplicationMode.ALL_TO_ALL);
			assertThat(endpoint(first).member().members()).hasSize(2);
			assertThat(endpoint(first).member().view()).isEqualTo(endpoint(second).member().view());
			ReplicatedSessionRepository repository = first.getBean(ReplicatedSessionRepository.class);
			ReplicatedSession session = repository.createSession();
			session.setAttribute("counter", 1);
			repository.save(session);
			CopyDescriptor before = endpoint(second).session(session.getId(), null);
			assertThat(before.held()).isTrue();
			assertThat(before.owner()).isTrue();
			assertThat(before.role()).isEqualTo("replica");
			assertThat(before.fingerprint()).isEqualTo(endpoint(first).session(session.getId(), null).fingerprint());

			ReplicatedSession again = repository.findById(session.getId());
			again.setAttribute("counter", 2);
			repository.save(again);
			CopyDescriptor after = endpoint(second).session(session.getId(), null);
			assertThat(after.fingerprint()).isNotEqualTo(before.fingerprint())
				.isEqualTo(endpoint(first).session(session.getId(), null).fingerprint());
			assertThat(endpoint(first).member().sessions()).isEqualTo(1);
			assertThat(endpoint(first).member().sessionsByRole()).isEqualTo(Map.of("replica", 1));
			TrafficDescriptor sent = endpoint(first).member().traffic();
			TrafficDescriptor received = endpoint(second).member().traffic();
			assertThat(sent.payloadsSent()).isEqualTo(2);
			assertThat(received.payloadsReceived()).isEqualTo(2);
			assertThat(sent.bytesSent()).isPositive().isEqualTo(received.bytesReceived());
		}));
	}

	@Test
	void malformedPayloadsAreCountedAsRejected() {
		this.contextRunner.run((first) -> this.contextRunner.run((second) -> {
			awaitMembers(first, 2);
			first.getBean(ClusterTransport.class).sendAndAwait(new byte[] { 42 }, Duration.ofSeconds(3));
			assertThat(endpoint(second).member().traffic().rejectedPayloads()).isEqualTo(1);
			assertThat(endpoint(first).member().traffic().rejectedPayloads()).isZero();
		}));
	}

	@Test
	void unknownSessionIsNotHeld() {
		this.contextRunner.run((context) -> {
			CopyDescriptor copy = endpoint(context).session("no-such-session", null);
			assertThat(copy.held()).isFalse();
			assertThat(copy.coverage()).isNull();
			assertThat(copy.fingerprint()).isNull();
		});
	}

	@Test
	void primaryBackupCopiesAreHeldByTheTwoOwnersOfThree() {
		WebApplicationContextRunner runner = this.contextRunner
			.withPropertyValues("session.replication.mode=primary-backup");
		runner.run((first) -> runner.run((second) -> runner.run((third) -> {
			awaitMembers(first, 3);
			ReplicatedSessionRepository repository = first.getBean(ReplicatedSessionRepository.class);
			ReplicatedSession session = repository.createSession();
			session.setAttribute("user", "alice");
			repository.save(session);
			List<CopyDescriptor> copies = List.of(first, second, third)
				.stream()
				.map((member) -> endpoint(member).session(session.getId(), null))
				.toList();
			assertThat(copies).filteredOn(CopyDescriptor::owner).hasSize(2).allMatch(CopyDescriptor::held);
			assertThat(copies).filteredOn(CopyDescriptor::owner)
				.extracting(CopyDescriptor::fingerprint)
				.doesNotContainNull()
				.containsOnly(copies.get(0).fingerprint());
			assertThat(copies).filteredOn((copy) -> !copy.owner()).singleElement().satisfies((copy) -> {
				assertThat(copy.held()).isFalse();
				assertThat(copy.role()).isNull();
			});
			assertThat(copies).filteredOn(CopyDescriptor::owner)
				.extracting(CopyDescriptor::role)
				.containsExactlyInAnyOrder("primary", "backup");
			assertThat(List.of(first, second, third)
				.stream()
				.mapToInt((member) -> endpoint(member).member().sessionsByRole().get("primary"))
				.sum()).isOne();
			assertThat(copies).allSatisfy((copy) -> assertThat(copy.cluster()).isNull());
		})));
	}

	@Test
	void anyMemberAskedForTheClusterListsWhatEachMemberHoldsOfASession() {
		WebApplicationContextRunner runner = this.contextRunner
			.withPropertyValues("session.replication.mode=primary-backup");
		runner.run((first) -> runner.run((second) -> runner.run((third) -> {
			List<AssertableWebApplicationContext> members = List.of(first, second, third);
			members.forEach((member) -> awaitMembers(member, 3));
			String id = createSessions(first, 1).get(0);
			List<Tuple> local = members.stream()
				.map((member) -> endpoint(member).session(id, null))
				.map((copy) -> tuple(copy.member(), true, copy.held(), copy.role(), copy.fingerprint()))
				.toList();
			for (AssertableWebApplicationContext asked : members) {
				assertThat(endpoint(asked).session(id, true).cluster())
					.extracting(MemberCopyDescriptor::member, MemberCopyDescriptor::answered,
							MemberCopyDescriptor::held, MemberCopyDescriptor::role, MemberCopyDescriptor::fingerprint)
					.containsExactlyInAnyOrderElementsOf(local);
			}
			assertThat(local).extracting((copy) -> copy.toList().get(3))
				.containsExactlyInAnyOrder("primary", "backup", null);
		})));
	}

	@Test
	void allToAllClusterViewShowsEveryMemberAsAReplica() {
		this.contextRunner.run((first) -> this.contextRunner.run((second) -> {
			awaitMembers(first, 2);
			String id = createSessions(second, 1).get(0);
			assertThat(endpoint(first).session(id, true).cluster()).hasSize(2).allSatisfy((copy) -> {
				assertThat(copy.answered()).isTrue();
				assertThat(copy.held()).isTrue();
				assertThat(copy.role()).isEqualTo("replica");
			});
			assertThat(endpoint(first).session("no-such-session", true).cluster()).hasSize(2)
				.allSatisfy((copy) -> assertThat(copy.held()).isFalse());
		}));
	}

	private static SessionReplicationEndpoint endpoint(AssertableWebApplicationContext context) {
		return context.getBean(SessionReplicationEndpoint.class);
	}

}
