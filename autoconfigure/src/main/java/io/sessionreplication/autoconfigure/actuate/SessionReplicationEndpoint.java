package io.sessionreplication.autoconfigure.actuate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sessionreplication.cluster.ClusterTransport;
import io.sessionreplication.replication.ReplicationMode;
import io.sessionreplication.replication.ReplicationStatistics;
import io.sessionreplication.replication.SessionReplicator;
import io.sessionreplication.store.SessionStore;
import io.sessionreplication.wire.AttributeSerializer;
import io.sessionreplication.wire.CopyReport;
import io.sessionreplication.wire.Coverage;
import io.sessionreplication.wire.SessionIdFingerprint;
import io.sessionreplication.wire.SessionRole;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * The {@code sessionreplication} actuator endpoint: what this member sees of the cluster
 * (its name, the mode, the members of its view, the sessions it holds, by role, the
 * replication traffic it has sent and received since it started) and, for one session,
 * whether this member holds a copy, whether it owns the session and in which role, how
 * much of it the copy covers, and a fingerprint of the copy's versions. Two copies with
 * the same fingerprint hold the same changes. With {@code ?cluster=true} it also asks
 * every member of the view for the same about its copy, and lists their answers.
 * <p>
 * A session is named by its id or by its id's {@link SessionIdFingerprint fingerprint},
 * as log lines show it. The answer shows the fingerprint of the id, never the id.
 * <p>
 * It answers from memory, and never shows attribute values or names: the fingerprint of a
 * copy is a digest of the attributes' change stamps. Only when asked to check a copy
 * ({@code ?attributes=true}) does it deserialize its attribute values, to name those that
 * cannot be read on this member or exceed the size limits, never showing a value: for
 * tests (the {@code session-replication-test} kit asks it) and operators.
 */
@Endpoint(id = "sessionreplication")
public class SessionReplicationEndpoint {

	private final ClusterTransport transport;

	private final SessionStore store;

	private final SessionReplicator replicator;

	private final ReplicationMode mode;

	private final ReplicationStatistics statistics;

	private final SessionAttributeCheck attributeCheck;

	/**
	 * Create the endpoint.
	 * @param transport this member's cluster transport
	 * @param store the sessions of this member
	 * @param replicator the replicator of this member
	 * @param mode the replication mode
	 * @param statistics the replication traffic of this member
	 * @param serializer how attribute values are deserialized on this member
	 * @param maxAttributeSize the largest serialized attribute value, in bytes
	 * @param maxSessionSize the largest session, its serialized values added up, in bytes
	 */
	public SessionReplicationEndpoint(ClusterTransport transport, SessionStore store, SessionReplicator replicator,
			ReplicationMode mode, ReplicationStatistics statistics, AttributeSerializer serializer,
			long maxAttributeSize, long maxSessionSize) {
		this.transport = transport;
		this.store = store;
		this.replicator = replicator;
		this.mode = mode;
		this.statistics = statistics;
		this.attributeCheck = new SessionAttributeCheck(store, serializer, maxAttributeSize, maxSessionSize);
	}

	@ReadOperation
	public MemberDescriptor member() {
		ReplicationStatistics traffic = this.statistics;
		Map<String, Integer> sessionsByRole = new LinkedHashMap<>();
		this.replicator.countSessions().byRole().forEach((role, count) -> sessionsByRole.put(role.tagValue(), count));
		return new MemberDescriptor(this.transport.localMember(), this.mode, this.transport.viewId(),
				this.transport.members(), this.replicator.wireFormat(), this.store.size(), sessionsByRole,
				new TrafficDescriptor(traffic.getPayloadsSent(), traffic.getBytesSent(), traffic.getPayloadsReceived(),
						traffic.getBytesReceived(), traffic.getAckTimeouts(), traffic.getRejectedPayloads(),
						traffic.getRejectedMessages(), traffic.getRejectionsReceived()));
	}

	/**
	 * This member's copy of one session and, when asked, every member's. The session is
	 * named by its id or, if this member holds no session with that id, by the
	 * {@link SessionIdFingerprint fingerprint} of its id: this member then looks for the
	 * session among those it holds. A fingerprint that matches none of them is answered
	 * as not held, and not asked of the cluster, whose members are asked by id.
	 * @param sessionId the session id, or its fingerprint
	 * @param cluster whether to ask every member of the view too (each answers within the
	 * acknowledgement timeout, or is shown as not answering)
	 * @param attributes whether to check this member's copy as a request would find it:
	 * every attribute value deserialized here, and measured against the size limits (the
	 * names of the attributes that fail are shown, never a value)
	 * @return the copy, and the members' copies when asked
	 * @throws InvalidEndpointRequestException if a fingerprint matches several sessions
	 * of this member
	 */
	@ReadOperation
	public CopyDescriptor session(@Selector String sessionId, @Nullable Boolean cluster, @Nullable Boolean attributes) {
		if (this.store.coverage(sessionId) != null || !SessionIdFingerprint.hasShape(sessionId)) {
			return describe(sessionId, cluster, attributes);
		}
		List<String> matches = idsWithFingerprint(sessionId);
		if (matches.size() > 1) {
			throw new InvalidEndpointRequestException(
					"Fingerprint " + sessionId + " matches " + matches.size() + " sessions of this member",
					"Ambiguous fingerprint, use the session id");
		}
		return matches.isEmpty() ? new CopyDescriptor(sessionId, this.transport.localMember(), false, false, null, null,
				null, null, null) : describe(matches.get(0), cluster, attributes);
	}

