package io.sessionreplication.test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.jspecify.annotations.Nullable;

/**
 * Several members of one Spring Boot application, run as a cluster on this machine for
 * the application's own tests: as processes ({@link #processes(Class)},
 * {@link #processes(Path)}) or as application contexts in the test's JVM
 * ({@link #inJvm(Class)}). The cluster has a name and JGroups ports of its own, so that
 * tests never join each other or a developer's running cluster; every member binds to
 * 127.0.0.1. Close it after the test: it stops every member still running.
 * <pre class="code">
 * try (LocalCluster cluster = LocalCluster.processes(MyApplication.class).start(2)) {
 *     Browser user = cluster.browser(Routing.ALTERNATING);
 *     user.post("/cart?item=book");
 *     cluster.member(0).crash();
 *     assertThat(user.get("/cart").body()).contains("book");
 * }
 * </pre>
 */
public final class LocalCluster implements AutoCloseable {

	private static final Duration VIEW_TIMEOUT = Duration.ofSeconds(60);

	private final Builder settings;

	private final String clusterName;

	private final int bindPort;

	private final List<ClusterMember> members = new CopyOnWriteArrayList<>();

	private final List<InJvmMember> cut = new ArrayList<>();

	private LocalCluster(Builder settings) {
		this.settings = settings;
		this.clusterName = "local-" + UUID.randomUUID().toString().substring(0, 8);
		this.bindPort = ProcessMember.freeBindPortBase(10);
	}

	/**
	 * A cluster whose members are processes running a main class with the test's class
	 * path: the application as the test sees it, without building a jar.
	 * @param mainClass the application's main class
	 * @return a builder
	 */
	public static Builder processes(Class<?> mainClass) {
		return new Builder(Kind.PROCESS, ProcessMember.Launch.mainClass(mainClass), null);
	}

	/**
	 * A cluster whose members are processes running an executable jar, as in production.
	 * @param executableJar the application's jar, built by Spring Boot's build plugin
	 * @return a builder
	 */
	public static Builder processes(Path executableJar) {
		return new Builder(Kind.PROCESS, ProcessMember.Launch.jar(executableJar), null);
	}

	/**
	 * A cluster whose members are application contexts in the test's JVM: quicker, and
	 * the only kind that can be {@link #partition partitioned}; see {@link InJvmMember}.
	 * @param application the application's main configuration class
	 * @return a builder
	 */
	public static Builder inJvm(Class<?> application) {
		return new Builder(Kind.IN_JVM, null, application);
	}

	/**
	 * Add a member, and start it, waiting until it is ready.
	 * @return the member
	 */
	public ClusterMember startMember() {
		ClusterMember member = addMember();
		member.start();
		member.awaitReady();
		return member;
	}

	/**
	 * Add a member, without starting it.
	 * @return the member
	 */
	public ClusterMember addMember() {
		return addMember(Map.of());
	}

	/**
	 * Add a member with properties of its own, beyond those every member gets, without
	 * starting it: a member configured apart, for example one whose serialization filter
	 * differs.
	 * @param properties the member's own properties, over those of the cluster
	 * @return the member
	 */
	public ClusterMember addMember(Map<String, String> properties) {
		Map<String, String> memberProperties = new LinkedHashMap<>(this.settings.properties);
		memberProperties.putAll(properties);
		String name = this.settings.namePrefix + (this.members.size() + 1);
		int httpPort = ProcessMember.freeHttpPort();
		ClusterMember member = switch (this.settings.kind) {
			case PROCESS -> new ProcessMember(name, ProcessMember.Host.LOOPBACK, this.settings.launch, httpPort,
					this.bindPort, this.clusterName, logDirectory(), arguments(memberProperties))
				.jvmOptions(this.settings.jvmOptions);
			case IN_JVM -> new InJvmMember(name, this.settings.application, httpPort, this.bindPort, this.clusterName,
					memberProperties);
		};
		this.members.add(member);
		return member;
	}

	/**
	 * Every member, in the order they were added, running or not.
	 * @return the members
	 */
	public List<ClusterMember> members() {
		return List.copyOf(this.members);
	}

	/**
	 * A member by its position.
	 * @param index the position, from 0, in the order the members were added
	 * @return the member
	 */
	public ClusterMember member(int index) {
		return this.members.get(index);
	}

