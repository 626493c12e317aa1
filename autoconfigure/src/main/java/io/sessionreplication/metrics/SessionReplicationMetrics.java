package io.sessionreplication.metrics;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import java.util.function.ToLongFunction;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.sessionreplication.cluster.ClusterTransport;
import io.sessionreplication.replication.ReplicationObserver;
import io.sessionreplication.replication.ReplicationStatistics;
import io.sessionreplication.replication.SessionReplicator;
import io.sessionreplication.replication.StateTransfer;
import io.sessionreplication.store.DiscardedWrites;
import io.sessionreplication.store.SessionStore;
import io.sessionreplication.wire.AttributeSerializer;
import io.sessionreplication.wire.MessageKind;
import io.sessionreplication.wire.SessionRole;
import org.jspecify.annotations.Nullable;

/**
 * Binds the meters of session replication, all named {@code session.replication.*}, to a
 * registry: the sessions this member holds by role, the sessions created, invalidated and
 * expired here, the replication traffic by message kind, the latency of synchronous
 * acknowledgements and their timeouts, rejected payloads, deserialization failures, the
 * initial state transfer, the repair of copies, the members, and the sizes of attributes
 * and sessions. The README lists every meter with its type and tags.
 * <p>
 * Counters and gauges read the engine's live state when the registry asks. No tag holds a
 * session id or an attribute name: every tag has a handful of values.
 */
public class SessionReplicationMetrics implements MeterBinder {

	private static final String PREFIX = "session.replication.";

	private final ReplicationStatistics statistics;

	private final SessionCensus census;

	private final ClusterTransport transport;

	private final AttributeSerializer serializer;

	private final SessionStore store;

	/**
	 * Create the binder.
	 * @param statistics the counters of the engine
	 * @param replicator the replicator, to count the sessions by role
	 * @param transport the cluster, for its members
	 * @param serializer the attribute serializer, for its failures
	 * @param store the sessions of this member, for the removals it remembers
	 */
	public SessionReplicationMetrics(ReplicationStatistics statistics, SessionReplicator replicator,
			ClusterTransport transport, AttributeSerializer serializer, SessionStore store) {
		this.statistics = statistics;
		this.census = new SessionCensus(replicator);
		this.transport = transport;
		this.serializer = serializer;
		this.store = store;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		bindSessions(registry);
		bindTraffic(registry);
		bindStateTransfer(registry);
		bindRepair(registry);
		Gauge.builder(PREFIX + "members", this.transport, (transport) -> transport.members().size())
			.description("The members in this member's view of the cluster, this one included")
			.register(registry);
		counter(PREFIX + "deserialization.failures", this.serializer, AttributeSerializer::getDeserializationFailures)
			.description("Session attribute values that could not be deserialized on this member")
			.register(registry);
		observe(registry);
	}

	private void bindSessions(MeterRegistry registry) {
		for (SessionRole role : this.census.roles()) {
			Gauge.builder(PREFIX + "sessions", this.census, (census) -> census.held(role))
				.tag("role", role.tagValue())
				.description("The sessions this member holds, by the role it holds them in")
				.register(registry);
		}
		Gauge.builder(PREFIX + "sessions.short.of.backups", this.census, SessionCensus::shortOfBackups)
			.description("The sessions this member is the primary of that have fewer backups than configured")
			.register(registry);
		statistic(registry, "sessions.created", ReplicationStatistics::getSessionsCreated,
				"The sessions created on this member");
		statistic(registry, "sessions.invalidated", ReplicationStatistics::getSessionsInvalidated,
				"The sessions invalidated on this member");
		statistic(registry, "sessions.expired", ReplicationStatistics::getSessionsExpired,
				"The sessions that expired after their last use on this member");
	}

	private void bindTraffic(MeterRegistry registry) {
		for (MessageKind kind : MessageKind.values()) {
			trafficCounter(registry, "messages.sent", kind, null, (statistics) -> statistics.getMessagesSent(kind),
					"The replication messages this member sent, once per payload whatever its recipients");
			trafficCounter(registry, "messages.received", kind, null,
					(statistics) -> statistics.getMessagesReceived(kind),
					"The replication messages this member received");
			trafficCounter(registry, "bytes.sent", kind, BaseUnits.BYTES,
					(statistics) -> statistics.getMessageBytesSent(kind),
					"The bytes of the replication messages this member sent");
			trafficCounter(registry, "bytes.received", kind, BaseUnits.BYTES,
					(statistics) -> statistics.getMessageBytesReceived(kind),
					"The bytes of the replication messages this member received");
		}
		statistic(registry, "payloads.sent", ReplicationStatistics::getPayloadsSent,
				"The payloads (JGroups messages) this member sent, each carrying one or more messages");
		statistic(registry, "payloads.received", ReplicationStatistics::getPayloadsReceived,
				"The payloads this member received");
		statistic(registry, "ack.timeouts", ReplicationStatistics::getAckTimeouts,
				"The times a member did not acknowledge a synchronous change within the acknowledgement timeout");
		changeCounter(registry, "applied", ReplicationStatistics::getChangesApplied);
		changeCounter(registry, "rejected", ReplicationStatistics::getChangesRejected);
		changeCounter(registry, "missing", ReplicationStatistics::getChangesMissing);
		statistic(registry, "payloads.rejected", ReplicationStatistics::getRejectedPayloads,
				"The payloads received that did not decode and were dropped");
		statistic(registry, "messages.rejected", ReplicationStatistics::getRejectedMessages,
				"The messages received that held values no honest member sends (a forged version, a time too far "
						+ "ahead, a value over the size limits), dropped while the rest of their payloads applied");
		Gauge.builder(PREFIX + "removals.remembered", this.store, SessionStore::removalsRemembered)
			.description("The removed sessions this member remembers, so that a change still in flight cannot bring "
					+ "one back")
			.register(registry);
		counter(PREFIX + "removals.forgotten.early", this.store, SessionStore::removalsForgottenEarly)
			.description("The removals this member forgot before their time, because it remembered as many as "
					+ "max-removals-remembered allows")
			.register(registry);
		counter(PREFIX + "writes.discarded", this.store.discardedWrites(), DiscardedWrites::total)
			.description("The acknowledged writes made during a partition that the split-brain rule (the later "
					+ "write wins) discarded at a merge, each counted by one member: sum it over the members")
			.register(registry);
		statistic(registry, "events.dropped", ReplicationStatistics::getEventsDropped,
				"The session events that changes from other members caused and that were dropped, their listeners "
						+ "too far behind");
		statistic(registry, "rejections.received", ReplicationStatistics::getRejectionsReceived,
				"The messages this member sent that other members rejected, as their negative acknowledgements said");
	}

