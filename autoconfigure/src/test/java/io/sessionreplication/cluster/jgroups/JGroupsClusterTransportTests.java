package io.sessionreplication.cluster.jgroups;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

import io.sessionreplication.cluster.Acknowledgements;
import io.sessionreplication.cluster.ClusterReceiver;
import io.sessionreplication.cluster.ClusterTransport.JoinResult;
import io.sessionreplication.cluster.MemberDiscovery;
import io.sessionreplication.testcluster.LoopbackPorts;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.Message;
import org.jgroups.conf.ClassConfigurator;
import org.jgroups.protocols.FD_SOCK;
import org.jgroups.protocols.FD_SOCK2;
import org.jgroups.protocols.PingHeader;
import org.jgroups.protocols.TCPPING;
import org.jgroups.stack.Protocol;
import org.jgroups.stack.ProtocolStack;
import org.jgroups.util.MessageBatch;
import org.jgroups.util.NameCache;
import org.jgroups.util.Util;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;
import static org.awaitility.Awaitility.await;

/**
 * Tests of {@link JGroupsClusterTransport} and {@link JGroupsChannelFactory} with real
 * channels on 127.0.0.1: the shipped stack's discovery, also when a request is lost, and
 * state transfer that does not finish in time.
 */
@ExtendWith(OutputCaptureExtension.class)
class JGroupsClusterTransportTests {

	private final List<JGroupsClusterTransport> transports = new ArrayList<>();

	private final String clusterName = "transport-" + UUID.randomUUID();

	@AfterEach
	void leave() {
		this.transports.forEach(JGroupsClusterTransport::leave);
	}

	@Test
	void shippedStackFindsMembersOnTheSameHostOverThePortRange() {
		int base = LoopbackPorts.freeRange(3);
		JGroupsChannelFactory factory = new JGroupsChannelFactory();
		factory.setBindPort(base);
		factory.setPortRange(2);

		JGroupsClusterTransport first = join(factory, "first", new RecordingReceiver());
		JGroupsClusterTransport second = join(factory, "second", new RecordingReceiver());

		await().atMost(Duration.ofSeconds(15)).until(() -> first.members().size() == 2);
		assertThat(second.members()).containsExactly("first", "second");
	}

	@Test
	void shippedStackFindsTheListedMembers() {
		int base = LoopbackPorts.freeRange(2);
		List<String> members = List.of("127.0.0.1:" + base, "127.0.0.1:" + (base + 1));
		JGroupsChannelFactory first = listing(members, base);
		JGroupsChannelFactory second = listing(members, base + 1);

		JGroupsClusterTransport one = join(first, "one", new RecordingReceiver());
		JGroupsClusterTransport two = join(second, "two", new RecordingReceiver());

		await().atMost(Duration.ofSeconds(15)).until(() -> one.members().size() == 2);
		assertThat(two.members()).containsExactly("one", "two");
	}

	/**
	 * A discovery request can be lost: a survivor that still retransmits to a crashed
	 * member connects to the member restarted on its port at the moment the restarted
	 * member connects to it, and JGroups keeps one of the two connections, dropping what
	 * the other carried. A lost request must not make the joiner a cluster of its own.
	 */
	@Test
	void shippedStackJoinsTheClusterWhenItsFirstDiscoveryRequestIsLost() {
		int base = LoopbackPorts.freeRange(2);
		JGroupsChannelFactory factory = new JGroupsChannelFactory();
		factory.setBindPort(base);
		factory.setPortRange(1);
		JChannel firstChannel = factory.createChannel("first");
		DropFirstDiscoveryRequest dropper = new DropFirstDiscoveryRequest();
		firstChannel.getProtocolStack()
			.insertProtocolInStack(dropper, firstChannel.getProtocolStack().getBottomProtocol(),
					ProtocolStack.Position.ABOVE);
		JGroupsClusterTransport first = new JGroupsClusterTransport(firstChannel, this.clusterName);
		this.transports.add(first);
		first.join(new RecordingReceiver(), Duration.ofSeconds(10));

		JGroupsClusterTransport second = join(factory, "second", new RecordingReceiver());

		assertThat(dropper.dropped).as("the first discovery request was dropped").isTrue();
		assertThat(second.members()).containsExactly("first", "second");
	}

