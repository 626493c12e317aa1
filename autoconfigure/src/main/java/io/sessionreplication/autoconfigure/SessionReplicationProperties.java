package io.sessionreplication.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.sessionreplication.cluster.DnsRecordType;
import io.sessionreplication.cluster.MemberDiscovery;
import io.sessionreplication.replication.DeliveryMode;
import io.sessionreplication.replication.ReplicationMode;
import io.sessionreplication.session.MissingCopyPolicy;
import io.sessionreplication.session.ReplicatedSessionRepository;
import io.sessionreplication.session.UnreadableAttributePolicy;
import io.sessionreplication.store.SessionStore;
import io.sessionreplication.wire.AttributeClassFilter;
import io.sessionreplication.wire.MessageLimits;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;
import org.springframework.session.FlushMode;
import org.springframework.session.SaveMode;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties of session replication. The session timeout is not here: it is
 * {@code spring.session.timeout}, falling back to {@code server.servlet.session.timeout},
 * or {@code server.reactive.session.timeout} in a reactive web application.
 */
@ConfigurationProperties("session.replication")
public class SessionReplicationProperties implements InitializingBean {

	/**
	 * Where the copies of a session live: every member ("all-to-all"), or a primary plus
	 * backup-count backups ("primary-backup").
	 */
	private ReplicationMode mode = ReplicationMode.ALL_TO_ALL;

	/**
	 * When a saved change counts as replicated: "sync" returns from the request once
	 * every member has applied the change; "async" returns at once and sends changes in
	 * batches in the background, so a crash can lose the latest changes.
	 */
	private DeliveryMode delivery = DeliveryMode.SYNC;

	/**
	 * How long a synchronous change waits for each member's acknowledgement. A member
	 * that does not answer in time does not fail the request: it is logged and counted.
	 */
	private Duration ackTimeout = Duration.ofSeconds(3);

	/**
	 * Number of backups of each session in primary-backup mode, at least 1.
	 */
	private int backupCount = 1;

	/**
	 * Name of the cluster: only members with the same name form a cluster. Defaults to
	 * spring.application.name, or "session-replication" when that is not set.
	 */
	private @Nullable String clusterName;

	/**
	 * Name of this member, unique in the cluster. Defaults to the host name, the process
	 * id and a random suffix.
	 */
	private @Nullable String memberName;

	/**
	 * How long a joining member waits for the sessions of the others before it starts
	 * anyway with what arrived. Readiness stays REFUSING_TRAFFIC meanwhile.
	 */
	private Duration stateTransferTimeout = Duration.ofSeconds(60);

	/**
	 * How often each member removes its expired sessions. Sessions are also checked for
	 * expiry whenever they are read.
	 */
	private Duration cleanupInterval = Duration.ofSeconds(30);

	/**
	 * How often each member compares its copies of sessions with the other members that
	 * hold them, and repairs those that differ (a member that missed a change or a
	 * removal); every copy is current again within twice this interval. 0 turns the
	 * comparison off: a member that did not acknowledge a change is still repaired at
	 * once.
	 */
	private Duration repairInterval = Duration.ofSeconds(30);

	/**
	 * Address the cluster traffic binds to, for the shipped stack. The default reaches
	 * only instances on the same machine; set a routable address to cluster several
	 * hosts.
	 */
	private String bindAddress = "127.0.0.1";

	/**
	 * First port the cluster traffic tries to bind, for the shipped stack.
	 */
	private int bindPort = 7800;

	/**
	 * How many ports above bind-port are tried when it is taken, and probed for other
	 * members on the same host ('local' discovery) or on each address of DNS A records
	 * ('dns' discovery), for the shipped stack.
	 */
	private int portRange = 10;

	/**
	 * How a member finds the others, for the shipped stack: 'local' probes the ports
	 * bind-port to bind-port + port-range on bind-address (members on this host);
	 * 'static' contacts the listed members; 'dns' asks DNS (dns.*); 'multicast' asks by
	 * IP multicast on the local network (multicast.*). When not set, it follows from what
	 * is set: members means static, dns.* means dns, multicast.* means multicast, and
	 * nothing means local, on a loopback bind-address only.
	 */
	private @Nullable MemberDiscovery discovery;

	/**
	 * Members to contact when joining, as host:port, for 'static' discovery.
	 */
	private List<String> members = new ArrayList<>();

	/**
	 * Whether a member may listen on an address other than loopback without TLS
	 * (ssl.bundle), its cluster traffic then neither authenticated nor encrypted. Only
	 * for a network that authenticates and encrypts by itself, such as a service mesh
	 * with mutual TLS.
	 */
	private boolean insecure;

