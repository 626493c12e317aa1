package io.sessionreplication.autoconfigure;

import java.net.InetAddress;
import java.time.Duration;
import java.util.UUID;

import io.sessionreplication.session.ReplicatedSessionRepository;
import io.sessionreplication.testcluster.Canary;
import io.sessionreplication.testcluster.LoopbackPorts;
import org.jgroups.ObjectMessage;
import org.jgroups.blocks.cs.TcpClient;
import org.jgroups.util.ByteArrayDataOutputStream;
import org.jgroups.util.Util;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static io.sessionreplication.autoconfigure.MemberContexts.awaitMembers;
import static io.sessionreplication.autoconfigure.MemberContexts.createSessions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A process that is not a member connects to a member's cluster port with a plain TCP
 * client and sends a JGroups message whose payload is a Java-serialized object: a canary
 * whose {@code readObject} counts its runs, as a gadget's would do harm. JGroups reads
 * such a payload in its transport, before any membership check. On a default member
 * (loopback, no TLS) the deserialization filter refuses it, and the member keeps
 * replicating; on a member with TLS, the client is cut off in the handshake.
 */
class DeserializationCanaryTests {

	private final int basePort = LoopbackPorts.freeRange(3);

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SessionReplicationAutoConfiguration.class,
				SessionAutoConfiguration.class, SslAutoConfiguration.class))
		.withPropertyValues("session.replication.cluster-name=canary-" + UUID.randomUUID(),
				"session.replication.bind-port=" + this.basePort, "session.replication.port-range=2");

	@BeforeEach
	void resetCanary() {
		Canary.runs.set(0);
	}

	@Test
	void aDefaultMemberNeverDeserializesWhatAStrangerSendsAndKeepsReplicating() {
		this.contextRunner.run((first) -> this.contextRunner.run((second) -> {
			awaitMembers(first, 2);
			TcpClient stranger = sendCanary(this.basePort);
			try {
				await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3)).until(() -> Canary.runs.get() == 0);
			}
			finally {
				stranger.close(false);
			}
			String id = createSessions(second, 1).get(0);
			assertThat(first.getBean(ReplicatedSessionRepository.class).findById(id)).isNotNull();
		}));
	}

	@Test
	void aMemberWithTlsCutsTheStrangerOffInTheHandshake() {
		this.contextRunner
			.withPropertyValues("session.replication.ssl.bundle=member",
					"spring.ssl.bundle.pem.member.keystore.certificate=classpath:tls/member-a.crt",
					"spring.ssl.bundle.pem.member.keystore.private-key=classpath:tls/member-a.key",
					"spring.ssl.bundle.pem.member.truststore.certificate=classpath:tls/cluster-ca.crt")
			.run((member) -> {
				assertThat(member).hasNotFailed();
				TcpClient stranger = sendCanary(this.basePort);
				try {
					await().atMost(Duration.ofSeconds(5)).until(() -> !stranger.isConnected());
					assertThat(Canary.runs).hasValue(0);
				}
				finally {
					stranger.close(false);
				}
			});
	}

	/**
	 * Connect to a port of 127.0.0.1 as JGroups' own TCP client would, and send one
	 * message carrying a {@link Canary}.
	 */
	private static TcpClient sendCanary(int port) throws Exception {
		InetAddress loopback = InetAddress.getLoopbackAddress();
		TcpClient client = new TcpClient(loopback, 0, loopback, port);
		// like a member: introduce itself with JGroups' cookie and an address
		client.usePeerConnections(true);
		client.start();
		ByteArrayDataOutputStream out = new ByteArrayDataOutputStream(256);
		Util.writeMessage(new ObjectMessage(null, new Canary()), out, true);
		client.send(out.buffer(), 0, out.position());
		return client;
	}

}