	/**
	 * The members a load balancer would send requests to: running and not paused.
	 * @return the members, in order
	 */
	public List<ClusterMember> servingMembers() {
		return this.members.stream().filter(ClusterMember::isServing).toList();
	}

	/**
	 * A new user, with an empty cookie jar.
	 * @param routing how it picks the member of each request
	 * @return the user
	 */
	public Browser browser(Routing routing) {
		return new Browser(this, routing, this.settings.sessionCookie);
	}

	/**
	 * The JGroups cluster name of this cluster, unique to it.
	 * @return the name
	 */
	public String clusterName() {
		return this.clusterName;
	}

	/**
	 * Where process members log, a file per member and start.
	 * @return the directory
	 */
	public Path logDirectory() {
		return this.settings.logDirectory.resolve(this.clusterName);
	}

	/**
	 * Restart every running member in turn, as a rolling redeployment does: stop it
	 * gracefully, start it again, wait until it is ready and the others see it, then the
	 * next.
	 */
	public void rollingRestart() {
		for (ClusterMember member : this.members) {
			if (member.isRunning()) {
				member.stop();
				member.start();
				member.awaitReady();
				awaitView();
			}
		}
	}

	/**
	 * Cut the cluster in two: the members of {@code side} stop hearing the others, and
	 * the others stop hearing them, until {@link #heal()}. Each side goes on as a cluster
	 * of its own; after the heal, they merge. Only {@link #inJvm in-JVM} members can be
	 * cut apart.
	 * @param side the members of one side; the other side is every other member
	 * @throws UnsupportedOperationException if a member is a process
	 */
	public void partition(Collection<? extends ClusterMember> side) {
		List<InJvmMember> one = new ArrayList<>();
		List<InJvmMember> other = new ArrayList<>();
		for (ClusterMember member : this.members) {
			if (!(member instanceof InJvmMember inJvm)) {
				throw new UnsupportedOperationException("A partition cuts members apart inside JGroups, in this JVM: "
						+ member + " is a process; use LocalCluster.inJvm");
			}
			if (inJvm.isRunning()) {
				(side.contains(member) ? one : other).add(inJvm);
			}
		}
		one.forEach((member) -> member.cutFrom(other));
		other.forEach((member) -> member.cutFrom(one));
		this.cut.addAll(one);
		this.cut.addAll(other);
	}

	/**
	 * End a {@link #partition}: every member hears every other again, and the sides merge
	 * ({@link #awaitView()} waits for it). The members are asked to look for the other
	 * side at once, as JGroups' merge protocol does on its own at intervals of up to a
	 * minute: the merge itself is JGroups', as after a real network heals.
	 */
	public void heal() {
		List<InJvmMember> healed = List.copyOf(this.cut);
		this.cut.clear();
		healed.forEach(InJvmMember::reconnect);
		for (int round = 0; round < 10 && !healed.isEmpty() && !oneView(healed); round++) {
			healed.forEach(InJvmMember::announceView);
			sleep(Duration.ofSeconds(1));
			healed.forEach(InJvmMember::mergeIfViewsDiffer);
			sleep(Duration.ofSeconds(1));
		}
	}

	/** Whether every running member of {@code members} sees all of them. */
	private static boolean oneView(List<InJvmMember> members) {
		List<InJvmMember> running = members.stream().filter(InJvmMember::isRunning).toList();
		return running.stream().allMatch((member) -> member.viewSize() >= running.size());
	}

	/**
	 * Wait until every serving member sees exactly the serving members in its view, at
	 * most 60 s: after a start, a crash or a heal, the cluster has settled.
	 * @throws AssertionError if it does not settle in time, with each member's view
	 */
	public void awaitView() {
		long deadline = System.nanoTime() + VIEW_TIMEOUT.toNanos();
		Map<String, @Nullable List<String>> views = new LinkedHashMap<>();
		while (System.nanoTime() < deadline) {
			views.clear();
			List<ClusterMember> serving = servingMembers();
			Set<String> expected = new HashSet<>();
			serving.forEach((member) -> expected.add(member.name()));
			boolean settled = true;
			for (ClusterMember member : serving) {
				List<String> view = ReplicationEndpoint.members(member);
				views.put(member.name(), view);
				settled &= view != null && Set.copyOf(view).equals(expected);
			}
			if (settled) {
				return;
			}
			sleep(Duration.ofMillis(200));
		}
		throw new AssertionError("The cluster did not settle within " + VIEW_TIMEOUT
				+ ": each serving member should see every serving member; views: " + views);
	}

