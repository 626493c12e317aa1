package io.sessionreplication.autoconfigure.health;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.sessionreplication.cluster.ClusterTransport;
import io.sessionreplication.replication.ReplicationMode;
import io.sessionreplication.replication.ReplicationStatistics;
import io.sessionreplication.replication.SessionCounts;
import io.sessionreplication.replication.SessionReplicator;
import io.sessionreplication.replication.StateTransfer;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The health of this member's session replication. It is DOWN when this member is not
 * connected to the cluster (it has left, or has not joined yet), and UP otherwise, also
 * when this member is the cluster's only member: a single instance is a legal deployment,
 * and the {@code alone} detail says that its sessions have no copy elsewhere.
 * <p>
 * Its details: the cluster name, the mode, this member, the view id and its members, the
 * sessions this member holds by role, the sessions short of their backups, whether a
 * rebalance is running, the copies on other members it knows to be behind and is
 * repairing, and how the initial state transfer went. It answers from this member's
 * memory and asks no other member; counting the sessions goes through all of them once.
 */
public class SessionReplicationHealthIndicator extends AbstractHealthIndicator {

	private final ClusterTransport transport;

	private final SessionReplicator replicator;

	private final ReplicationMode mode;

	private final ReplicationStatistics statistics;

	public SessionReplicationHealthIndicator(ClusterTransport transport, SessionReplicator replicator,
			ReplicationMode mode, ReplicationStatistics statistics) {
		super("Session replication health check failed");
		this.transport = transport;
		this.replicator = replicator;
		this.mode = mode;
		this.statistics = statistics;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		if (this.transport.isConnected()) {
			builder.up();
		}
		else {
			builder.down();
		}
		List<String> members = this.transport.members();
		SessionCounts counts = this.replicator.countSessions();
		Map<String, Integer> sessions = new LinkedHashMap<>();
		counts.byRole().forEach((role, count) -> sessions.put(role.tagValue(), count));
		builder.withDetail("cluster", this.transport.clusterName())
			.withDetail("mode", propertyValue(this.mode))
			.withDetail("member", this.transport.localMember())
			.withDetail("view", this.transport.viewId())
			.withDetail("members", members)
			.withDetail("wireFormat", this.replicator.wireFormat())
			.withDetail("sessions", sessions)
			.withDetail("sessionsShortOfBackups", counts.shortOfBackups())
			.withDetail("rebalancing", this.replicator.isRebalancing())
			.withDetail("copiesBehind", this.statistics.getCopiesBehind())
			.withDetail("stateTransfer", describe(this.statistics.getStateTransfer()))
			.withDetail("changes", changes(this.statistics));
		if (members.size() == 1) {
			builder.withDetail("alone",
					"This member is the only member of the cluster: its sessions have no copy on another member");
		}
	}

	/**
	 * What became of the changes this member sent synchronously, counted once per member
	 * they went to.
	 */
	private static Map<String, Long> changes(ReplicationStatistics statistics) {
		Map<String, Long> changes = new LinkedHashMap<>();
		changes.put("applied", statistics.getChangesApplied());
		changes.put("rejected", statistics.getChangesRejected());
		changes.put("missing", statistics.getChangesMissing());
		return changes;
	}

	private static Map<String, Object> describe(StateTransfer transfer) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("outcome", propertyValue(transfer.outcome()));
		details.put("durationMillis", transfer.duration().toMillis());
		details.put("bytes", transfer.bytes());
		details.put("sessions", transfer.sessions());
		return details;
	}

	/** An enum constant as a property value would spell it: {@code all-to-all}. */
	private static String propertyValue(Enum<?> constant) {
		return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
