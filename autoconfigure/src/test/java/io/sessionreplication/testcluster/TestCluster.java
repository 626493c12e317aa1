package io.sessionreplication.testcluster;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

import io.sessionreplication.cluster.ClusterReceiver;
import io.sessionreplication.cluster.ClusterTransport.JoinResult;
import io.sessionreplication.cluster.WireFormats;
import io.sessionreplication.cluster.jgroups.JGroupsChannelFactory;
import io.sessionreplication.cluster.jgroups.JGroupsClusterTransport;
import io.sessionreplication.replication.AbstractSessionReplicator;
import io.sessionreplication.replication.AllToAllReplicator;
import io.sessionreplication.replication.DeliveryMode;
import io.sessionreplication.replication.PrimaryBackupReplicator;
import io.sessionreplication.replication.ReplicationMode;
import io.sessionreplication.replication.ReplicationStatistics;
import io.sessionreplication.replication.SessionReplicator;
import io.sessionreplication.session.ReplicatedSessionRepository;
import io.sessionreplication.session.ReplicatedSessionRepository.ReplicatedSession;
import io.sessionreplication.store.SessionStore;
import io.sessionreplication.wire.AttributeClassFilter;
import io.sessionreplication.wire.AttributeSerializer;
import io.sessionreplication.wire.ClusterMessageCodec;
import io.sessionreplication.wire.MessageLimits;
import org.jgroups.JChannel;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.TP;
import org.jgroups.stack.ProtocolStack;
import org.jgroups.util.Util;

import org.springframework.core.io.ClassPathResource;
import org.springframework.session.events.AbstractSessionEvent;

import static org.awaitility.Awaitility.await;

/**
 * Several members of one cluster in this JVM, each with its own real JGroups channel (TCP
 * on 127.0.0.1, in-JVM discovery), store, replicator and repository, all in one
 * replication mode. A member is started as the auto-configuration starts one: it joins,
 * then waits for the sessions the cluster gives it.
 */
public final class TestCluster implements AutoCloseable {

	public static final Duration ACK_TIMEOUT = Duration.ofSeconds(2);

	private final String clusterName = "test-" + UUID.randomUUID();

	private final List<Member> members = new ArrayList<>();

	private final ReplicationMode mode;

	private final int backupCount;

	private final String stack;

	private Duration repairInterval = Duration.ZERO;

	private Duration ackTimeout = ACK_TIMEOUT;

	/**
	 * A cluster whose members find each other through an in-JVM registry.
	 * @param mode the replication mode of every member
	 */
	public TestCluster(ReplicationMode mode) {
		this(mode, 1, "test-stack.xml");
	}

	private TestCluster(ReplicationMode mode, int backupCount, String stack) {
		this.mode = mode;
		this.backupCount = backupCount;
		this.stack = stack;
	}

	/**
	 * A cluster in {@link ReplicationMode#PRIMARY_BACKUP} with the given number of
	 * backups.
	 * @param backupCount the backups of each session
	 * @return the cluster
	 */
	public static TestCluster primaryBackup(int backupCount) {
		return new TestCluster(ReplicationMode.PRIMARY_BACKUP, backupCount, "test-stack.xml");
	}

	/**
	 * Another cluster in the same mode, whose members find each other over the network,
	 * on four free ports of 127.0.0.1: what a partition test needs to see the partition
	 * heal.
	 * @return the cluster
	 */
	public TestCluster withNetworkDiscovery() {
		System.setProperty("session.replication.test.port", String.valueOf(LoopbackPorts.freeRange(4)));
		return new TestCluster(this.mode, this.backupCount, "test-stack-tcpping.xml");
	}

	/**
	 * Let the members started from now on compare and repair their copies every
	 * {@code interval}; by default they do not (only what a member is asked to repair
	 * soon).
	 * @param interval the repair interval
	 * @return this cluster
	 */
	public TestCluster repairingEvery(Duration interval) {
		this.repairInterval = interval;
		return this;
	}

	/**
	 * Let the members started from now on wait {@code timeout} for each member's
	 * acknowledgement of a synchronous change, instead of {@link #ACK_TIMEOUT}: a test
	 * that holds an acknowledgement longer than that, on purpose.
	 * @param timeout the acknowledgement timeout
	 * @return this cluster
	 */
	public TestCluster awaitingAcksFor(Duration timeout) {
		this.ackTimeout = timeout;
		return this;
	}

