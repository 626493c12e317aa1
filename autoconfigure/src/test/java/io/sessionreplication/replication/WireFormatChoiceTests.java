package io.sessionreplication.replication;

import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.sessionreplication.cluster.ClusterReceiver;
import io.sessionreplication.cluster.WireFormats;
import io.sessionreplication.cluster.jgroups.JGroupsChannelFactory;
import io.sessionreplication.cluster.jgroups.JGroupsClusterTransport;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link WireFormatChoice} on real JGroups members in one JVM, each announcing
 * formats of its own: the newest format that every member speaks is chosen, a member that
 * announces nothing counts as speaking format 3, and a member that shares no format is
 * named in an error and left out.
 */
@ExtendWith(OutputCaptureExtension.class)
class WireFormatChoiceTests {

	private static final WireFormats THIS_RELEASE = new WireFormats(3, 4);

	private final String clusterName = "formats-" + UUID.randomUUID();

	private final List<JGroupsClusterTransport> transports = new ArrayList<>();

	@AfterEach
	void leave() {
		this.transports.forEach(JGroupsClusterTransport::leave);
	}

	@Test
	void newestFormatThatEveryMemberSpeaksIsChosen() {
		JGroupsClusterTransport self = join("node-1", THIS_RELEASE);
		WireFormatChoice choice = new WireFormatChoice(self, THIS_RELEASE);
		assertThat(choice.format()).isEqualTo(4);

		join("node-2", THIS_RELEASE);
		awaitMembers(self, 2);
		assertThat(choice.format()).isEqualTo(4);

		join("node-3", new WireFormats(2, 3));
		awaitMembers(self, 3);
		assertThat(choice.format()).isEqualTo(3);
	}

	@Test
	void memberThatAnnouncesNothingSpeaksFormat3AndTheChoiceNamesIt(CapturedOutput output) {
		JGroupsClusterTransport self = join("node-1", THIS_RELEASE);
		join("node-2", THIS_RELEASE);
		join("node-3", null);
		awaitMembers(self, 3);

		assertThat(new WireFormatChoice(self, THIS_RELEASE).format()).isEqualTo(3);
		assertThat(output).contains("Sending wire format 3 to cluster '" + this.clusterName
				+ "': member(s) [node-3] speak no newer format than it");
	}

	@Test
	void memberThatSharesNoFormatIsNamedInAnErrorAndLeftOut(CapturedOutput output) {
		JGroupsClusterTransport self = join("node-1", THIS_RELEASE);
		join("node-2", new WireFormats(5, 6));
		awaitMembers(self, 2);

		assertThat(new WireFormatChoice(self, THIS_RELEASE).format()).isEqualTo(4);
		assertThat(output).contains("ERROR")
			.contains("Member(s) [node-2 (5 to 6)] of cluster '" + this.clusterName
					+ "' speak no wire format in common with this member (3 to 4)");
	}

	private JGroupsClusterTransport join(String name, @Nullable WireFormats formats) {
		JGroupsChannelFactory factory = new JGroupsChannelFactory();
		factory.setConfig(new ClassPathResource("test-stack.xml"));
		JGroupsClusterTransport transport = new JGroupsClusterTransport(factory.createChannel(name), this.clusterName,
				formats);
		this.transports.add(transport);
		transport.join(new IdleReceiver(), Duration.ofSeconds(10));
		return transport;
	}

	private static void awaitMembers(JGroupsClusterTransport transport, int count) {
		await().atMost(Duration.ofSeconds(10)).until(() -> transport.members().size() == count);
	}

	/** A member that receives nothing and has no state. */
	private static final class IdleReceiver implements ClusterReceiver {

		@Override
		public CompletionStage<byte @Nullable []> receive(byte[] payload, String sender) {
			return CompletableFuture.completedStage(null);
		}

		@Override
		public void writeState(OutputStream out) {
		}

		@Override
		public void readState(InputStream in) {
		}

	}

}
