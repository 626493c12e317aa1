package io.sessionreplication.cluster.jgroups;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.sessionreplication.cluster.Acknowledgements;
import io.sessionreplication.cluster.jgroups.JGroupsClusterTransportTests.RecordingReceiver;
import io.sessionreplication.testcluster.LoopbackPorts;
import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.JChannel;
import org.jgroups.protocols.VERIFY_SUSPECT2;
import org.jgroups.util.Util;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests of {@link CrashWatch} and {@link PendingRequests} in the transport, with real
 * channels on 127.0.0.1: a request stops waiting for a member once its process is gone,
 * before the view changes, and never for a suspected member that lives. The stack's
 * verification of suspicions is made to take 60 s here, so that a request that waited for
 * the view change would not return within the tests' bounds.
 */
class CrashWatchTests {

	private static final Duration ACK_TIMEOUT = Duration.ofSeconds(45);

	private final List<JGroupsClusterTransport> transports = new ArrayList<>();

	private final String clusterName = "crash-watch-" + UUID.randomUUID();

	@AfterEach
	void leave() {
		this.transports.forEach(JGroupsClusterTransport::leave);
	}

	/**
	 * The member's process "crashes": its channel shuts down without leaving, its sockets
	 * close, and its port refuses connections, as after a {@code kill -9}. A request that
	 * waited for it returns with it missing, and so does one sent after, while it is
	 * still in the view.
	 */
	@Test
	void requestStopsWaitingForAMemberWhoseProcessIsGoneBeforeTheViewChanges() throws Exception {
		JGroupsChannelFactory factory = factory();
		JGroupsClusterTransport sender = join(slowVerification(factory.createChannel("sender")),
				new RecordingReceiver());
		HoldingReceiver holder = new HoldingReceiver();
		JChannel crashingChannel = factory.createChannel("crashing");
		join(crashingChannel, holder);
		await().atMost(Duration.ofSeconds(15)).until(() -> sender.members().size() == 2);
		String view = sender.viewId();

		CompletableFuture<Acknowledgements> waiting = CompletableFuture
			.supplyAsync(() -> sender.sendAndAwait(new byte[] { 1 }, ACK_TIMEOUT));
		assertThat(holder.received.await(15, TimeUnit.SECONDS)).isTrue();
		Util.shutdown(crashingChannel);

		assertThat(waiting.get(15, TimeUnit.SECONDS).missing()).containsExactly("crashing");
		CompletableFuture<Acknowledgements> after = CompletableFuture
			.supplyAsync(() -> sender.sendAndAwait(new byte[] { 2 }, ACK_TIMEOUT));
		assertThat(after.get(15, TimeUnit.SECONDS).missing()).containsExactly("crashing");
		assertThat(sender.viewId()).as("the view is the same: the crashed member is not excluded yet").isEqualTo(view);
		assertThat(sender.members()).containsExactly("sender", "crashing");
	}

	/**
	 * Of three members, the one that is neither the coordinator nor the crashed member's
	 * neighbour in the failure detection is not told of the suspicion: it sees only its
	 * connection to the crashed member close. Its request stops waiting for the crashed
	 * member too, before the view changes.
	 */
	@Test
	void requestOfAMemberThatIsNotTheCoordinatorStopsWaitingForACrashedMember() throws Exception {
		JGroupsChannelFactory factory = factory(3);
		JGroupsClusterTransport coordinator = join(slowVerification(factory.createChannel("coordinator")),
				new RecordingReceiver());
		HoldingReceiver holder = new HoldingReceiver();
		JChannel crashingChannel = factory.createChannel("crashing");
		join(crashingChannel, holder);
		JGroupsClusterTransport sender = join(slowVerification(factory.createChannel("sender")),
				new RecordingReceiver());
		await().atMost(Duration.ofSeconds(15))
			.until(() -> sender.members().size() == 3 && coordinator.members().size() == 3);
		assertThat(sender.members()).containsExactly("coordinator", "crashing", "sender");
		String view = sender.viewId();

		CompletableFuture<Acknowledgements> waiting = CompletableFuture
			.supplyAsync(() -> sender.sendAndAwait(new byte[] { 1 }, ACK_TIMEOUT));
		assertThat(holder.received.await(15, TimeUnit.SECONDS)).isTrue();
		Util.shutdown(crashingChannel, false); // its connections close without a goodbye,
												// as at a kill -9

		Acknowledgements acknowledgements = waiting.get(15, TimeUnit.SECONDS);
		assertThat(acknowledgements.missing()).containsExactly("crashing");
		assertThat(acknowledgements.handled()).containsExactly("coordinator");
		assertThat(sender.viewId()).as("the view is the same: the crashed member is not excluded yet").isEqualTo(view);
	}

