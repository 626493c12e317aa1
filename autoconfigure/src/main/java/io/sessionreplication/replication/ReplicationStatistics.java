package io.sessionreplication.replication;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import io.sessionreplication.wire.MessageKind;
import io.sessionreplication.wire.MessageTally;

import org.springframework.util.Assert;

/**
 * What this member's replication did since it started: the payloads and messages it sent
 * and received, by kind, with their bytes; acknowledgements that timed out; payloads
 * rejected as malformed; the sessions created, invalidated and expired here; how its
 * initial state transfer went; and what the repair of copies did. Cheap to update from
 * any thread.
 * <p>
 * It keeps counts only. Events whose values matter one by one (acknowledgement latency,
 * attribute and session sizes) go to the {@link ReplicationObserver}s added to it, none
 * by default.
 */
public class ReplicationStatistics {

	private final Traffic sent = new Traffic();

	private final Traffic received = new Traffic();

	private final LongAdder ackTimeouts = new LongAdder();

	private final LongAdder rejectedPayloads = new LongAdder();

	private final LongAdder rejectedMessages = new LongAdder();

	private final LongAdder rejectionsReceived = new LongAdder();

	private final LongAdder eventsDropped = new LongAdder();

	private final LongAdder changesApplied = new LongAdder();

	private final LongAdder changesRejected = new LongAdder();

	private final LongAdder changesMissing = new LongAdder();

	private final LongAdder sessionsCreated = new LongAdder();

	private final LongAdder sessionsInvalidated = new LongAdder();

	private final LongAdder sessionsExpired = new LongAdder();

	private final LongAdder stateBytes = new LongAdder();

	private final LongAdder repairRounds = new LongAdder();

	private final LongAdder sessionsRepaired = new LongAdder();

	private final LongAdder removalsRepaired = new LongAdder();

	private final AtomicLong copiesBehind = new AtomicLong();

	private volatile StateTransfer stateTransfer = StateTransfer.IN_PROGRESS;

	private final List<ReplicationObserver> observers = new CopyOnWriteArrayList<>();

	/**
	 * Pass the events whose values matter one by one to an observer, from now on.
	 * @param observer the observer
	 */
	public void addObserver(ReplicationObserver observer) {
		Assert.notNull(observer, "'observer' must not be null");
		this.observers.add(observer);
	}

	/** Counts the messages of the payloads this member sends, as they are encoded. */
	MessageTally sentMessages() {
		return this.sent;
	}

	public void payloadSent(int bytes) {
		this.sent.payload(bytes);
	}

	/** Counts the messages of the payloads this member receives, as they are decoded. */
	MessageTally receivedMessages() {
		return this.received;
	}

	public void payloadReceived(int bytes) {
		this.received.payload(bytes);
	}

	void acknowledged(Duration latency) {
		for (ReplicationObserver observer : this.observers) {
			observer.acknowledged(latency);
		}
	}

	/**
	 * A change sent synchronously came back with an outcome for each member it went to.
	 * @param outcome what became of it
	 */
	void delivered(DeliveryOutcome outcome) {
		this.changesApplied.add(outcome.applied().size());
		this.changesRejected.add(outcome.rejected().size() + outcome.removed().size());
		this.changesMissing.add(outcome.missing().size());
	}

	public void ackTimedOut(int members) {
		this.ackTimeouts.add(members);
	}

	public void rejected() {
		this.rejectedPayloads.increment();
	}

	/**
	 * This member rejected well-formed messages that hold values no honest member sends.
	 * @param messages how many
	 */
	public void rejectedMessages(int messages) {
		this.rejectedMessages.add(messages);
	}

	/**
	 * Another member rejected messages that this member sent.
	 * @param messages how many
	 */
	public void rejectionReceived(int messages) {
		this.rejectionsReceived.add(messages);
	}

	/**
	 * A session event was dropped: its listeners were too far behind.
	 */
	public void eventDropped() {
		this.eventsDropped.increment();
	}

	public void sessionCreated() {
		this.sessionsCreated.increment();
	}

	public void sessionInvalidated() {
		this.sessionsInvalidated.increment();
	}

	public void sessionExpired() {
		this.sessionsExpired.increment();
	}

	public void attributeSerialized(int bytes) {
		for (ReplicationObserver observer : this.observers) {
			observer.attributeSerialized(bytes);
		}
	}

	public void sessionSaved(int bytes) {
		for (ReplicationObserver observer : this.observers) {
			observer.sessionSaved(bytes);
		}
	}

	/** This member compared its copies with the members after it in the view. */
	public void repairRound() {
		this.repairRounds.increment();
	}

	/**
	 * This member sent whole copies of sessions to repair another member's copies.
	 * @param sessions how many
	 */
	public void sessionsRepaired(int sessions) {
		this.sessionsRepaired.add(sessions);
	}

	/**
	 * This member sent removals of sessions to a member that still held them.
	 * @param removals how many
	 */
	public void removalsRepaired(int removals) {
		this.removalsRepaired.add(removals);
	}

	/**
	 * This member found more copies on other members to repair, or repaired some.
	 * @param copies how many more, or fewer when negative
	 */
	public void copiesBehind(int copies) {
		this.copiesBehind.addAndGet(copies);
	}

	void stateBytesReceived(long bytes) {
		this.stateBytes.add(bytes);
	}

	/**
	 * Record how the initial state transfer ended.
	 * @param outcome how it ended
	 * @param duration how long the join and the transfer took
	 * @param sessions the sessions this member held then
	 */
	public void stateTransferEnded(StateTransfer.Outcome outcome, Duration duration, int sessions) {
		this.stateTransfer = new StateTransfer(outcome, duration, this.stateBytes.sum(), sessions);
	}