	/**
	 * Largest serialized size of one attribute value; a larger one is refused by
	 * setAttribute.
	 */
	private DataSize maxAttributeSize = DataSize.ofBytes(ReplicatedSessionRepository.DEFAULT_MAX_ATTRIBUTE_SIZE);

	/**
	 * Largest serialized size of a session's attribute values added up; an attribute that
	 * would make a session larger is refused by setAttribute.
	 */
	private DataSize maxSessionSize = DataSize.ofBytes(ReplicatedSessionRepository.DEFAULT_MAX_SESSION_SIZE);

	/**
	 * How many sessions a member may hold, its own and the copies it holds for other
	 * members; creating one more fails with a SessionLimitExceededException, which an
	 * application answers with 503. No limit when not set.
	 */
	private @Nullable Integer maxSessions;

	/**
	 * How many removed sessions a member remembers at most, so that a change still in
	 * flight cannot bring one back; beyond, the oldest are forgotten early and counted
	 * (session.replication.removals.forgotten.early).
	 */
	private int maxRemovalsRemembered = SessionStore.DEFAULT_MAX_REMOVALS;

	/**
	 * How long a removed session is remembered at least. A removal is remembered until
	 * the session would have expired, so that neither a change in flight nor a copy on
	 * the other side of a partition brings it back; this is the floor.
	 */
	private Duration minRemovalMemory = SessionStore.DEFAULT_MIN_REMOVAL_MEMORY;

	/**
	 * How far ahead of this member's clock the creation time, access time or change stamp
	 * of a session received from another member may be; a change further ahead is
	 * rejected, so that a forged or broken clock can neither keep a session alive nor win
	 * every merge.
	 */
	private Duration maxClockSkew = MessageLimits.DEFAULT_MAX_CLOCK_SKEW;

	/**
	 * Which attributes a save serializes again, as in Spring Session, so that a value
	 * changed in place (without setAttribute again) is replicated: 'on-set-attribute'
	 * none, a value is replicated as it was at setAttribute; 'on-get-attribute' those
	 * read or set in the request, but for those of an immutable type; 'always' every
	 * attribute whose value this member holds as an object. Each is sent only if its
	 * serialized form changed.
	 */
	private SaveMode saveMode = SaveMode.ON_SET_ATTRIBUTE;

	/**
	 * When changes are saved, as in Spring Session: 'on-save' when the session is saved
	 * (by Spring Session's filter at the end of the request); 'immediate' also at each
	 * change of an attribute, of the timeout or of the last access. In sync delivery,
	 * each such save waits for the other copies. A reactive web application supports
	 * 'on-save' only.
	 */
	private FlushMode flushMode = FlushMode.ON_SAVE;

	/**
	 * Types that 'on-get-attribute' trusts never to change in place, and so does not
	 * serialize again when read, besides String, the boxed primitives, UUID, enums,
	 * java.time and the types annotated with an annotation named Immutable:
	 * com.example.Money, com.example.* or com.example.**.
	 */
	private List<String> immutableClasses = new ArrayList<>();

	private final Dns dns = new Dns();

	private final Multicast multicast = new Multicast();

	private final Ssl ssl = new Ssl();

	private final Serialization serialization = new Serialization();

	private final Jgroups jgroups = new Jgroups();

	private final Events events = new Events();

	private final Sync sync = new Sync();

	private final Reactive reactive = new Reactive();

	public ReplicationMode getMode() {
		return this.mode;
	}

	public void setMode(ReplicationMode mode) {
		this.mode = mode;
	}

	public DeliveryMode getDelivery() {
		return this.delivery;
	}

	public void setDelivery(DeliveryMode delivery) {
		this.delivery = delivery;
	}

	public Duration getAckTimeout() {
		return this.ackTimeout;
	}

	public void setAckTimeout(Duration ackTimeout) {
		this.ackTimeout = ackTimeout;
	}

	public int getBackupCount() {
		return this.backupCount;
	}

	public void setBackupCount(int backupCount) {
		this.backupCount = backupCount;
	}

	public @Nullable String getClusterName() {
		return this.clusterName;
	}

	public void setClusterName(@Nullable String clusterName) {
		this.clusterName = clusterName;
	}

	public @Nullable String getMemberName() {
		return this.memberName;
	}

	public void setMemberName(@Nullable String memberName) {
		this.memberName = memberName;
	}

	public Duration getStateTransferTimeout() {
		return this.stateTransferTimeout;
	}

	public void setStateTransferTimeout(Duration stateTransferTimeout) {
		this.stateTransferTimeout = stateTransferTimeout;
	}