	/**
	 * A member that is suspected while it lives (here the suspicion is raised by hand,
	 * while the member holds its answer) is still waited for: its answer counts, and it
	 * is not missing.
	 */
	@Test
	void suspectedMemberThatLivesIsWaitedFor() throws Exception {
		JGroupsChannelFactory factory = factory();
		JChannel senderChannel = slowVerification(factory.createChannel("sender"));
		JGroupsClusterTransport sender = join(senderChannel, new RecordingReceiver());
		HoldingReceiver holder = new HoldingReceiver();
		JChannel liveChannel = factory.createChannel("live");
		join(liveChannel, holder);
		await().atMost(Duration.ofSeconds(15)).until(() -> sender.members().size() == 2);

		CompletableFuture<Acknowledgements> waiting = CompletableFuture
			.supplyAsync(() -> sender.sendAndAwait(new byte[] { 1 }, ACK_TIMEOUT));
		assertThat(holder.received.await(15, TimeUnit.SECONDS)).isTrue();
		Address live = liveChannel.getAddress();
		CrashWatch watch = senderChannel.getProtocolStack().findProtocol(CrashWatch.class);
		watch.up(new Event(Event.SUSPECT, List.of(live)));
		// long enough for the probe to connect (or, were it wrong, to end the wait)
		Thread.sleep(CrashWatch.PROBE_TIMEOUT.toMillis() + 500);
		assertThat(waiting).as("the request still waits for the live member").isNotDone();
		holder.answer.complete(null);

		Acknowledgements acknowledgements = waiting.get(15, TimeUnit.SECONDS);
		assertThat(acknowledgements.missing()).isEmpty();
		assertThat(acknowledgements.handled()).containsExactly("live");
	}

	@Test
	void probeSaysRefusedOnlyForAPortNobodyListensOn() throws Exception {
		InetSocketAddress closed;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closed = (InetSocketAddress) socket.getLocalSocketAddress();
		}
		assertThat(ConnectionProbe.refuses(closed, Duration.ofSeconds(2))).isTrue();
		try (ServerSocket listening = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			assertThat(ConnectionProbe.refuses((InetSocketAddress) listening.getLocalSocketAddress(),
					Duration.ofSeconds(2)))
				.isFalse();
		}
	}

	/**
	 * A port whose host does not answer in time (here a listening socket whose queue of
	 * connections not yet accepted is full, so the kernel drops further ones, as a
	 * partition would) confirms nothing.
	 */
	@Test
	void probeSaysNothingOfAPortThatDoesNotAnswerInTime() throws Exception {
		List<Socket> queued = new ArrayList<>();
		try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			InetSocketAddress address = (InetSocketAddress) full.getLocalSocketAddress();
			boolean timedOut = false;
			for (int i = 0; i < 16 && !timedOut; i++) {
				Socket socket = new Socket();
				queued.add(socket);
				try {
					socket.connect(address, 300);
				}
				catch (SocketTimeoutException ex) {
					timedOut = true;
				}
			}
			assertThat(timedOut).as("the queue of the listening socket filled up").isTrue();
			assertThat(ConnectionProbe.refuses(address, Duration.ofMillis(300))).isFalse();
		}
		finally {
			for (Socket socket : queued) {
				socket.close();
			}
		}
	}

	private static JGroupsChannelFactory factory() {
		return factory(2);
	}

	private static JGroupsChannelFactory factory(int members) {
		JGroupsChannelFactory factory = new JGroupsChannelFactory();
		factory.setBindPort(LoopbackPorts.freeRange(members));
		factory.setPortRange(members - 1);
		return factory;
	}

	private static JChannel slowVerification(JChannel channel) {
		channel.getProtocolStack().findProtocol(VERIFY_SUSPECT2.class).setValue("timeout", 60_000L);
		return channel;
	}

	private JGroupsClusterTransport join(JChannel channel, RecordingReceiver receiver) {
		JGroupsClusterTransport transport = new JGroupsClusterTransport(channel, this.clusterName);
		this.transports.add(transport);
		transport.join(receiver, Duration.ofSeconds(10));
		return transport;
	}

	/** Holds its answer to every payload until told to answer. */
	static final class HoldingReceiver extends RecordingReceiver {

		final CountDownLatch received = new CountDownLatch(1);

		final CompletableFuture<byte[]> answer = new CompletableFuture<>();

		@Override
		public CompletionStage<byte[]> receive(byte[] payload, String sender) {
			this.received.countDown();
			return this.answer;
		}

	}

}
