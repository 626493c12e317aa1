package io.sessionreplication.autoconfigure;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.sessionreplication.cluster.ClusterTransport;
import io.sessionreplication.cluster.ClusterTransport.JoinResult;
import io.sessionreplication.replication.ReplicationStatistics;
import io.sessionreplication.replication.SessionReplicator;
import io.sessionreplication.replication.StateTransfer.Outcome;
import io.sessionreplication.session.ReplicatedSessionRepository;
import io.sessionreplication.store.SessionStore;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Joins the cluster when the application starts and leaves it when it stops. It starts
 * before the web server opens its port, and blocks until the sessions of the existing
 * members have arrived (or the state transfer timeout has passed), so a member serves no
 * request and reports no readiness before it holds the sessions. It stops after the web
 * server, once in-flight requests have saved their sessions, sending what is still queued
 * before it leaves. In between it removes expired sessions periodically, and the
 * replicator repairs the copies that differ between members.
 */
class SessionReplicationLifecycle implements SmartLifecycle {

	/** Before the web server starts (late phases), after it stops. */
	static final int PHASE = 0;

	private static final Log logger = LogFactory.getLog(SessionReplicationLifecycle.class);

	private final ClusterTransport transport;

	private final SessionReplicator replicator;

	private final SessionStore store;

	private final ReplicatedSessionRepository repository;

	private final ApplicationEventPublisher eventPublisher;

	private final ReplicationStatistics statistics;

	private final Duration stateTransferTimeout;

	private final Duration cleanupInterval;

	private final Duration repairInterval;

	private @Nullable ScheduledExecutorService cleanup;

	private volatile boolean running;

	SessionReplicationLifecycle(ClusterTransport transport, SessionReplicator replicator, SessionStore store,
			ReplicatedSessionRepository repository, ApplicationEventPublisher eventPublisher,
			ReplicationStatistics statistics, Duration stateTransferTimeout, Duration cleanupInterval,
			Duration repairInterval) {
		this.transport = transport;
		this.replicator = replicator;
		this.store = store;
		this.repository = repository;
		this.eventPublisher = eventPublisher;
		this.statistics = statistics;
		this.stateTransferTimeout = stateTransferTimeout;
		this.cleanupInterval = cleanupInterval;
		this.repairInterval = repairInterval;
	}

	@Override
	public void start() {
		AvailabilityChangeEvent.publish(this.eventPublisher, this, ReadinessState.REFUSING_TRAFFIC);
		long start = System.nanoTime();
		JoinResult result = this.transport.join(this.replicator, this.stateTransferTimeout);
		Duration remaining = this.stateTransferTimeout.minusNanos(System.nanoTime() - start);
		boolean received = this.replicator.awaitSessions(remaining.isNegative() ? Duration.ZERO : remaining);
		Outcome outcome = (result.stateSource() == null) ? Outcome.FIRST_MEMBER
				: (result.complete() && received) ? Outcome.COMPLETE : Outcome.INCOMPLETE;
		Duration took = Duration.ofNanos(System.nanoTime() - start);
		this.statistics.stateTransferEnded(outcome, took, this.store.size());
		logJoin(outcome, took);
		this.cleanup = Executors.newSingleThreadScheduledExecutor((task) -> {
			Thread thread = new Thread(task, "session-replication-cleanup");
			thread.setDaemon(true);
			return thread;
		});
		long period = this.cleanupInterval.toMillis();
		this.cleanup.scheduleWithFixedDelay(this::cleanUp, period, period, TimeUnit.MILLISECONDS);
		this.replicator.startRepair(this.repairInterval);
		this.running = true;
	}

	private void logJoin(Outcome outcome, Duration took) {
		String member = "Member " + this.transport.localMember() + " joined the cluster " + this.transport.members();
		if (outcome == Outcome.FIRST_MEMBER) {
			logger.info(member + " as its first member");
		}
		else if (outcome == Outcome.COMPLETE) {
			logger.info(member + " and received " + this.store.size() + " sessions in " + took.toMillis() + " ms");
		}
		else {
			logger.error(member + " but the sessions of the other members did not all arrive within "
					+ this.stateTransferTimeout + " (session.replication.state-transfer-timeout); starting with the "
					+ this.store.size() + " sessions that arrived. Sessions that did not arrive are unknown here "
					+ "until they change again, or until the repair of copies brings them (session.replication.repair-interval).");
		}
	}

	private void cleanUp() {
		try {
			this.repository.cleanUpExpiredSessions();
			this.replicator.releaseCopiesNotOwned(Instant.now().minus(this.cleanupInterval));
		}
		catch (RuntimeException | Error ex) {
			// an error that ends a scheduled task would end expiry for good
			logger.warn("Could not remove expired sessions; the next sweep runs as planned", ex);
		}
	}

	@Override
	public void stop() {
		this.running = false;
		if (this.cleanup != null) {
			this.cleanup.shutdownNow();
		}
		this.replicator.flush();
		this.transport.leave();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
