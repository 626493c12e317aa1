package io.sessionreplication.autoconfigure;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.sessionreplication.cluster.ClusterTransport;
import io.sessionreplication.session.ReplicatedSessionRepository;
import io.sessionreplication.store.SessionStore;
import io.sessionreplication.testcluster.LoopbackPorts;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.session.Session;

import static io.sessionreplication.autoconfigure.MemberContexts.awaitMembers;
import static io.sessionreplication.autoconfigure.MemberContexts.createSessions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Members that secure their traffic with mutual TLS from Spring Boot SSL bundles (PEM and
 * JKS), on the shipped stack, on 127.0.0.1: they form a cluster and replicate, and
 * processes without a certificate the cluster's CA signed never get in. The certificates
 * are in {@code src/test/resources/tls}, made by {@code make-certificates.sh} there.
 */
class ClusterTlsTests {

	private static final String TLS = "classpath:tls/";

	private final int basePort = LoopbackPorts.freeRange(6);

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SessionReplicationAutoConfiguration.class,
				SessionAutoConfiguration.class, SslAutoConfiguration.class))
		.withPropertyValues("session.replication.cluster-name=tls-" + UUID.randomUUID(),
				"session.replication.bind-port=" + this.basePort, "session.replication.port-range=5",
				// what the members use
				"spring.ssl.bundle.pem.member-a.keystore.certificate=" + TLS + "member-a.crt",
				"spring.ssl.bundle.pem.member-a.keystore.private-key=" + TLS + "member-a.key",
				"spring.ssl.bundle.pem.member-a.truststore.certificate=" + TLS + "cluster-ca.crt",
				"spring.ssl.bundle.jks.member-b.key.alias=member",
				"spring.ssl.bundle.jks.member-b.keystore.location=" + TLS + "member-b.jks",
				"spring.ssl.bundle.jks.member-b.keystore.password=secret",
				"spring.ssl.bundle.jks.member-b.keystore.type=JKS",
				"spring.ssl.bundle.jks.member-b.truststore.location=" + TLS + "cluster-truststore.jks",
				"spring.ssl.bundle.jks.member-b.truststore.password=secret",
				"spring.ssl.bundle.jks.member-b.truststore.type=JKS",
				// what the intruders use: a certificate of another CA, no certificate at
				// all
				"spring.ssl.bundle.pem.other-ca.keystore.certificate=" + TLS + "intruder.crt",
				"spring.ssl.bundle.pem.other-ca.keystore.private-key=" + TLS + "intruder.key",
				"spring.ssl.bundle.pem.other-ca.truststore.certificate=" + TLS + "cluster-ca.crt",
				"spring.ssl.bundle.pem.no-key.truststore.certificate=" + TLS + "cluster-ca.crt");

	private final WebApplicationContextRunner pemMember = this.contextRunner
		.withPropertyValues("session.replication.ssl.bundle=member-a");

	private final WebApplicationContextRunner jksMember = this.contextRunner
		.withPropertyValues("session.replication.ssl.bundle=member-b");

	@Test
	void membersWithPemAndJksBundlesFormAClusterAndReplicate() {
		this.pemMember.withPropertyValues("session.replication.member-name=pem").run((pem) -> {
			assertThat(pem).hasNotFailed();
			this.jksMember.withPropertyValues("session.replication.member-name=jks").run((jks) -> {
				assertThat(jks).hasNotFailed();
				awaitMembers(pem, 2);
				String id = createSessions(pem, 1).get(0);
				Session copy = jks.getBean(ReplicatedSessionRepository.class).findById(id);
				assertThat(copy).isNotNull();
				assertThat((String) copy.getAttribute("user")).isEqualTo("user-0");
			});
		});
	}

	@Test
	void intrudersWithoutACertificateOfTheClusterNeverJoinNorReceiveASession() {
		this.pemMember.run((first) -> this.jksMember.run((second) -> {
			awaitMembers(first, 2);
			createSessions(first, 3);
			ClusterTransport firstTransport = first.getBean(ClusterTransport.class);
			String view = firstTransport.viewId();
			List<String> members = firstTransport.members();

			intrude(this.contextRunner.withPropertyValues("session.replication.ssl.bundle=other-ca"), first, second);
			intrude(this.contextRunner.withPropertyValues("session.replication.ssl.bundle=no-key"), first, second);
			intrude(this.contextRunner, first, second);

			assertThat(firstTransport.viewId()).isEqualTo(view);
			assertThat(firstTransport.members()).isEqualTo(members);
			assertThat(second.getBean(ClusterTransport.class).members()).isEqualTo(members);
		}));
	}

	/**
	 * Start an intruder that knows the cluster's name and ports, and check that it ends
	 * up alone, with no session, while the members keep their view.
	 */
	private void intrude(WebApplicationContextRunner intruder, AssertableWebApplicationContext... members) {
		intruder.withPropertyValues("session.replication.member-name=intruder").run((context) -> {
			assertThat(context).hasNotFailed();
			ClusterTransport transport = context.getBean(ClusterTransport.class);
			// discovery runs for the whole join timeout: give the members as long again
			// to
			// let it in, if they would
			await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> {
				for (AssertableWebApplicationContext member : members) {
					if (member.getBean(ClusterTransport.class).members().contains("intruder")) {
						return false;
					}
				}
				return transport.members().equals(List.of("intruder"));
			});
			assertThat(context.getBean(SessionStore.class).size()).isZero();
		});
	}

}