	/**
	 * A coordinator can install a view with a joiner whose logical name it has not heard
	 * yet: members must not read names from JGroups' name cache, or they disagree on the
	 * members of the view, and so on the owners of sessions.
	 */
	@Test
	void memberNamesDoNotDependOnJGroupsNameCache() {
		JGroupsChannelFactory factory = new JGroupsChannelFactory();
		factory.setConfig(new ClassPathResource("test-stack.xml"));
		JChannel firstChannel = factory.createChannel("first");
		JChannel secondChannel = factory.createChannel("second");
		JGroupsClusterTransport first = join(firstChannel);
		JGroupsClusterTransport second = join(secondChannel);
		await().atMost(Duration.ofSeconds(15)).until(() -> first.members().size() == 2);

		UnheardNames.forget(List.of(firstChannel.getAddress(), secondChannel.getAddress()));

		assertThat(first.members()).containsExactly("first", "second");
		assertThat(second.members()).containsExactly("first", "second");
		assertThat(second.sendAndAwait(new byte[] { 1 }, List.of("first"), Duration.ofSeconds(5)).handled())
			.containsExactly("first");
	}

	@Test
	void joinThatDoesNotReceiveTheStateInTimeReportsItAndKeepsWhatArrived() {
		JGroupsChannelFactory factory = new JGroupsChannelFactory();
		factory.setConfig(new ClassPathResource("test-stack.xml"));
		RecordingReceiver slowProvider = new RecordingReceiver() {

			@Override
			public void writeState(OutputStream out) throws IOException {
				out.write(new byte[] { 1, 2, 3 });
				out.flush();
				await().pollDelay(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> true);
			}

		};
		join(factory, "provider", slowProvider);
		RecordingReceiver joiner = new RecordingReceiver();
		JGroupsClusterTransport transport = new JGroupsClusterTransport(factory.createChannel("joiner"),
				this.clusterName);
		this.transports.add(transport);

		JoinResult result = transport.join(joiner, Duration.ofMillis(500));

		assertThat(result.stateSource()).isEqualTo("provider");
		assertThat(result.complete()).isFalse();
		assertThat(transport.members()).containsExactly("provider", "joiner");
		await().atMost(Duration.ofSeconds(10)).until(() -> joiner.stateBytes.size() >= 3);
		assertThat(joiner.stateBytes.subList(0, 3)).containsExactly(1, 2, 3);
	}

	/**
	 * A receiver's failure travels back as bytes of the transport's own, not as a
	 * Java-serialized exception: the sender, whose JGroups deserializes nothing, still
	 * learns why, and a request's caller gets no reply from that member.
	 */
	@Test
	void aReceiversFailureReachesTheSenderWithoutJavaSerialization(CapturedOutput output) {
		JGroupsChannelFactory factory = new JGroupsChannelFactory();
		factory.setConfig(new ClassPathResource("test-stack.xml"));
		join(factory, "failing", new RecordingReceiver() {

			@Override
			public CompletionStage<byte[]> receive(byte[] payload, String sender) {
				return CompletableFuture.failedStage(new IllegalStateException("cannot apply\nthat"));
			}

		});
		join(factory, "replying", new RecordingReceiver() {

			@Override
			public CompletionStage<byte[]> receive(byte[] payload, String sender) {
				return CompletableFuture.completedStage(new byte[] { 7, 8 });
			}

		});
		JGroupsClusterTransport sender = join(factory, "sender", new RecordingReceiver());
		await().atMost(Duration.ofSeconds(15)).until(() -> sender.members().size() == 3);

		Acknowledgements acknowledgements = sender.sendAndAwait(new byte[] { 1 }, Duration.ofSeconds(5));
		assertThat(acknowledgements.missing()).isEmpty();
		assertThat(acknowledgements.handled()).containsExactly("replying");
		assertThat(acknowledgements.replies()).containsOnlyKeys("replying");
		assertThat(acknowledgements.failed())
			.containsExactly(entry("failing", "IllegalStateException: cannot apply?that"));
		assertThat(sender.sendAndAwait(new byte[] { 1 }, List.of("replying", "gone"), Duration.ofSeconds(5)).missing())
			.as("a member not in the view")
			.containsExactly("gone");
		Map<String, byte[]> replies = sender.request(new byte[] { 1 }, List.of("failing", "replying"),
				Duration.ofSeconds(5));

		assertThat(replies).containsOnlyKeys("replying");
		assertThat(replies.get("replying")).containsExactly(7, 8);
		assertThat(output)
			.contains("Member failing failed to handle a replication message: "
					+ "IllegalStateException: cannot apply?that")
			.doesNotContain("REJECTED");
	}