	public Duration getCleanupInterval() {
		return this.cleanupInterval;
	}

	public void setCleanupInterval(Duration cleanupInterval) {
		this.cleanupInterval = cleanupInterval;
	}

	public Duration getRepairInterval() {
		return this.repairInterval;
	}

	public void setRepairInterval(Duration repairInterval) {
		this.repairInterval = repairInterval;
	}

	public String getBindAddress() {
		return this.bindAddress;
	}

	public void setBindAddress(String bindAddress) {
		this.bindAddress = bindAddress;
	}

	public int getBindPort() {
		return this.bindPort;
	}

	public void setBindPort(int bindPort) {
		this.bindPort = bindPort;
	}

	public int getPortRange() {
		return this.portRange;
	}

	public void setPortRange(int portRange) {
		this.portRange = portRange;
	}

	public @Nullable MemberDiscovery getDiscovery() {
		return this.discovery;
	}

	public void setDiscovery(@Nullable MemberDiscovery discovery) {
		this.discovery = discovery;
	}

	public List<String> getMembers() {
		return this.members;
	}

	public void setMembers(List<String> members) {
		this.members = members;
	}

	public DataSize getMaxAttributeSize() {
		return this.maxAttributeSize;
	}

	public void setMaxAttributeSize(DataSize maxAttributeSize) {
		this.maxAttributeSize = maxAttributeSize;
	}

	public SaveMode getSaveMode() {
		return this.saveMode;
	}

	public void setSaveMode(SaveMode saveMode) {
		this.saveMode = saveMode;
	}

	public FlushMode getFlushMode() {
		return this.flushMode;
	}

	public void setFlushMode(FlushMode flushMode) {
		this.flushMode = flushMode;
	}

	public List<String> getImmutableClasses() {
		return this.immutableClasses;
	}

	public void setImmutableClasses(List<String> immutableClasses) {
		this.immutableClasses = immutableClasses;
	}

	public Duration getMinRemovalMemory() {
		return this.minRemovalMemory;
	}

	public void setMinRemovalMemory(Duration minRemovalMemory) {
		this.minRemovalMemory = minRemovalMemory;
	}

	public int getMaxRemovalsRemembered() {
		return this.maxRemovalsRemembered;
	}

	public void setMaxRemovalsRemembered(int maxRemovalsRemembered) {
		this.maxRemovalsRemembered = maxRemovalsRemembered;
	}

	public @Nullable Integer getMaxSessions() {
		return this.maxSessions;
	}

	public void setMaxSessions(@Nullable Integer maxSessions) {
		this.maxSessions = maxSessions;
	}

	public Duration getMaxClockSkew() {
		return this.maxClockSkew;
	}

	public void setMaxClockSkew(Duration maxClockSkew) {
		this.maxClockSkew = maxClockSkew;
	}

	public DataSize getMaxSessionSize() {
		return this.maxSessionSize;
	}

	public void setMaxSessionSize(DataSize maxSessionSize) {
		this.maxSessionSize = maxSessionSize;
	}

	public boolean isInsecure() {
		return this.insecure;
	}

	public void setInsecure(boolean insecure) {
		this.insecure = insecure;
	}

	public Dns getDns() {
		return this.dns;
	}

	public Multicast getMulticast() {
		return this.multicast;
	}

	public Ssl getSsl() {
		return this.ssl;
	}

	public Serialization getSerialization() {
		return this.serialization;
	}

	public Jgroups getJgroups() {
		return this.jgroups;
	}

	public Events getEvents() {
		return this.events;
	}

	public Sync getSync() {
		return this.sync;
	}

	public Reactive getReactive() {
		return this.reactive;
	}

	@Override
	public void afterPropertiesSet() {
		new SessionReplicationPropertiesValidator().validate(this);
	}

	/**
	 * What synchronous delivery does when a change does not reach every copy.
	 */
	public static class Sync {

		/**
		 * What a synchronous save or invalidation does when a member it went to did not
		 * apply it (no answer within ack-timeout, suspected, gone, or a rejection):
		 * 'repair' goes on (counted and logged), 'fail' throws a
		 * SessionReplicationException naming the members. Either way the copies of those
		 * members are repaired at once, in the background.
		 */
		private MissingCopyPolicy onMissingCopy = MissingCopyPolicy.REPAIR;

		public MissingCopyPolicy getOnMissingCopy() {
			return this.onMissingCopy;
		}

		public void setOnMissingCopy(MissingCopyPolicy onMissingCopy) {
			this.onMissingCopy = onMissingCopy;
		}

	}

