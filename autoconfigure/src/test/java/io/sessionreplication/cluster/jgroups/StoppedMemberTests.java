package io.sessionreplication.cluster.jgroups;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.sessionreplication.cluster.Acknowledgements;
import io.sessionreplication.cluster.jgroups.JGroupsClusterTransportTests.RecordingReceiver;
import io.sessionreplication.testcluster.LoopbackPorts;
import org.jgroups.JChannel;
import org.jgroups.protocols.TCP;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests, with real channels on 127.0.0.1, that a member which stops reading from its
 * connections, as a stopped process (SIGSTOP, a long pause) does, holds up only what is
 * sent to it: a member whose TCP window towards it is full still reaches the others. Here
 * the "stopped" member's receiving thread blocks in the receiver, and its socket buffers
 * are made small so that its window fills within a few payloads.
 */
class StoppedMemberTests {

	private static final int BUFFER = 64 * 1024;

	private final List<JGroupsClusterTransport> transports = new ArrayList<>();

	private final String clusterName = "stopped-member-" + UUID.randomUUID();

	private final BlockingReceiver stopped = new BlockingReceiver();

	@AfterEach
	void leave() {
		this.stopped.release.countDown();
		this.transports.forEach(JGroupsClusterTransport::leave);
	}

	@Test
	void memberWithAFullWindowTowardsAStoppedMemberStillReachesTheOthers() throws Exception {
		JGroupsChannelFactory factory = new JGroupsChannelFactory();
		factory.setBindPort(LoopbackPorts.freeRange(3));
		factory.setPortRange(2);
		JGroupsClusterTransport sender = join(smallBuffers(factory.createChannel("sender")), new RecordingReceiver());
		join(smallBuffers(factory.createChannel("stopped")), this.stopped);
		JGroupsClusterTransport other = join(factory.createChannel("other"), new RecordingReceiver());
		await().atMost(Duration.ofSeconds(15)).until(() -> sender.members().size() == 3 && other.members().size() == 3);

		Thread filler = new Thread(() -> {
			byte[] payload = new byte[60 * 1024];
			// far more than the stopped member's buffers: the rest waits in the sender
			for (int i = 0; i < 200 && !Thread.currentThread().isInterrupted(); i++) {
				sender.send(payload, List.of("stopped"));
			}
		}, "filler");
		filler.setDaemon(true);
		filler.start();
		try {
			assertThat(this.stopped.blocked.await(15, TimeUnit.SECONDS)).isTrue();
			// long enough for the payloads to fill both sockets' buffers
			Thread.sleep(1000);

			Acknowledgements acknowledgements = sender.sendAndAwait(new byte[] { 1 }, List.of("other"),
					Duration.ofSeconds(5));
			assertThat(acknowledgements.handled()).containsExactly("other");
			assertThat(acknowledgements.missing()).isEmpty();
		}
		finally {
			filler.interrupt();
		}
	}

	private static JChannel smallBuffers(JChannel channel) {
		TCP tcp = channel.getProtocolStack().findProtocol(TCP.class);
		tcp.setValue("recv_buf_size", BUFFER);
		tcp.setValue("send_buf_size", BUFFER);
		return channel;
	}

	private JGroupsClusterTransport join(JChannel channel, RecordingReceiver receiver) {
		JGroupsClusterTransport transport = new JGroupsClusterTransport(channel, this.clusterName);
		this.transports.add(transport);
		transport.join(receiver, Duration.ofSeconds(10));
		return transport;
	}

	/**
	 * Blocks the thread that delivers the first payload until released, as a stopped
	 * process would.
	 */
	static final class BlockingReceiver extends RecordingReceiver {

		final CountDownLatch blocked = new CountDownLatch(1);

		final CountDownLatch release = new CountDownLatch(1);

		@Override
		public CompletionStage<byte[]> receive(byte[] payload, String sender) {
			this.blocked.countDown();
			try {
				this.release.await(60, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return super.receive(payload, sender);
		}

	}

}
