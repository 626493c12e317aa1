package io.sessionreplication.autoconfigure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.sessionreplication.cluster.ClusterTransport;
import io.sessionreplication.testcluster.LoopbackPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Tests that common mistakes stop a real application at startup with a report that names
 * the culprit and the fix: Spring Boot's failure analysis, with this starter's analyzers
 * for a failed join and a bad JGroups stack, and Boot's own for bad property values.
 */
@ExtendWith(OutputCaptureExtension.class)
class SessionReplicationStartupFailureTests {

	@Test
	void aPortRangeWithNoFreePortNamesTheRangeAndTheProperties(CapturedOutput output) throws IOException {
		List<ServerSocket> taken = takeConsecutivePorts(3);
		try {
			int first = taken.get(0).getLocalPort();
			// the shipped stack, where these properties apply
			failToStart("session.replication.bind-port=" + first, "session.replication.port-range=2",
					"session.replication.member-name=blocked-member");
			assertThat(output).contains("APPLICATION FAILED TO START")
				.contains("Member blocked-member could not join the session replication cluster")
				.contains("No available port to bind to in range [" + first + " .. " + (first + 2) + "]")
				.contains("session.replication.bind-port and session.replication.port-range");
		}
		finally {
			for (ServerSocket socket : taken) {
				socket.close();
			}
		}
	}

	@Test
	void aBindAddressThisHostDoesNotHaveNamesTheProperty(CapturedOutput output) {
		// 192.0.2.1 is reserved for documentation (RFC 5737): no host has it, and binding
		// to it fails locally without sending anything
		failToStart("session.replication.bind-address=192.0.2.1", "session.replication.members=192.0.2.1:7800",
				"session.replication.insecure=true");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("The session replication properties do not make a valid JGroups stack")
			.contains("192.0.2.1 is not a valid address")
			.contains("Check session.replication.bind-address")
			.doesNotContain("remove session.replication.jgroups.config");
	}

	@Test
	void aNonLoopbackAddressWithoutTlsNamesTheSslBundleAndTheOptOut(CapturedOutput output) {
		// checked before anything binds: no socket is opened on 192.0.2.1 (see above)
		failToStart("session.replication.bind-address=192.0.2.1", "session.replication.members=192.0.2.1:7800");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Session replication would listen on 192.0.2.1, off loopback, without TLS")
			.contains("session.replication.ssl.bundle")
			.contains("session.replication.insecure=true");
	}

	@Test
	void aBindAddressOffLoopbackWithNoDiscoveryAsksForOne(CapturedOutput output) {
		failToStart("session.replication.bind-address=192.0.2.1", "session.replication.insecure=true");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("session.replication.bind-address")
			.contains("off loopback, tell how to find the members on the other hosts")
			.contains("session.replication.discovery to static");
	}

	@Test
	void discoveryPropertiesThatContradictEachOtherAreNamed(CapturedOutput output) {
		failToStart("session.replication.discovery=dns", "session.replication.dns.query=members.example",
				"session.replication.members=127.0.0.1:7800");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("session.replication.members")
			.contains("it does not apply to session.replication.discovery=dns");
	}

	@Test
	void aStackOfTheUsersOwnOnEveryInterfaceWithoutTlsIsRefusedToo(CapturedOutput output) {
		failToStart("session.replication.jgroups.config=classpath:wildcard-stack.xml");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Session replication would listen on 0.0.0.0")
			.contains("session.replication.ssl.bundle");
	}

	@Test
	void aStackOfTheUsersOwnWhoseSocketsCannotAllUseTlsIsRefused(CapturedOutput output) {
		failToStart("session.replication.jgroups.config=classpath:test-stack.xml",
				"session.replication.ssl.bundle=member",
				"spring.ssl.bundle.pem.member.keystore.certificate=classpath:tls/member-a.crt",
				"spring.ssl.bundle.pem.member.keystore.private-key=classpath:tls/member-a.key",
				"spring.ssl.bundle.pem.member.truststore.certificate=classpath:tls/cluster-ca.crt");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("(session.replication.jgroups.config) is not valid: it cannot use TLS: "
					+ "FD_SOCK2 opens sockets without TLS");
	}