	/**
	 * Reactive (WebFlux) web applications, whose repository waits on the cluster on
	 * threads of its own, never on an event loop.
	 */
	public static class Reactive {

		/**
		 * How many calls of the reactive session repository that may wait for other
		 * members (a save, a read, an invalidation) run at once, each on a thread of the
		 * repository's own. Idle threads end after a minute.
		 */
		private int maxThreads = 64;

		/**
		 * How many such calls may wait for one of those threads; beyond, a call fails at
		 * once with a RejectedExecutionException (answer it with 503).
		 */
		private int queueCapacity = 1_000;

		public int getMaxThreads() {
			return this.maxThreads;
		}

		public void setMaxThreads(int maxThreads) {
			this.maxThreads = maxThreads;
		}

		public int getQueueCapacity() {
			return this.queueCapacity;
		}

		public void setQueueCapacity(int queueCapacity) {
			this.queueCapacity = queueCapacity;
		}

	}

	/**
	 * Session events: SessionCreatedEvent, SessionDeletedEvent and SessionExpiredEvent.
	 */
	public static class Events {

		/**
		 * Whether every member that holds a copy of a session publishes its events,
		 * instead of one member in the cluster (the session's primary in primary-backup
		 * mode, the member that created, invalidated or expired it in all-to-all mode).
		 * For applications that keep state of their own on each member.
		 */
		private boolean everyMember;

		/**
		 * How many events that changes from other members cause may wait for their
		 * listeners; when the listeners fall further behind, new events are dropped and
		 * counted (session.replication.events.dropped).
		 */
		private int queueCapacity = 10_000;

		public int getQueueCapacity() {
			return this.queueCapacity;
		}

		public void setQueueCapacity(int queueCapacity) {
			this.queueCapacity = queueCapacity;
		}

		public boolean isEveryMember() {
			return this.everyMember;
		}

		public void setEveryMember(boolean everyMember) {
			this.everyMember = everyMember;
		}

	}

	/**
	 * Attribute values, as they are serialized on one member and read on the others.
	 */
	public static class Serialization {

		/**
		 * What reading an attribute does when its value cannot be deserialized on this
		 * member (its class missing or changed incompatibly, corrupt bytes): 'remove'
		 * reads it as absent and removes it from the session on every member, with a
		 * warning; 'fail' throws an IllegalStateException that names the attribute.
		 */
		private UnreadableAttributePolicy onUnreadable = UnreadableAttributePolicy.REMOVE;

		/**
		 * Classes that attribute values may hold besides the defaults (the JDK's value
		 * and collection types, Spring Security's and Spring MVC's session types, and the
		 * application's own packages): class names, package.* or package.**.
		 */
		private List<String> allowedClasses = new ArrayList<>();

		/**
		 * Classes that attribute values may never hold, whatever is allowed: class names,
		 * package.* or package.**. Known deserialization gadgets are denied always.
		 */
		private List<String> deniedClasses = new ArrayList<>();

		/**
		 * How deeply the objects of one attribute value may nest.
		 */
		private long maxDepth = AttributeClassFilter.Limits.DEFAULTS.maxDepth();

		/**
		 * How many objects and references one attribute value may hold.
		 */
		private long maxReferences = AttributeClassFilter.Limits.DEFAULTS.maxReferences();

		/**
		 * How many elements an array in an attribute value may have.
		 */
		private long maxArrayLength = AttributeClassFilter.Limits.DEFAULTS.maxArrayLength();

		/**
		 * How large the Java-serialized form of one attribute value may be when it is
		 * read.
		 */
		private DataSize maxBytes = DataSize.ofBytes(AttributeClassFilter.Limits.DEFAULTS.maxBytes());

		public List<String> getAllowedClasses() {
			return this.allowedClasses;
		}

		public void setAllowedClasses(List<String> allowedClasses) {
			this.allowedClasses = allowedClasses;
		}

		public List<String> getDeniedClasses() {
			return this.deniedClasses;
		}

		public void setDeniedClasses(List<String> deniedClasses) {
			this.deniedClasses = deniedClasses;
		}

		public long getMaxDepth() {
			return this.maxDepth;
		}

		public void setMaxDepth(long maxDepth) {
			this.maxDepth = maxDepth;
		}

		public long getMaxReferences() {
			return this.maxReferences;
		}

		public void setMaxReferences(long maxReferences) {
			this.maxReferences = maxReferences;
		}

		public long getMaxArrayLength() {
			return this.maxArrayLength;
		}

		public void setMaxArrayLength(long maxArrayLength) {
			this.maxArrayLength = maxArrayLength;
		}