	/** Goes through every session of this member: for an operator's request only. */
	private List<String> idsWithFingerprint(String fingerprint) {
		List<String> ids = new ArrayList<>();
		this.store.forEachSessionId((id) -> {
			if (SessionIdFingerprint.of(id).equals(fingerprint)) {
				ids.add(id);
			}
		});
		return ids;
	}

	private CopyDescriptor describe(String sessionId, @Nullable Boolean cluster, @Nullable Boolean attributes) {
		String localMember = this.transport.localMember();
		CopyReport mine;
		List<MemberCopyDescriptor> copies = null;
		if (Boolean.TRUE.equals(cluster)) {
			Map<String, CopyReport> reports = this.replicator.reportCopies(sessionId);
			mine = reports.get(localMember);
			copies = this.transport.members()
				.stream()
				.map((member) -> MemberCopyDescriptor.of(member, reports.get(member)))
				.toList();
		}
		else {
			mine = this.replicator.reportCopy(sessionId);
		}
		return new CopyDescriptor(SessionIdFingerprint.of(sessionId), localMember, mine.held(),
				this.replicator.owns(sessionId), roleName(mine.role()), mine.coverage(), mine.fingerprint(), copies,
				Boolean.TRUE.equals(attributes) ? this.attributeCheck.check(sessionId) : null);
	}

	private static @Nullable String roleName(@Nullable SessionRole role) {
		return (role != null) ? role.tagValue() : null;
	}

	/**
	 * This member's view of the cluster.
	 *
	 * @param member this member's name
	 * @param mode the replication mode
	 * @param view the id of the current view: equal on members that installed the same
	 * view
	 * @param members the members of the current view, in view order
	 * @param wireFormat the version of the wire format this member sends in: the newest
	 * that every member of the view speaks (lower than this release's during a rolling
	 * upgrade)
	 * @param sessions the session copies this member holds
	 * @param sessionsByRole the same by this member's role for each: {@code replica}, or
	 * {@code primary}, {@code backup} and {@code spare}
	 * @param traffic the replication traffic of this member since it started
	 */
	public record MemberDescriptor(String member, ReplicationMode mode, String view, List<String> members,
			int wireFormat, int sessions, Map<String, Integer> sessionsByRole, TrafficDescriptor traffic) {
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
	 * @param rejectedMessages the messages received that held values no honest member
	 * sends, dropped while the rest of their payloads applied
	 * @param rejectionsReceived the messages this member sent that other members rejected
	 */
	public record TrafficDescriptor(long payloadsSent, long bytesSent, long payloadsReceived, long bytesReceived,
			long ackTimeouts, long rejectedPayloads, long rejectedMessages, long rejectionsReceived) {
	}

	/**
	 * This member's copy of one session.
	 *
	 * @param idFingerprint the {@link SessionIdFingerprint fingerprint} of the session's
	 * id, as log lines show it
	 * @param member this member's name
	 * @param held whether it holds a copy
	 * @param owner whether it is one of the session's owners in the current view (every
	 * member in {@code all-to-all} mode); {@code false} for a fingerprint that matches no
	 * session of this member
	 * @param role this member's role for the session: {@code replica}, {@code primary} or
	 * {@code backup} as an owner, {@code spare} when it holds a copy without owning the
	 * session, {@code null} when neither or for a fingerprint that matches no session of
	 * this member
	 * @param coverage how much of the session the copy covers, {@code null} without one
	 * @param fingerprint a digest of the versions of the copy, {@code null} without one
	 * @param cluster every member's copy, in view order, when asked for, unless the
	 * session was named by a fingerprint that matches no session of this member; else
	 * {@code null}
	 * @param attributes the check of this member's copy when asked for
	 * ({@code ?attributes=true}) and held; else {@code null}
	 */
	public record CopyDescriptor(String idFingerprint, String member, boolean held, boolean owner,
			@Nullable String role, @Nullable Coverage coverage, @Nullable String fingerprint,
			@Nullable List<MemberCopyDescriptor> cluster, @Nullable AttributesDescriptor attributes) {
	}

	/**
	 * The attributes of this member's copy of a session, as checked.
	 *
	 * @param count how many attributes the copy holds
	 * @param bytes their serialized values, added up
	 * @param maxAttributeSize the largest serialized value allowed, in bytes
	 * @param maxSessionSize the largest session allowed, in bytes
	 * @param problems the values that cannot be read on this member or do not fit, none
	 * if all is well
	 */
	public record AttributesDescriptor(int count, long bytes, long maxAttributeSize, long maxSessionSize,
			List<AttributeProblem> problems) {
	}

	/**
	 * One problem of a copy of a session.
	 *
	 * @param attribute the attribute's name, {@code null} for the session as a whole
	 * @param problem what is wrong, without the value
	 */
	public record AttributeProblem(@Nullable String attribute, String problem) {
	}

	/**
	 * One member's copy of a session, as it answered.
	 *
	 * @param member the member's name
	 * @param answered whether it answered in time; the other fields are empty if not
	 * @param held whether it holds a copy
	 * @param role its role for the session, as in {@link CopyDescriptor}
	 * @param coverage how much of the session the copy covers, {@code null} without one
	 * @param fingerprint a digest of the versions of the copy, {@code null} without one
	 */
	public record MemberCopyDescriptor(String member, boolean answered, boolean held, @Nullable String role,
			@Nullable Coverage coverage, @Nullable String fingerprint) {

		static MemberCopyDescriptor of(String member, @Nullable CopyReport report) {
			return (report != null) ? new MemberCopyDescriptor(member, true, report.held(), roleName(report.role()),
					report.coverage(), report.fingerprint())
					: new MemberCopyDescriptor(member, false, false, null, null, null);
		}

	}

}
