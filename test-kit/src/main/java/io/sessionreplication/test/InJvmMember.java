package io.sessionreplication.test;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.sessionreplication.cluster.ClusterTransport;
import io.sessionreplication.cluster.jgroups.JGroupsClusterTransport;
import org.jgroups.Address;
import org.jgroups.JChannel;
import org.jgroups.protocols.DISCARD;
import org.jgroups.protocols.MERGE3;
import org.jgroups.protocols.TP;
import org.jgroups.stack.ProtocolStack;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A member that runs as an application context in the test's own JVM: quicker to start
 * than a {@link ProcessMember}, and its beans are at hand ({@link #context()}). Every
 * member runs the same classes, so it cannot stand for a member of another release.
 * <p>
 * Faults are made inside JGroups, since a context cannot be killed or frozen: a protocol
 * added on top of the member's transport drops what it receives from the members it is
 * cut from, as a broken network would. {@link #pause()} cuts the member from every other
 * member (the others suspect it and go on without it; a {@link Browser} sends it no
 * request), {@link #resume()} joins it back (the cluster merges), and {@link #crash()}
 * cuts it and then closes its context, so that the others see it vanish without a
 * hand-over, as after {@code kill -9}; the closing itself waits for the timeouts of the
 * words nobody hears. {@link LocalCluster#partition} cuts members of one side from those
 * of the other.
 * <p>
 * Each start sets {@code server.port}, the {@code session.replication} bind port, cluster
 * name and member name,
 * {@code management.endpoints.web.exposure.include=health,sessionreplication} (what
 * {@link ClusterAssertions} reads), then the properties of the test.
 */
public final class InJvmMember implements ClusterMember {

	private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

	private final String name;

	private final Class<?> application;

	private final int httpPort;

	private final Map<String, Object> properties;

	private @Nullable CompletableFuture<ConfigurableApplicationContext> starting;

	private @Nullable ConfigurableApplicationContext context;

	private @Nullable DISCARD cut;

	private volatile boolean paused;

	/**
	 * Describe a member; nothing is started yet.
	 * @param name the member name
	 * @param application the application's main configuration class (its
	 * {@code @SpringBootApplication})
	 * @param httpPort the HTTP port
	 * @param bindPort the first JGroups port of the cluster, shared by all its members
	 * @param clusterName the JGroups cluster
	 * @param properties more properties of the application, on every start
	 */
	public InJvmMember(String name, Class<?> application, int httpPort, int bindPort, String clusterName,
			Map<String, ?> properties) {
		this.name = name;
		this.application = application;
		this.httpPort = httpPort;
		this.properties = new LinkedHashMap<>();
		this.properties.put("server.port", httpPort);
		this.properties.put("session.replication.bind-port", bindPort);
		this.properties.put("session.replication.cluster-name", clusterName);
		this.properties.put("session.replication.member-name", name);
		this.properties.put("management.endpoints.web.exposure.include", "health,sessionreplication");
		this.properties.putAll(properties);
	}

	@Override
	public String name() {
		return this.name;
	}

	@Override
	public URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.httpPort + path);
	}

	/**
	 * Start the context on a thread of its own; {@link #awaitReady()} waits for it.
	 */
	@Override
	public synchronized void start() {
		if (this.starting != null || this.context != null) {
			throw new IllegalStateException(this.name + " is already running");
		}
		SpringApplicationBuilder builder = new SpringApplicationBuilder(this.application)
			.properties(Map.copyOf(this.properties));
		CompletableFuture<ConfigurableApplicationContext> started = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try {
				started.complete(builder.run());
			}
			catch (Throwable ex) {
				started.completeExceptionally(ex);
			}
		}, "in-jvm-member-" + this.name);
		thread.setDaemon(true);
		thread.start();
		this.starting = started;
		this.paused = false;
	}

	/**
	 * Wait until the context has started: the member joined the cluster and received its
	 * sessions before, at most 90 s.
	 */
	@Override
	public synchronized void awaitReady() {
		CompletableFuture<ConfigurableApplicationContext> started = this.starting;
		if (started == null) {
			if (this.context != null) {
				return;
			}
			throw new IllegalStateException(this.name + " was not started");
		}
		try {
			this.context = started.get(READY_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		catch (ExecutionException ex) {
			throw new AssertionError(this.name + " failed to start: " + ex.getCause(), ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new AssertionError(this.name + " did not start within " + READY_TIMEOUT, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted while " + this.name + " started", ex);
		}
		finally {
			this.starting = null;
		}
	}

	/**
	 * The member's application context, once started.
	 * @return the context
	 * @throws IllegalStateException if the member is not running
	 */
	public synchronized ConfigurableApplicationContext context() {
		ConfigurableApplicationContext current = this.context;
		if (current == null) {
			throw new IllegalStateException(this.name + " is not running");
		}
		return current;
	}

	/**
	 * Close the context: the member hands over what only it holds, and leaves.
	 */
	@Override
	public synchronized void stop() {
		if (this.paused) {
			resume();
		}
		close();
	}

	/**
	 * Cut the member from every other, then close its context.
	 */
	@Override
	public synchronized void crash() {
		if (this.context == null) {
			return;
		}
		discard().discardAll(true);
		close();
	}

	private void close() {
		ConfigurableApplicationContext current = this.context;
		this.context = null;
		this.cut = null;
		this.paused = false;
		if (current != null) {
			current.close();
		}
	}

	/**
	 * Cut the member from every other member, in both directions, until
	 * {@link #resume()}.
	 */
	@Override
	public synchronized void pause() {
		discard().discardAll(true);
		this.paused = true;
	}

	@Override
	public synchronized void resume() {
		discard().discardAll(false);
		this.paused = false;
	}

	/**
	 * Drop what this member receives from the given members, until {@link #reconnect()}.
	 * @param members the members to cut this member from
	 */
	synchronized void cutFrom(Iterable<InJvmMember> members) {
		DISCARD discard = discard();
		for (InJvmMember member : members) {
			discard.addIgnoreMember(member.address());
		}
	}

	/** Receive from every member again. */
	synchronized void reconnect() {
		if (this.cut != null) {
			this.cut.resetIgnoredMembers();
		}
	}

	/**
	 * Tell the other members this member's view now, as JGroups' merge protocol does on
	 * its own every so often, so that the sides of a healed partition find each other at
	 * once instead of up to a minute later.
	 */
	synchronized void announceView() {
		if (isRunning()) {
			merge().sendInfo();
		}
	}

	/**
	 * Start a merge now if the views announced differ, as the merge protocol does on its
	 * own every so often.
	 */
	synchronized void mergeIfViewsDiffer() {
		if (isRunning()) {
			merge().checkInconsistencies();
		}
	}

	/**
	 * How many members this member's current view has.
	 * @return the number of members
	 */
	synchronized int viewSize() {
		return channel().getView().size();
	}

	private MERGE3 merge() {
		MERGE3 merge = channel().getProtocolStack().findProtocol(MERGE3.class);
		if (merge == null) {
			throw new IllegalStateException(this.name + "'s JGroups stack has no MERGE3");
		}
		return merge;
	}

	synchronized Address address() {
		return channel().getAddress();
	}

	private JChannel channel() {
		ClusterTransport transport = context().getBean(ClusterTransport.class);
		if (!(transport instanceof JGroupsClusterTransport jgroups)) {
			throw new IllegalStateException(this.name + " does not use JGroups: " + transport);
		}
		return jgroups.channel();
	}

	private DISCARD discard() {
		DISCARD current = this.cut;
		if (current == null) {
			JChannel channel = channel();
			current = new DISCARD().setAddress(channel.getAddress()).excludeItself(true);
			try {
				channel.getProtocolStack().insertProtocol(current, ProtocolStack.Position.ABOVE, TP.class);
			}
			catch (Exception ex) {
				throw new IllegalStateException("Could not cut " + this.name + " from the cluster", ex);
			}
			this.cut = current;
		}
		return current;
	}

	@Override
	public synchronized boolean isRunning() {
		return this.context != null && this.context.isActive();
	}

	@Override
	public boolean isPaused() {
		return this.paused;
	}

	@Override
	public String toString() {
		return this.name + " (http " + this.httpPort + ", in this JVM)";
	}

}