	private void bindRepair(MeterRegistry registry) {
		statistic(registry, "repair.rounds", ReplicationStatistics::getRepairRounds,
				"The rounds in which this member compared its copies of sessions with the other members");
		statistic(registry, "repair.sessions", ReplicationStatistics::getSessionsRepaired,
				"The whole copies of sessions this member sent to repair other members' copies that differed or were "
						+ "missing");
		statistic(registry, "repair.removals", ReplicationStatistics::getRemovalsRepaired,
				"The removals this member sent to members that still held a session it remembered removing");
		Gauge.builder(PREFIX + "copies.behind", this.statistics, ReplicationStatistics::getCopiesBehind)
			.description("The copies of sessions on other members that this member knows to be behind its own and "
					+ "has not repaired yet")
			.register(registry);
	}

	private void bindStateTransfer(MeterRegistry registry) {
		TimeGauge
			.builder(PREFIX + "state.transfer.duration", this.statistics, TimeUnit.MILLISECONDS,
					(statistics) -> statistics.getStateTransfer().duration().toMillis())
			.description("How long this member's join and initial state transfer took")
			.register(registry);
		stateTransferGauge(registry, "state.transfer.size", BaseUnits.BYTES, StateTransfer::bytes,
				"The bytes of the state this member received when it joined");
		stateTransferGauge(registry, "state.transfer.sessions", BaseUnits.SESSIONS, StateTransfer::sessions,
				"The sessions this member held when its initial state transfer ended");
	}

	private void observe(MeterRegistry registry) {
		Timer ackLatency = Timer.builder(PREFIX + "ack.latency")
			.description("From sending a synchronous change until every member it went to has applied it")
			.register(registry);
		DistributionSummary attributeSize = DistributionSummary.builder(PREFIX + "attribute.size")
			.baseUnit(BaseUnits.BYTES)
			.description("The serialized size of the attribute values that requests set")
			.register(registry);
		DistributionSummary sessionSize = DistributionSummary.builder(PREFIX + "session.size")
			.baseUnit(BaseUnits.BYTES)
			.description("The serialized size of all of a session's attribute values, when a request saves it")
			.register(registry);
		this.statistics.addObserver(new ReplicationObserver() {

			@Override
			public void acknowledged(Duration latency) {
				ackLatency.record(latency);
			}

			@Override
			public void attributeSerialized(int bytes) {
				attributeSize.record(bytes);
			}

			@Override
			public void sessionSaved(int bytes) {
				sessionSize.record(bytes);
			}

		});
	}

	private void changeCounter(MeterRegistry registry, String outcome, ToLongFunction<ReplicationStatistics> count) {
		counter(PREFIX + "changes", this.statistics, count).tag("outcome", outcome)
			.description("What became of the changes this member sent synchronously, once per member they went to: "
					+ "applied, rejected (malformed, invalid, failed, or the session removed there), or missing "
					+ "(no answer within ack-timeout, suspected, or gone)")
			.register(registry);
	}

	private void statistic(MeterRegistry registry, String name, ToLongFunction<ReplicationStatistics> count,
			String description) {
		counter(PREFIX + name, this.statistics, count).description(description).register(registry);
	}

	private void trafficCounter(MeterRegistry registry, String name, MessageKind kind, @Nullable String baseUnit,
			ToLongFunction<ReplicationStatistics> count, String description) {
		counter(PREFIX + name, this.statistics, count).tag("kind", kind.tagValue())
			.baseUnit(baseUnit)
			.description(description)
			.register(registry);
	}

	private static <T> FunctionCounter.Builder<T> counter(String name, T source, ToLongFunction<T> count) {
		return FunctionCounter.builder(name, source, (state) -> count.applyAsLong(state));
	}

	private void stateTransferGauge(MeterRegistry registry, String name, String baseUnit,
			ToDoubleFunction<StateTransfer> value, String description) {
		Gauge
			.builder(PREFIX + name, this.statistics, (statistics) -> value.applyAsDouble(statistics.getStateTransfer()))
			.baseUnit(baseUnit)
			.description(description)
			.register(registry);
	}

}