		public DataSize getMaxBytes() {
			return this.maxBytes;
		}

		public void setMaxBytes(DataSize maxBytes) {
			this.maxBytes = maxBytes;
		}

		public UnreadableAttributePolicy getOnUnreadable() {
			return this.onUnreadable;
		}

		public void setOnUnreadable(UnreadableAttributePolicy onUnreadable) {
			this.onUnreadable = onUnreadable;
		}

	}

	/**
	 * Discovery of the members in DNS ('dns' discovery), the way of a Kubernetes headless
	 * service.
	 */
	public static class Dns {

		/**
		 * DNS name of the members, for example myapp-headless.myns.svc.cluster.local
		 * (several names separated by commas). Asked at each join attempt and each check
		 * for partitions to merge.
		 */
		private @Nullable String query;

		/**
		 * Records of the query that name the members: 'A' (the default) for their
		 * addresses, each probed on the ports bind-port to bind-port + port-range; 'SRV'
		 * for their host names and ports.
		 */
		private @Nullable DnsRecordType recordType;

		/**
		 * DNS server to ask, as host or host:port (an IPv6 address in brackets). Not set:
		 * the system's resolver, and for A records the JVM's cache of it
		 * (networkaddress.cache.ttl).
		 */
		private @Nullable String server;

		/**
		 * How often each member asks DNS again for members outside its view, on average:
		 * at a random moment between half of it and one and a half of it, so that the
		 * members do not all ask at once. A joining member asks at once. The same check
		 * looks for partitions to merge. At least 1s. Default 30s.
		 */
		private @Nullable Duration refreshPeriod;

		public @Nullable String getQuery() {
			return this.query;
		}

		public void setQuery(@Nullable String query) {
			this.query = query;
		}

		public @Nullable DnsRecordType getRecordType() {
			return this.recordType;
		}

		public void setRecordType(@Nullable DnsRecordType recordType) {
			this.recordType = recordType;
		}

		public @Nullable String getServer() {
			return this.server;
		}

		public void setServer(@Nullable String server) {
			this.server = server;
		}

		public @Nullable Duration getRefreshPeriod() {
			return this.refreshPeriod;
		}

		public void setRefreshPeriod(@Nullable Duration refreshPeriod) {
			this.refreshPeriod = refreshPeriod;
		}

	}

	/**
	 * Discovery of the members by IP multicast on the local network ('multicast'
	 * discovery), on the network interface of bind-address. Only the requests travel by
	 * multicast, in the clear: the cluster name and the sender's name and addresses.
	 */
	public static class Multicast {

		/**
		 * Multicast group of the requests. Default 239.255.78.1, of the local scope (RFC
		 * 2365).
		 */
		private @Nullable String groupAddress;

		/**
		 * UDP port of the requests. Default 47800.
		 */
		private @Nullable Integer port;

		/**
		 * Time to live of the requests: how many routers they may cross, plus one.
		 * Default 1: the local network only.
		 */
		private @Nullable Integer ttl;

		public @Nullable String getGroupAddress() {
			return this.groupAddress;
		}

		public void setGroupAddress(@Nullable String groupAddress) {
			this.groupAddress = groupAddress;
		}

		public @Nullable Integer getPort() {
			return this.port;
		}

		public void setPort(@Nullable Integer port) {
			this.port = port;
		}

		public @Nullable Integer getTtl() {
			return this.ttl;
		}

		public void setTtl(@Nullable Integer ttl) {
			this.ttl = ttl;
		}

	}

	/**
	 * TLS of the cluster traffic.
	 */
	public static class Ssl {

		/**
		 * Name of the SSL bundle (spring.ssl.bundle.*) that secures the cluster traffic
		 * with mutual TLS: its key is this member's certificate, its trust material the
		 * cluster's own CA. A member connects only to members whose certificate it
		 * trusts, and they to it.
		 */
		private @Nullable String bundle;

		public @Nullable String getBundle() {
			return this.bundle;
		}

		public void setBundle(@Nullable String bundle) {
			this.bundle = bundle;
		}

	}

	/**
	 * JGroups settings.
	 */
	public static class Jgroups {

		/**
		 * Location of a JGroups stack XML of your own, used instead of the shipped stack.
		 * bind-address, bind-port, port-range, discovery, members, dns.* and multicast.*
		 * do not apply to it.
		 */
		private @Nullable Resource config;

		public @Nullable Resource getConfig() {
			return this.config;
		}

		public void setConfig(@Nullable Resource config) {
			this.config = config;
		}

	}

}
