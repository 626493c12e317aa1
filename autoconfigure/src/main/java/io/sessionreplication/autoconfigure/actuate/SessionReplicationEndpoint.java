package io.sessionreplication.autoconfigure.actuate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sessionreplication.AttributeChange;
import io.sessionreplication.ClusterTransport;
import io.sessionreplication.Coverage;
import io.sessionreplication.ReplicationMode;
import io.sessionreplication.ReplicationStatistics;
import io.sessionreplication.SessionDelta;
import io.sessionreplication.SessionReplicator;
import io.sessionreplication.SessionRole;
import io.sessionreplication.SessionStore;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code sessionreplication} actuator endpoint: what this member sees of the cluster
 * (its name, the mode, the members of its view, the sessions it holds, by role, the
 * replication traffic it has sent and received since it started) and, for one session id,
 * whether this member holds a copy, whether it owns the session and in which role, how
 * much of it the copy covers, and a fingerprint of the copy's versions. Two copies with
 * the same fingerprint hold the same changes.
 * <p>
 * It answers for this member only, from memory, and never shows attribute values or
 * names: the fingerprint is a digest of the attributes' change stamps.
 */
@Endpoint(id = "sessionreplication")
public class SessionReplicationEndpoint {

	private final ClusterTransport transport;

	private final SessionStore store;

	private final SessionReplicator replicator;

	private final ReplicationMode mode;

	private final ReplicationStatistics statistics;

	public SessionReplicationEndpoint(ClusterTransport transport, SessionStore store, SessionReplicator replicator,
			ReplicationMode mode, ReplicationStatistics statistics) {
		this.transport = transport;
		this.store = store;
		this.replicator = replicator;
		this.mode = mode;
		this.statistics = statistics;
	}

	@ReadOperation
	public MemberDescriptor member() {
		ReplicationStatistics traffic = this.statistics;
		Map<String, Integer> sessionsByRole = new LinkedHashMap<>();
		this.replicator.countSessions().byRole().forEach((role, count) -> sessionsByRole.put(role.tagValue(), count));
		return new MemberDescriptor(this.transport.localMember(), this.mode, this.transport.viewId(),
				this.transport.members(), this.store.size(), sessionsByRole,
				new TrafficDescriptor(traffic.getPayloadsSent(), traffic.getBytesSent(), traffic.getPayloadsReceived(),
						traffic.getBytesReceived(), traffic.getAckTimeouts(), traffic.getRejectedPayloads()));
	}

	@ReadOperation
	public CopyDescriptor session(@Selector String sessionId) {
		SessionDelta copy = this.store.copy(sessionId);
		SessionRole role = this.replicator.roleOf(sessionId);
		return new CopyDescriptor(this.transport.localMember(), copy != null, this.replicator.owns(sessionId),
				(role != null) ? role.tagValue() : null, (copy != null) ? copy.coverage() : null,
				(copy != null) ? fingerprint(copy) : null);
	}

	private static String fingerprint(SessionDelta copy) {
		StringBuilder stamps = new StringBuilder().append(copy.maxInactiveStamp());
		copy.attributes()
			.stream()
			.filter((attribute) -> !attribute.isRemoval())
			.sorted(Comparator.comparing(AttributeChange::name))
			.forEach((attribute) -> stamps.append('|').append(attribute.name()).append('=').append(attribute.stamp()));
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest(stamps.toString().getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, 12);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

	/**
	 * This member's view of the cluster.
	 *
	 * @param member this member's name
	 * @param mode the replication mode
	 * @param view the id of the current view: equal on members that installed the same
	 * view
	 * @param members the members of the current view, in view order
	 * @param sessions the session copies this member holds
	 * @param sessionsByRole the same by this member's role for each: {@code replica}, or
	 * {@code primary}, {@code backup} and {@code spare}
	 * @param traffic the replication traffic of this member since it started
	 */
	public record MemberDescriptor(String member, ReplicationMode mode, String view, List<String> members, int sessions,
			Map<String, Integer> sessionsByRole, TrafficDescriptor traffic) {
	}

	/**
	 * The replication traffic of this member since it started: the payloads of this
	 * starter's messages, not JGroups' own headers and control messages.
	 *
	 * @param payloadsSent the payloads sent
	 * @param bytesSent their bytes
	 * @param payloadsReceived the payloads received
	 * @param bytesReceived their bytes
	 * @param ackTimeouts the acknowledgements that did not come in time
	 * @param rejectedPayloads the payloads received that did not decode and were dropped
	 */
	public record TrafficDescriptor(long payloadsSent, long bytesSent, long payloadsReceived, long bytesReceived,
			long ackTimeouts, long rejectedPayloads) {
	}

	/**
	 * This member's copy of one session.
	 *
	 * @param member this member's name
	 * @param held whether it holds a copy
	 * @param owner whether it is one of the session's owners in the current view (every
	 * member in {@code all-to-all} mode)
	 * @param role this member's role for the session: {@code replica}, {@code primary} or
	 * {@code backup} as an owner, {@code spare} when it holds a copy without owning the
	 * session, {@code null} when neither
	 * @param coverage how much of the session the copy covers, {@code null} without one
	 * @param fingerprint a digest of the versions of the copy, {@code null} without one
	 */
	public record CopyDescriptor(String member, boolean held, boolean owner, @Nullable String role,
			@Nullable Coverage coverage, @Nullable String fingerprint) {
	}

}