	/**
	 * @return how the initial state transfer went, or that it is still in progress
	 */
	public StateTransfer getStateTransfer() {
		return this.stateTransfer;
	}

	/**
	 * @return the payloads this member sent
	 */
	public long getPayloadsSent() {
		return this.sent.payloads.sum();
	}

	/**
	 * @return the bytes this member sent, counted once per payload
	 */
	public long getBytesSent() {
		return this.sent.bytes.sum();
	}

	/**
	 * @return the payloads this member received
	 */
	public long getPayloadsReceived() {
		return this.received.payloads.sum();
	}

	/**
	 * @return the bytes this member received
	 */
	public long getBytesReceived() {
		return this.received.bytes.sum();
	}

	/**
	 * @param kind the kind of message
	 * @return the messages of that kind this member sent, counted once per payload
	 */
	public long getMessagesSent(MessageKind kind) {
		return this.sent.messages.get(kind).sum();
	}

	/**
	 * @param kind the kind of message
	 * @return the bytes those messages took in their payloads
	 */
	public long getMessageBytesSent(MessageKind kind) {
		return this.sent.messageBytes.get(kind).sum();
	}

	/**
	 * @param kind the kind of message
	 * @return the messages of that kind this member received
	 */
	public long getMessagesReceived(MessageKind kind) {
		return this.received.messages.get(kind).sum();
	}

	/**
	 * @param kind the kind of message
	 * @return the bytes those messages took in their payloads
	 */
	public long getMessageBytesReceived(MessageKind kind) {
		return this.received.messageBytes.get(kind).sum();
	}

	/**
	 * @return how many times a member did not acknowledge a synchronous change in time
	 */
	public long getAckTimeouts() {
		return this.ackTimeouts.sum();
	}

	/**
	 * @return the payloads rejected as malformed
	 */
	public long getRejectedPayloads() {
		return this.rejectedPayloads.sum();
	}

	/**
	 * The messages from other members that this member rejected, well formed but holding
	 * values that no honest member sends (the rest of their payloads applied).
	 * @return the messages rejected
	 */
	public long getRejectedMessages() {
		return this.rejectedMessages.sum();
	}

	/**
	 * The messages this member sent that other members rejected, as their negative
	 * acknowledgements said.
	 * @return the messages rejected by other members
	 */
	public long getRejectionsReceived() {
		return this.rejectionsReceived.sum();
	}

	/**
	 * How many times a member applied a change that this member sent synchronously.
	 * @return the count, one per change and member
	 */
	public long getChangesApplied() {
		return this.changesApplied.sum();
	}

	/**
	 * How many times a member rejected a change that this member sent synchronously:
	 * malformed, invalid, its receiver failed, or it holds the session as removed.
	 * @return the count, one per change and member
	 */
	public long getChangesRejected() {
		return this.changesRejected.sum();
	}

	/**
	 * How many times a member did not answer a change that this member sent
	 * synchronously: it timed out, was suspected, or left.
	 * @return the count, one per change and member
	 */
	public long getChangesMissing() {
		return this.changesMissing.sum();
	}

	/**
	 * The session events dropped because their listeners were too far behind.
	 * @return the events dropped
	 */
	public long getEventsDropped() {
		return this.eventsDropped.sum();
	}

	/**
	 * @return the sessions created on this member
	 */
	public long getSessionsCreated() {
		return this.sessionsCreated.sum();
	}

	/**
	 * @return the sessions invalidated on this member
	 */
	public long getSessionsInvalidated() {
		return this.sessionsInvalidated.sum();
	}

	/**
	 * @return the sessions that expired on this member: those last used here, each
	 * counted on one member only
	 */
	public long getSessionsExpired() {
		return this.sessionsExpired.sum();
	}

	/**
	 * The rounds in which this member compared its copies of sessions with other members
	 * ({@link CopyRepair}).
	 * @return the rounds
	 */
	public long getRepairRounds() {
		return this.repairRounds.sum();
	}

	/**
	 * The whole copies of sessions this member sent to repair other members' copies that
	 * differed or were missing.
	 * @return the copies sent
	 */
	public long getSessionsRepaired() {
		return this.sessionsRepaired.sum();
	}

	/**
	 * The removals this member sent to members that still held a session it remembered
	 * removing.
	 * @return the removals sent
	 */
	public long getRemovalsRepaired() {
		return this.removalsRepaired.sum();
	}

	/**
	 * The copies of sessions on other members that this member knows to be behind its own
	 * (found different, missing, or not acknowledged) and has not repaired yet.
	 * @return the copies
	 */
	public long getCopiesBehind() {
		return this.copiesBehind.get();
	}

	/** The payloads and messages in one direction. */
	private static final class Traffic implements MessageTally {

		private final LongAdder payloads = new LongAdder();

		private final LongAdder bytes = new LongAdder();

		private final Map<MessageKind, LongAdder> messages = adders();

		private final Map<MessageKind, LongAdder> messageBytes = adders();

		void payload(int bytes) {
			this.payloads.increment();
			this.bytes.add(bytes);
		}

		@Override
		public void count(MessageKind kind, int bytes) {
			this.messages.get(kind).increment();
			this.messageBytes.get(kind).add(bytes);
		}

		private static Map<MessageKind, LongAdder> adders() {
			Map<MessageKind, LongAdder> adders = new EnumMap<>(MessageKind.class);
			for (MessageKind kind : MessageKind.values()) {
				adders.put(kind, new LongAdder());
			}
			return adders;
		}

	}

}