	/**
	 * Stop every member still running, gracefully.
	 */
	@Override
	public void close() {
		heal();
		for (ClusterMember member : this.members) {
			try {
				member.stop();
			}
			catch (RuntimeException ex) {
				// the others are stopped all the same
			}
		}
	}

	@Override
	public String toString() {
		return "cluster " + this.clusterName + " " + this.members;
	}

	private static List<String> arguments(Map<String, String> properties) {
		List<String> arguments = new ArrayList<>();
		properties.forEach((name, value) -> arguments.add("--" + name + "=" + value));
		return arguments;
	}

	static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted", ex);
		}
	}

	private enum Kind {

		PROCESS, IN_JVM

	}

	/**
	 * How the members of a {@link LocalCluster} run: the application's properties, the
	 * member names, the session cookie.
	 */
	public static final class Builder {

		private final Kind kind;

		private final ProcessMember.@Nullable Launch launch;

		private final @Nullable Class<?> application;

		private final Map<String, String> properties = new LinkedHashMap<>();

		private String namePrefix = "member-";

		private String sessionCookie = "SESSION";

		private Path logDirectory = Path.of("target", "local-cluster");

		private List<String> jvmOptions = ProcessMember.DEFAULT_JVM_OPTIONS;

		private Builder(Kind kind, ProcessMember.@Nullable Launch launch, @Nullable Class<?> application) {
			this.kind = kind;
			this.launch = launch;
			this.application = application;
		}

		/**
		 * Set a property of the application on every member, for example
		 * {@code session.replication.mode} to {@code primary-backup}. Process members get
		 * it as a {@code --name=value} argument.
		 * @param name the property name
		 * @param value its value
		 * @return this builder
		 */
		public Builder property(String name, String value) {
			this.properties.put(name, value);
			return this;
		}

		/**
		 * Set how member names begin; each ends with its number, from 1. Default is
		 * {@code member-}.
		 * @param namePrefix the prefix
		 * @return this builder
		 */
		public Builder namePrefix(String namePrefix) {
			this.namePrefix = namePrefix;
			return this;
		}

		/**
		 * Set the name of the cookie that carries the session id, if the application
		 * changed it. Default is {@code SESSION}, Spring Session's.
		 * @param sessionCookie the cookie name
		 * @return this builder
		 */
		public Builder sessionCookie(String sessionCookie) {
			this.sessionCookie = sessionCookie;
			return this;
		}

		/**
		 * Set where process members log; each cluster logs in a directory of its own
		 * below. Default is {@code target/local-cluster}.
		 * @param logDirectory the directory
		 * @return this builder
		 */
		public Builder logDirectory(Path logDirectory) {
			this.logDirectory = logDirectory;
			return this;
		}

		/**
		 * Set the options of each process member's JVM, for example a larger heap.
		 * Default is {@link ProcessMember#DEFAULT_JVM_OPTIONS}: {@code -Xmx256m} and the
		 * quick compiler alone.
		 * @param jvmOptions the options
		 * @return this builder
		 */
		public Builder jvmOptions(String... jvmOptions) {
			this.jvmOptions = List.of(jvmOptions);
			return this;
		}

		/**
		 * Create the cluster without starting a member: add them with
		 * {@link LocalCluster#addMember()} or {@link LocalCluster#startMember()}.
		 * @return the cluster
		 */
		public LocalCluster build() {
			return new LocalCluster(this);
		}

		/**
		 * Create the cluster and start {@code members} members, one after the other, each
		 * ready before the next starts.
		 * @param members how many
		 * @return the cluster
		 */
		public LocalCluster start(int members) {
			LocalCluster cluster = build();
			try {
				for (int i = 0; i < members; i++) {
					cluster.startMember();
				}
				cluster.awaitView();
			}
			catch (RuntimeException | Error ex) {
				cluster.close();
				throw ex;
			}
			return cluster;
		}

	}

}
