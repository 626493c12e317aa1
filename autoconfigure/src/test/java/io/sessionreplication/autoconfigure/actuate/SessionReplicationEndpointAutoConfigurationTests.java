package io.sessionreplication.autoconfigure.actuate;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sessionreplication.autoconfigure.SessionReplicationAutoConfiguration;
import io.sessionreplication.autoconfigure.actuate.SessionReplicationEndpoint.AttributesDescriptor;
import io.sessionreplication.autoconfigure.actuate.SessionReplicationEndpoint.CopyDescriptor;
import io.sessionreplication.autoconfigure.actuate.SessionReplicationEndpoint.MemberCopyDescriptor;
import io.sessionreplication.autoconfigure.actuate.SessionReplicationEndpoint.TrafficDescriptor;
import io.sessionreplication.cluster.ClusterTransport;
import io.sessionreplication.replication.ReplicationMode;
import io.sessionreplication.session.ReplicatedSessionRepository;
import io.sessionreplication.session.ReplicatedSessionRepository.ReplicatedSession;
import io.sessionreplication.wire.SessionIdFingerprint;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static io.sessionreplication.autoconfigure.MemberContexts.awaitMembers;
import static io.sessionreplication.autoconfigure.MemberContexts.createSessions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
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
			CopyDescriptor before = endpoint(second).session(session.getId(), null, null);
			assertThat(before.held()).isTrue();
			assertThat(before.owner()).isTrue();
			assertThat(before.role()).isEqualTo("replica");
			assertThat(before.fingerprint())
				.isEqualTo(endpoint(first).session(session.getId(), null, null).fingerprint());

			ReplicatedSession again = repository.findById(session.getId());
			again.setAttribute("counter", 2);
			repository.save(again);
			CopyDescriptor after = endpoint(second).session(session.getId(), null, null);
			assertThat(after.fingerprint()).isNotEqualTo(before.fingerprint())
				.isEqualTo(endpoint(first).session(session.getId(), null, null).fingerprint());
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
	void attributeCheckNamesTheAttributesThatAMemberCannotRead() {
		this.contextRunner.run((first) -> this.contextRunner
			.withPropertyValues("session.replication.serialization.denied-classes=java.util.ArrayList")
			.run((second) -> {
				awaitMembers(first, 2);
				ReplicatedSessionRepository repository = first.getBean(ReplicatedSessionRepository.class);
				ReplicatedSession session = repository.createSession();
				session.setAttribute("counter", 1);
				session.setAttribute("cart", new ArrayList<>(List.of("book")));
				repository.save(session);

				AttributesDescriptor here = endpoint(first).session(session.getId(), null, true).attributes();
				assertThat(here.count()).isEqualTo(2);
				assertThat(here.bytes()).isPositive();
				assertThat(here.maxAttributeSize()).isEqualTo(1024 * 1024);
				assertThat(here.problems()).isEmpty();
				AttributesDescriptor there = endpoint(second).session(session.getId(), null, true).attributes();
				assertThat(there.bytes()).isEqualTo(here.bytes());
				assertThat(there.problems()).singleElement().satisfies((problem) -> {
					assertThat(problem.attribute()).isEqualTo("cart");
					assertThat(problem.problem()).contains("cannot be deserialized").doesNotContain("book");
				});
				// checking changed nothing: the value is still held, as sent
				assertThat(endpoint(second).session(session.getId(), null, true).attributes().count()).isEqualTo(2);
				assertThat(endpoint(second).session(session.getId(), null, null).attributes()).isNull();
				assertThat(endpoint(second).session("no-such-session", null, true).attributes()).isNull();
			}));
	}

	@Test
	void attributeCheckNamesASessionBeyondTheSizeLimitOfTheMemberThatHoldsIt() {
		this.contextRunner
			.run((first) -> this.contextRunner.withPropertyValues("session.replication.max-session-size=300B")
				.run((second) -> {
					awaitMembers(first, 2);
					ReplicatedSessionRepository repository = first.getBean(ReplicatedSessionRepository.class);
					ReplicatedSession session = repository.createSession();
					session.setAttribute("a", "x".repeat(200));
					repository.save(session);
					ReplicatedSession again = repository.findById(session.getId());
					again.setAttribute("b", "y".repeat(200));
					repository.save(again);

					assertThat(endpoint(first).session(session.getId(), null, true).attributes().problems()).isEmpty();
					CopyDescriptor there = endpoint(second).session(session.getId(), null, true);
					assertThat(there.held()).isTrue();
					assertThat(there.attributes().problems()).singleElement().satisfies((problem) -> {
						assertThat(problem.attribute()).isNull();
						assertThat(problem.problem())
							.contains("more than session.replication.max-session-size (300 bytes)");
					});
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
			CopyDescriptor copy = endpoint(context).session("no-such-session", null, null);
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
				.map((member) -> endpoint(member).session(session.getId(), null, null))
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
				.map((member) -> endpoint(member).session(id, null, null))
				.map((copy) -> tuple(copy.member(), true, copy.held(), copy.role(), copy.fingerprint()))
				.toList();
			for (AssertableWebApplicationContext asked : members) {
				assertThat(endpoint(asked).session(id, true, null).cluster())
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
			assertThat(endpoint(first).session(id, true, null).cluster()).hasSize(2).allSatisfy((copy) -> {
				assertThat(copy.answered()).isTrue();
				assertThat(copy.held()).isTrue();
				assertThat(copy.role()).isEqualTo("replica");
			});
			assertThat(endpoint(first).session("no-such-session", true, null).cluster()).hasSize(2)
				.allSatisfy((copy) -> assertThat(copy.held()).isFalse());
		}));
	}

	@Test
	void sessionIsFoundByTheFingerprintOfItsIdAndItsIdIsNeverShown() {
		this.contextRunner.run((first) -> this.contextRunner.run((second) -> {
			awaitMembers(first, 2);
			String id = createSessions(first, 1).get(0);
			String idFingerprint = SessionIdFingerprint.of(id);

			CopyDescriptor byId = endpoint(second).session(id, null, null);
			CopyDescriptor byFingerprint = endpoint(second).session(idFingerprint, null, null);
			CopyDescriptor cluster = endpoint(second).session(idFingerprint, true, null);

			assertThat(byFingerprint).isEqualTo(byId);
			assertThat(byFingerprint.idFingerprint()).isEqualTo(idFingerprint);
			assertThat(byFingerprint.held()).isTrue();
			assertThat(cluster.cluster()).hasSize(2).allSatisfy((copy) -> assertThat(copy.held()).isTrue());
			assertThat(List.of(byId, byFingerprint, cluster))
				.allSatisfy((copy) -> assertThat(json(copy)).contains("\"idFingerprint\":\"" + idFingerprint + "\"")
					.doesNotContain(id));
		}));
	}

	@Test
	void fingerprintOfASessionThatThisMemberDoesNotHoldIsAnsweredAsNotHeldWithoutAskingTheCluster() {
		WebApplicationContextRunner runner = this.contextRunner
			.withPropertyValues("session.replication.mode=primary-backup");
		runner.run((first) -> runner.run((second) -> runner.run((third) -> {
			List<AssertableWebApplicationContext> members = List.of(first, second, third);
			members.forEach((member) -> awaitMembers(member, 3));
			String id = createSessions(first, 1).get(0);
			String idFingerprint = SessionIdFingerprint.of(id);
			SessionReplicationEndpoint owner = members.stream()
				.map(SessionReplicationEndpointAutoConfigurationTests::endpoint)
				.filter((endpoint) -> endpoint.session(id, null, null).held())
				.findFirst()
				.orElseThrow();
			SessionReplicationEndpoint other = members.stream()
				.map(SessionReplicationEndpointAutoConfigurationTests::endpoint)
				.filter((endpoint) -> !endpoint.session(id, null, null).held())
				.findFirst()
				.orElseThrow();
			long payloadsBefore = other.member().traffic().payloadsSent();

			CopyDescriptor notHere = other.session(idFingerprint, true, null);

			assertThat(notHere.idFingerprint()).isEqualTo(idFingerprint);
			assertThat(notHere.held()).isFalse();
			assertThat(notHere.owner()).isFalse();
			assertThat(notHere.role()).isNull();
			assertThat(notHere.cluster()).isNull();
			assertThat(other.member().traffic().payloadsSent()).isEqualTo(payloadsBefore);
			assertThat(owner.session(idFingerprint, true, null).cluster()).hasSize(3)
				.filteredOn(MemberCopyDescriptor::held)
				.hasSize(2);
		})));
	}

	@Test
	void fingerprintThatMatchesSeveralSessionsOfThisMemberIsRefused() {
		this.contextRunner.run((context) -> {
			// the first two of session-0, session-1, ... whose fingerprints are equal
			List<String> ids = List.of("session-16250", "session-52884");
			assertThat(ids).extracting(SessionIdFingerprint::of).containsOnly("7fe45228");
			ReplicatedSessionRepository repository = context.getBean(ReplicatedSessionRepository.class);
			Iterator<String> next = ids.iterator();
			repository.setSessionIdGenerator(next::next);
			ids.forEach((id) -> repository.save(repository.createSession()));

			assertThatExceptionOfType(InvalidEndpointRequestException.class)
				.isThrownBy(() -> endpoint(context).session("7fe45228", null, null))
				.withMessageContaining("matches 2 sessions")
				.withMessageNotContaining(ids.get(0))
				.withMessageNotContaining(ids.get(1));
			assertThat(endpoint(context).session(ids.get(1), null, null).held()).isTrue();
		});
	}

	/** The descriptor as the endpoint's web response shows it. */
	private static String json(CopyDescriptor copy) {
		return new JsonMapper().writeValueAsString(copy);
	}

	private static SessionReplicationEndpoint endpoint(AssertableWebApplicationContext context) {
		return context.getBean(SessionReplicationEndpoint.class);
	}

}