	/**
	 * Start members {@code node-1} to {@code node-<count>}, one after the other.
	 * @param count how many
	 * @return the members, in the order they started
	 */
	public List<Member> start(int count) {
		List<Member> started = new ArrayList<>();
		for (int i = 1; i <= count; i++) {
			started.add(start("node-" + i));
		}
		return started;
	}

	public Member start(String name) {
		return start(name, DeliveryMode.SYNC, UnaryOperator.identity());
	}

	public Member start(String name, DeliveryMode delivery) {
		return start(name, delivery, UnaryOperator.identity());
	}

	/**
	 * Start a member whose clock is a test's: its sessions' times, its expiry and the
	 * times it accepts from other members all go by that clock.
	 * @param name the member name
	 * @param clock the member's clock
	 * @return the member
	 */
	public Member start(String name, Clock clock) {
		return start(name, DeliveryMode.SYNC, UnaryOperator.identity(), getClass().getClassLoader(), clock, false);
	}

	/**
	 * Start a member that plays the release before this one in a rolling upgrade: it
	 * speaks the oldest wire format of this release only, and announces no formats, as
	 * the releases before the announcements did.
	 * @param name the member name
	 * @return the member
	 */
	public Member startPreviousRelease(String name) {
		return start(name, DeliveryMode.SYNC, UnaryOperator.identity(), getClass().getClassLoader(), Clock.systemUTC(),
				true);
	}

	/**
	 * Start a member and wait until every running member sees it.
	 * @param name the member name
	 * @param delivery the delivery mode
	 * @param receiverDecorator lets a test put something between the transport and the
	 * member's replicator
	 * @return the member
	 */
	public Member start(String name, DeliveryMode delivery, UnaryOperator<ClusterReceiver> receiverDecorator) {
		return start(name, delivery, receiverDecorator, getClass().getClassLoader());
	}

	public Member start(String name, DeliveryMode delivery, UnaryOperator<ClusterReceiver> receiverDecorator,
			ClassLoader classLoader) {
		return start(name, delivery, receiverDecorator, classLoader, Clock.systemUTC(), false);
	}

	private Member start(String name, DeliveryMode delivery, UnaryOperator<ClusterReceiver> receiverDecorator,
			ClassLoader classLoader, Clock clock, boolean previousRelease) {
		JGroupsChannelFactory channelFactory = new JGroupsChannelFactory();
		channelFactory.setConfig(new ClassPathResource(this.stack));
		JChannel channel = channelFactory.createChannel(name);
		int newest = previousRelease ? ClusterMessageCodec.OLDEST_FORMAT : ClusterMessageCodec.NEWEST_FORMAT;
		RecordingTransport transport = new RecordingTransport(new JGroupsClusterTransport(channel, this.clusterName,
				previousRelease ? null : new WireFormats(ClusterMessageCodec.OLDEST_FORMAT, newest)));
		SessionStore store = new SessionStore(transport.localMember());
		store.setClock(clock);
		ReplicationStatistics statistics = new ReplicationStatistics();
		AbstractSessionReplicator replicator = switch (this.mode) {
			case ALL_TO_ALL -> new AllToAllReplicator(store, transport, delivery, this.ackTimeout, statistics);
			case PRIMARY_BACKUP ->
				new PrimaryBackupReplicator(store, transport, delivery, this.ackTimeout, statistics, this.backupCount);
		};
		replicator.setCodec(
				new ClusterMessageCodec(
						new MessageLimits(MessageLimits.DEFAULT_MAX_ATTRIBUTE_SIZE,
								MessageLimits.DEFAULT_MAX_SESSION_SIZE, MessageLimits.DEFAULT_MAX_CLOCK_SKEW, clock),
						ClusterMessageCodec.OLDEST_FORMAT, newest));
		AttributeSerializer serializer = new AttributeSerializer(classLoader,
				AttributeClassFilter.allowing("io.sessionreplication.**"));
		ReplicatedSessionRepository repository = new ReplicatedSessionRepository(store, replicator, serializer,
				statistics);
		List<AbstractSessionEvent> events = new CopyOnWriteArrayList<>();
		repository.setApplicationEventPublisher((event) -> events.add((AbstractSessionEvent) event));
		JoinResult join = transport.join(receiverDecorator.apply(replicator), Duration.ofSeconds(10));
		boolean sessionsArrived = replicator.awaitSessions(Duration.ofSeconds(10));
		replicator.startRepair(this.repairInterval);
		Member member = new Member(name, channel, transport, store, replicator, statistics, serializer, repository,
				events, join, sessionsArrived);
		this.members.add(member);
		awaitView();
		return member;
	}