	/**
	 * With TLS, the shipped stack detects a crashed member through sockets of the
	 * transport ({@code FD_SOCK}), which carry TLS, instead of {@code FD_SOCK2}'s plain
	 * ones; and it detects it as fast: well before {@code FD_ALL3}'s 15 s.
	 */
	@Test
	void withTlsTheShippedStackDetectsACrashOverSocketsThatUseTls() throws Exception {
		int base = LoopbackPorts.freeRange(3);
		JGroupsChannelFactory factory = new JGroupsChannelFactory();
		factory.setBindPort(base);
		factory.setPortRange(2);
		factory.setTls(TestTls.memberContext(), new String[] { "TLSv1.3" }, null);
		JChannel crashingChannel = factory.createChannel("crashing");
		Protocol plainSockets = crashingChannel.getProtocolStack().findProtocol(FD_SOCK2.class);
		Protocol transportSockets = crashingChannel.getProtocolStack().findProtocol(FD_SOCK.class);
		assertThat(plainSockets).isNull();
		assertThat(transportSockets).isNotNull();
		// on the ports FD_SOCK2 would take: those to open stay the same with TLS
		assertThat(((FD_SOCK) transportSockets).getStartPort()).isEqualTo(base + 100);
		assertThat(((FD_SOCK) transportSockets).getPortRange()).isEqualTo(2 + 3);
		JGroupsClusterTransport crashing = new JGroupsClusterTransport(crashingChannel, this.clusterName);
		crashing.join(new RecordingReceiver(), Duration.ofSeconds(10));
		JGroupsClusterTransport survivor = join(factory, "survivor", new RecordingReceiver());
		await().atMost(Duration.ofSeconds(15)).until(() -> survivor.members().size() == 2);

		Util.shutdown(crashingChannel);

		await().atMost(Duration.ofSeconds(8)).until(() -> survivor.members().equals(List.of("survivor")));
	}

	private JGroupsChannelFactory listing(List<String> members, int bindPort) {
		JGroupsChannelFactory factory = new JGroupsChannelFactory();
		factory.setBindPort(bindPort);
		factory.setPortRange(0);
		factory.setDiscovery(MemberDiscovery.STATIC);
		factory.setMembers(members);
		return factory;
	}

	private JGroupsClusterTransport join(JChannel channel) {
		JGroupsClusterTransport transport = new JGroupsClusterTransport(channel, this.clusterName);
		this.transports.add(transport);
		transport.join(new RecordingReceiver(), Duration.ofSeconds(10));
		return transport;
	}

	private JGroupsClusterTransport join(JGroupsChannelFactory factory, String name, ClusterReceiver receiver) {
		JGroupsClusterTransport transport = new JGroupsClusterTransport(factory.createChannel(name), this.clusterName);
		this.transports.add(transport);
		transport.join(receiver, Duration.ofSeconds(10));
		return transport;
	}

	/** Removes names from JGroups' name cache, as a member that never heard them. */
	static final class UnheardNames extends NameCache {

		static void forget(List<Address> members) {
			cache.removeAll(members, true);
		}

	}

	/** Drops the first discovery request that reaches the member, as a lost one. */
	static class DropFirstDiscoveryRequest extends Protocol {

		private static final short PING_ID = ClassConfigurator.getProtocolId(TCPPING.class);

		volatile boolean dropped;

		@Override
		public Object up(Message message) {
			return dropIfFirstRequest(message) ? null : this.up_prot.up(message);
		}

		@Override
		public void up(MessageBatch batch) {
			batch.removeIf(this::dropIfFirstRequest, false);
			if (!batch.isEmpty()) {
				this.up_prot.up(batch);
			}
		}

		private synchronized boolean dropIfFirstRequest(Message message) {
			PingHeader header = message.getHeader(PING_ID);
			if (this.dropped || header == null || header.type() != PingHeader.GET_MBRS_REQ) {
				return false;
			}
			this.dropped = true;
			return true;
		}

	}

	/** Keeps the state bytes it reads, as they arrive. */
	static class RecordingReceiver implements ClusterReceiver {

		final List<Integer> stateBytes = new CopyOnWriteArrayList<>();

		@Override
		public CompletionStage<byte[]> receive(byte[] payload, String sender) {
			return CompletableFuture.completedStage(null);
		}

		@Override
		public void writeState(OutputStream out) throws IOException {
		}

		@Override
		public void readState(InputStream in) throws IOException {
			for (int next = in.read(); next != -1; next = in.read()) {
				this.stateBytes.add(next);
			}
		}

	}

}