	@Test
	void anSslBundleThatDoesNotExistNamesThePropertyAndTheBundles(CapturedOutput output) {
		failToStart("session.replication.ssl.bundle=clustre",
				"spring.ssl.bundle.pem.cluster.keystore.certificate=classpath:tls/member-a.crt",
				"spring.ssl.bundle.pem.cluster.keystore.private-key=classpath:tls/member-a.key",
				"spring.ssl.bundle.pem.cluster.truststore.certificate=classpath:tls/cluster-ca.crt");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("session.replication.ssl.bundle")
			.contains("clustre")
			.contains("no SSL bundle of that name is defined")
			.contains("the bundles are [cluster]");
	}

	@Test
	void aMemberNameAlreadyInTheClusterIsRefused(CapturedOutput output) {
		int port = LoopbackPorts.freeRange(2);
		String[] cluster = { "server.address=127.0.0.1", "server.port=0",
				"session.replication.cluster-name=duplicate-" + UUID.randomUUID(),
				"session.replication.bind-port=" + port, "session.replication.port-range=1",
				"session.replication.member-name=twin" };
		try (ConfigurableApplicationContext first = new SpringApplicationBuilder(TestApplication.class)
			.properties(cluster)
			.run()) {
			assertThatException().isThrownBy(
					() -> new SpringApplicationBuilder(TestApplication.class).properties(cluster).run().close());
			assertThat(output).contains("APPLICATION FAILED TO START")
				.contains("Member twin could not join the session replication cluster")
				.contains("is already named twin")
				.contains("session.replication.member-name");
			assertThat(first.getBean(ClusterTransport.class).members()).containsExactly("twin");
		}
	}

	@Test
	void aStackThatCannotReplicateNamesTheStackAndWhatItLacks(CapturedOutput output) {
		failToStart("session.replication.jgroups.config=classpath:stack-without-gms.xml");
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("stack-without-gms.xml] (session.replication.jgroups.config) is not valid: it has no pbcast.GMS")
			.contains("remove session.replication.jgroups.config");
	}

	@Test
	void aMissingStackFileNamesTheFile(CapturedOutput output) {
		failToStart("session.replication.jgroups.config=classpath:no-such-stack.xml");
		assertThat(output).contains("no-such-stack.xml] (session.replication.jgroups.config) is not valid")
			.contains("it cannot be read");
	}

	@Test
	void anUnknownModeListsTheModes(CapturedOutput output) {
		failToStart("session.replication.jgroups.config=classpath:test-stack.xml", "session.replication.mode=ring");
		assertThat(output).contains("session.replication.mode")
			.contains("ring")
			.contains("ALL_TO_ALL")
			.contains("PRIMARY_BACKUP");
	}

	@Test
	void aBackupCountBelowOneSaysWhy(CapturedOutput output) {
		failToStart("session.replication.jgroups.config=classpath:test-stack.xml",
				"session.replication.mode=primary-backup", "session.replication.backup-count=0");
		assertThat(output).contains("session.replication.backup-count").contains("a session needs at least one backup");
	}

	private static void failToStart(String... properties) {
		List<String> all = new ArrayList<>(List.of("server.address=127.0.0.1", "server.port=0",
				"session.replication.cluster-name=startup-failure-" + UUID.randomUUID()));
		all.addAll(List.of(properties));
		assertThatException()
			.isThrownBy(() -> new SpringApplicationBuilder(TestApplication.class).properties(all.toArray(String[]::new))
				.run()
				.close());
	}

	/**
	 * Listen on {@code count} consecutive ports of 127.0.0.1, at most 20 tries.
	 */
	private static List<ServerSocket> takeConsecutivePorts(int count) throws IOException {
		InetAddress loopback = InetAddress.getByName("127.0.0.1");
		for (int attempt = 0; attempt < 20; attempt++) {
			List<ServerSocket> sockets = new ArrayList<>();
			sockets.add(new ServerSocket(0, 50, loopback));
			int first = sockets.get(0).getLocalPort();
			try {
				for (int port = first + 1; port < first + count; port++) {
					sockets.add(new ServerSocket(port, 50, loopback));
				}
				return sockets;
			}
			catch (IOException ex) {
				for (ServerSocket socket : sockets) {
					socket.close();
				}
			}
		}
		throw new IllegalStateException("Found no " + count + " free consecutive ports on 127.0.0.1 in 20 tries");
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

	}

}