	/**
	 * The members that have neither crashed nor left.
	 * @return the members
	 */
	public List<Member> running() {
		return this.members.stream().filter(Member::isRunning).toList();
	}

	/**
	 * Wait until every running member has the same view, of all running members.
	 */
	public void awaitView() {
		List<Member> running = running();
		await().atMost(Duration.ofSeconds(15))
			.until(() -> running.stream().allMatch((member) -> member.transport.members().size() == running.size()));
	}

	@Override
	public void close() {
		this.members.stream().filter(Member::isRunning).forEach(Member::leave);
	}

	public static final class Member {

		public final String name;

		public final JChannel channel;

		public final RecordingTransport transport;

		public final SessionStore store;

		public final SessionReplicator replicator;

		public final ReplicationStatistics statistics;

		public final AttributeSerializer serializer;

		public final ReplicatedSessionRepository repository;

		/** The session events this member's repository published. */
		public final List<AbstractSessionEvent> events;

		public final JoinResult join;

		/** Whether the sessions the cluster gives a joining member arrived in time. */
		public final boolean sessionsArrived;

		private boolean running = true;

		private DISCARD discard;

		Member(String name, JChannel channel, RecordingTransport transport, SessionStore store,
				SessionReplicator replicator, ReplicationStatistics statistics, AttributeSerializer serializer,
				ReplicatedSessionRepository repository, List<AbstractSessionEvent> events, JoinResult join,
				boolean sessionsArrived) {
			this.name = name;
			this.channel = channel;
			this.transport = transport;
			this.store = store;
			this.replicator = replicator;
			this.statistics = statistics;
			this.serializer = serializer;
			this.repository = repository;
			this.events = events;
			this.join = join;
			this.sessionsArrived = sessionsArrived;
		}

		public boolean isRunning() {
			return this.running;
		}

		/**
		 * Stop the member the way a crash would: its connections close without a leave.
		 */
		public void crash() {
			this.running = false;
			try {
				Util.shutdown(this.channel);
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}

		/** Cut this member off from every other, as a network partition would. */
		public void isolate() {
			discard().discardAll(true);
		}

		/**
		 * Drop whatever this member receives from {@code other}, as a link that fails one
		 * way would.
		 */
		public void ignore(Member other) {
			discard().addIgnoreMember(other.channel.getAddress());
		}

		/** Heal what {@link #isolate()} and {@link #ignore} cut. */
		public void reconnect() {
			this.discard.discardAll(false);
			this.discard.resetIgnoredMembers();
		}

		private DISCARD discard() {
			try {
				if (this.discard == null) {
					this.discard = new DISCARD();
					this.discard.setAddress(this.channel.getAddress());
					this.channel.getProtocolStack()
						.insertProtocol(this.discard, ProtocolStack.Position.ABOVE, TP.class);
				}
				return this.discard;
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		}

		public void leave() {
			this.running = false;
			this.replicator.flush();
			this.transport.leave();
		}

		/**
		 * Create a session with the given attributes, and save it, as one request would.
		 */
		public ReplicatedSession createSession(Object... namesAndValues) {
			ReplicatedSession session = this.repository.createSession();
			for (int i = 0; i < namesAndValues.length; i += 2) {
				session.setAttribute((String) namesAndValues[i], namesAndValues[i + 1]);
			}
			this.repository.save(session);
			return session;
		}

		/** Read a session and change it, as one request would. */
		public void update(String id, java.util.function.Consumer<ReplicatedSession> change) {
			ReplicatedSession session = this.repository.findById(id);
			if (session == null) {
				throw new AssertionError("Session " + id + " not found on " + this.name);
			}
			session.setLastAccessedTime(this.store.clock().instant());
			change.accept(session);
			this.repository.save(session);
		}

	}

}
