package io.sessionreplication.replication;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.sessionreplication.cluster.Acknowledgements;
import io.sessionreplication.cluster.ClusterTransport;
import io.sessionreplication.cluster.WireFormats;
import io.sessionreplication.store.SessionStore;
import io.sessionreplication.wire.AccessQuery;
import io.sessionreplication.wire.Barrier;
import io.sessionreplication.wire.ClusterMessage;
import io.sessionreplication.wire.ClusterMessageCodec;
import io.sessionreplication.wire.CopyQuery;
import io.sessionreplication.wire.CopyReport;
import io.sessionreplication.wire.DecodedPayload;
import io.sessionreplication.wire.EncodedMessages;
import io.sessionreplication.wire.MalformedMessageException;
import io.sessionreplication.wire.MessageLimits;
import io.sessionreplication.wire.Rejection;
import io.sessionreplication.wire.SessionDelta;
import io.sessionreplication.wire.SessionRemoval;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What every {@link SessionReplicator} does the same way: it queues changes in
 * {@link DeliveryMode#ASYNC} and sends them in batches, sends the changes of concurrent
 * requests together in {@link DeliveryMode#SYNC} ({@link GroupCommit}), encodes and
 * counts what it sends, reports members that do not acknowledge in time, rejects payloads
 * that do not decode, streams sessions during state transfer, reports on this member's
 * copy of a session ({@link CopyQuery}), asks the member of a session's latest access
 * whether it is still live ({@link AccessQuery}), and repairs the copies that differ
 * between members ({@link CopyRepair}). Subclasses decide where each message goes, which
 * sessions a joining member receives and where the copies live.
 */
public abstract class AbstractSessionReplicator implements SessionReplicator {

	private static final Log logger = LogFactory.getLog(AbstractSessionReplicator.class);

	/** What {@link #receive} returns for a payload applied, with no reply to send. */
	protected static final CompletionStage<byte @Nullable []> APPLIED = CompletableFuture.completedStage(null);

	protected final SessionStore store;

	protected final ClusterTransport transport;

	protected final ReplicationStatistics statistics;

	/** Counts the writes that the split-brain rule discards at merges. */
	protected final MergeWatch mergeWatch;

	private volatile ClusterMessageCodec codec = new ClusterMessageCodec();

	private volatile WireFormatChoice formatChoice;

	/** The rejections this member makes of what it receives. */
	private final RejectionLog rejections = new RejectionLog();

	/** The rejections other members make of what this member sends. */
	private final RejectionLog rejectionsReceived = new RejectionLog();

	private final Duration ackTimeout;

	private final @Nullable BatchingSender batchingSender;

	private final GroupCommit groupCommit = new GroupCommit(this::sendJoinedAndAwait);

	private final CopyRepair repair;

	AbstractSessionReplicator(SessionStore store, ClusterTransport transport, DeliveryMode delivery,
			Duration ackTimeout, ReplicationStatistics statistics) {
		this.store = store;
		this.transport = transport;
		this.ackTimeout = ackTimeout;
		this.statistics = statistics;
		this.mergeWatch = new MergeWatch(transport.localMember(), store.discardedWrites());
		this.formatChoice = formatChoiceOf(this.codec);
		this.batchingSender = (delivery == DeliveryMode.ASYNC) ? new BatchingSender(this::sendQueued) : null;
		this.repair = new CopyRepair(store, this::placement, new RepairPeers(), statistics);
	}

	/**
	 * Set the codec: what a message received from another member may hold (a message
	 * beyond its limits is rejected), and which wire formats this member speaks. Default
	 * is a codec of {@link MessageLimits#DEFAULTS} that speaks every format of this
	 * release. Set it before the member joins.
	 * @param codec the codec
	 */
	public void setCodec(ClusterMessageCodec codec) {
		this.codec = codec;
		this.formatChoice = formatChoiceOf(codec);
	}

	private WireFormatChoice formatChoiceOf(ClusterMessageCodec codec) {
		return new WireFormatChoice(this.transport, new WireFormats(codec.oldestFormat(), codec.newestFormat()));
	}

	@Override
	public int wireFormat() {
		return this.formatChoice.format();
	}

	@Override
	public final DeliveryOutcome replicate(ClusterMessage message) {
		if (this.batchingSender != null) {
			this.batchingSender.enqueue(message);
			return DeliveryOutcome.NONE;
		}
		return replicateNow(message);
	}

	/**
	 * Send one message and wait for its acknowledgements ({@link DeliveryMode#SYNC}),
	 * with {@link #sendChange}.
	 * @param message the message
	 * @return what became of it, member by member
	 */
	protected abstract DeliveryOutcome replicateNow(ClusterMessage message);

	/**
	 * Send a request's change and wait until the members have applied it, or the
	 * acknowledgement timeout has passed, like {@link #sendAndAwait}; the payload also
	 * carries the changes that other requests send to the same members meanwhile.
	 * @param messages the messages of the change, kept together and in order
	 * @param members the members to send to, or {@code null} for every other member
	 * @return what became of the change, member by member, also counted in the statistics
	 */
	protected DeliveryOutcome sendChange(List<? extends ClusterMessage> messages, @Nullable List<String> members) {
		if (members != null && members.isEmpty()) {
			return DeliveryOutcome.NONE;
		}
		DeliveryOutcome outcome = this.groupCommit
			.send(this.codec.encodeMessages(messages, wireFormat(), this.statistics.sentMessages()), members);
		this.statistics.delivered(outcome);
		repairBehind(messages, outcome);
		return outcome;
	}

	/**
	 * Repair at once, in the background, the copies of a change's sessions on the members
	 * that did not apply it: those missing and those that rejected it. A member that
	 * holds the session as removed needs no repair: the removal wins.
	 */
	private void repairBehind(List<? extends ClusterMessage> messages, DeliveryOutcome outcome) {
		if (outcome.missing().isEmpty() && outcome.rejected().isEmpty()) {
			return;
		}
		Set<String> sessionIds = new LinkedHashSet<>();
		for (ClusterMessage message : messages) {
			if (message instanceof SessionDelta delta) {
				sessionIds.add(delta.sessionId());
				if (delta.previousId() != null) {
					sessionIds.add(delta.previousId());
				}
			}
			else if (message instanceof SessionRemoval removal) {
				sessionIds.add(removal.sessionId());
			}
		}
		outcome.missing().forEach((member) -> this.repair.repairSoon(sessionIds, member));
		outcome.rejected().keySet().forEach((member) -> this.repair.repairSoon(sessionIds, member));
	}

	/**
	 * Send the messages of a group commit in one payload, and wait as
	 * {@link #sendAndAwait} does.
	 */
	private PayloadOutcome sendJoinedAndAwait(List<EncodedMessages> parts, @Nullable Collection<String> members) {
		byte[] payload = this.codec.join(parts, wireFormat());
		this.statistics.payloadSent(payload.length);
		return awaitAcknowledgements(payload, members, () -> (parts.size() == 1) ? parts.get(0).description()
				: parts.stream().mapToInt(EncodedMessages::count).sum() + " session messages");
	}

	/**
	 * Forget how changes were sent to members that are not in the view any more.
	 * @param members the members of the current view
	 */
	protected void forgetMembersGone(List<String> members) {
		this.groupCommit.retainMembers(members);
	}

	/**
	 * Send a batch of queued messages without waiting ({@link DeliveryMode#ASYNC}).
	 * @param batch the messages, in the order they were queued
	 */
	protected abstract void sendQueued(List<ClusterMessage> batch);

	/**
	 * The sessions a joining member receives through state transfer.
	 * @param consumer takes each session
	 */
	protected abstract void exportState(Consumer<? super SessionDelta> consumer);

	/**
	 * Where the copies of sessions live in the current view: the copies that
	 * {@link CopyRepair} compares.
	 * @return the placement
	 */
	protected abstract CopyPlacement placement();

	@Override
	public void startRepair(Duration interval) {
		this.repair.start(interval);
	}

	@Override
	public void repairSoon(Collection<String> sessionIds, String member) {
		this.repair.repairSoon(sessionIds, member);
	}

	/**
	 * Stop repairing copies, send what is still queued, and wait until the other members
	 * have received everything sent before ({@link #awaitDelivery()}).
	 */
	@Override
	public void flush() {
		this.repair.stop();
		if (this.batchingSender != null) {
			this.batchingSender.close();
			awaitDelivery();
		}
	}

	/**
	 * Wait until every other member has received what this member sent it so far: send a
	 * {@link Barrier} on each path that messages took, and wait for its acknowledgements.
	 * Multicasts arrive in order, so one to every member suffices here.
	 */
	protected void awaitDelivery() {
		sendAndAwait(List.of(new Barrier()), null);
	}

	/**
	 * Send messages in one payload and wait until the members have applied them, or the
	 * acknowledgement timeout has passed; a late member is logged and counted, and does
	 * not fail the sender.
	 * @param messages the messages
	 * @param members the members to send to, or {@code null} for every other member
	 */
	protected void sendAndAwait(List<? extends ClusterMessage> messages, @Nullable Collection<String> members) {
		if (members != null && members.isEmpty()) {
			return;
		}
		awaitAcknowledgements(encode(messages), members, () -> EncodedMessages.describe(messages));
	}

	private PayloadOutcome awaitAcknowledgements(byte[] payload, @Nullable Collection<String> members,
			Supplier<String> what) {
		long start = System.nanoTime();
		Acknowledgements acknowledgements = (members != null)
				? this.transport.sendAndAwait(payload, members, this.ackTimeout)
				: this.transport.sendAndAwait(payload, this.ackTimeout);
		Map<String, List<Rejection>> rejections = new LinkedHashMap<>();
		acknowledgements.replies().forEach((member, reply) -> {
			List<Rejection> rejected = new ArrayList<>();
			readReply(member, reply, rejected::add);
			rejections.put(member, rejected);
		});
		Set<String> missing = acknowledgements.missing();
		if (missing.isEmpty()) {
			this.statistics.acknowledged(Duration.ofNanos(System.nanoTime() - start));
		}
		else {
			this.statistics.ackTimedOut(missing.size());
			logger.warn("Member(s) " + missing + " did not acknowledge " + what.get() + " within " + this.ackTimeout
					+ " (timed out, suspected or gone); the sender goes on without them");
		}
		return new PayloadOutcome(acknowledgements, rejections);
	}

	/**
	 * Send messages in one payload without waiting.
	 * @param messages the messages
	 * @param members the members to send to, or {@code null} for every other member
	 */
	protected void send(List<? extends ClusterMessage> messages, @Nullable Collection<String> members) {
		if (members != null && members.isEmpty()) {
			return;
		}
		byte[] payload = encode(messages);
		if (members != null) {
			this.transport.send(payload, members);
		}
		else {
			this.transport.send(payload);
		}
	}

	/**
	 * Send a request and collect the replies, waiting at most the acknowledgement
	 * timeout.
	 * @param message the request
	 * @param members the members to ask
	 * @return the messages of every reply that decodes
	 */
	protected List<ClusterMessage> request(ClusterMessage message, Collection<String> members) {
		return request(List.of(message), members);
	}

	/**
	 * Send requests in one payload and collect the replies, waiting at most the
	 * acknowledgement timeout.
	 * @param messages the requests
	 * @param members the members to ask
	 * @return the messages of every reply that decodes
	 */
	private List<ClusterMessage> request(List<? extends ClusterMessage> messages, Collection<String> members) {
		if (members.isEmpty()) {
			return List.of();
		}
		return this.transport.request(encode(messages), members, this.ackTimeout)
			.entrySet()
			.stream()
			.flatMap((reply) -> readReply(reply.getKey(), reply.getValue(), (rejection) -> {
			}).stream())
			.toList();
	}

	@Override
	public Map<String, CopyReport> reportCopies(String sessionId) {
		String localMember = this.transport.localMember();
		Map<String, CopyReport> reports = new LinkedHashMap<>();
		reports.put(localMember, reportCopy(sessionId));
		List<String> others = this.transport.members()
			.stream()
			.filter((member) -> !member.equals(localMember))
			.toList();
		if (!others.isEmpty()) {
			this.transport.request(encode(List.of(new CopyQuery(sessionId))), others, this.ackTimeout)
				.forEach((member, reply) -> readReply(member, reply, (rejection) -> {
				}).stream()
					.filter(CopyReport.class::isInstance)
					.findFirst()
					.ifPresent((report) -> reports.put(member, (CopyReport) report)));
		}
		return reports;
	}

	@Override
	public boolean isMember(String member) {
		return this.transport.members().contains(member);
	}

	/**
	 * Asks each member of the view named as the latest accessor of some of the sessions,
	 * one after the other, in payloads that a {@link PayloadBudget} admits; an answer
	 * about a session that was not asked of that member is ignored.
	 */
	@Override
	public Set<String> confirmLive(Collection<String> sessionIds) {
		String localMember = this.transport.localMember();
		List<String> view = this.transport.members();
		Map<String, List<AccessQuery>> queries = new LinkedHashMap<>();
		for (String sessionId : sessionIds) {
			String member = this.store.lastAccessedBy(sessionId);
			if (member != null && !member.equals(localMember) && view.contains(member)) {
				queries.computeIfAbsent(member, (key) -> new ArrayList<>()).add(new AccessQuery(sessionId));
			}
		}
		Set<String> live = new HashSet<>();
		queries.forEach((member, asked) -> {
			for (int from = 0; from < asked.size(); from += PayloadBudget.MAX_MESSAGES) {
				List<AccessQuery> payload = asked.subList(from,
						Math.min(asked.size(), from + PayloadBudget.MAX_MESSAGES));
				Set<String> ids = new HashSet<>();
				payload.forEach((query) -> ids.add(query.sessionId()));
				for (ClusterMessage answer : request(payload, List.of(member))) {
					if (answer instanceof SessionDelta access && ids.contains(access.sessionId())) {
						this.store.apply(access);
						if (member.equals(access.lastAccessedBy())) {
							live.add(access.sessionId());
						}
					}
					else if (answer instanceof SessionRemoval expiry && ids.contains(expiry.sessionId())) {
						this.store.apply(expiry);
					}
				}
			}
		});
		return live;
	}

	@Override
	public CopyReport reportCopy(String sessionId) {
		return CopyReport.of(sessionId, this.store.copy(sessionId), roleOf(sessionId));
	}

	/**
	 * Encode messages into one payload and count it as sent.
	 * @param messages the messages
	 * @return the payload
	 */
	protected byte[] encode(List<? extends ClusterMessage> messages) {
		byte[] payload = this.codec.encode(messages, wireFormat(), this.statistics.sentMessages());
		this.statistics.payloadSent(payload.length);
		return payload;
	}

	/**
	 * Decode a payload from another member and count it as received. A payload that does
	 * not decode, and each message that holds values no honest member sends, is counted,
	 * logged once per sender, and left out; the others are delivered.
	 * @param payload the payload
	 * @param sender the member that sent it
	 * @return its messages to deliver, and the negative acknowledgement of the rest
	 */
	protected DecodedPayload decode(byte[] payload, String sender) {
		this.statistics.payloadReceived(payload.length);
		try {
			DecodedPayload decoded = this.codec.decodePayload(payload, this.statistics.receivedMessages());
			Rejection rejection = decoded.rejection();
			if (rejection != null) {
				this.statistics.rejectedMessages(rejection.count());
				this.rejections.log(sender, "Rejected " + rejection.count() + " replication message(s) from member "
						+ sender + " and applied the rest of its payload: " + rejection.reason());
			}
			return decoded;
		}
		catch (MalformedMessageException ex) {
			this.statistics.rejected();
			this.rejections.log(sender, "Rejected a replication payload of " + payload.length + " bytes from member "
					+ sender + ": " + ex.getMessage());
			return DecodedPayload.rejected(Rejection.malformed(ex.getMessage()));
		}
	}

	/**
	 * The answer to a question of {@link CopyRepair}, which comes alone in its payload
	 * and is answered on a thread of the repair, never on the thread that delivers
	 * payloads.
	 * @param decoded the payload as it was decoded
	 * @param sender the member that sent it
	 * @return the answer, or {@code null} if the payload is not such a question
	 */
	protected @Nullable CompletionStage<byte @Nullable []> answerRepair(DecodedPayload decoded, String sender) {
		List<ClusterMessage> messages = decoded.messages();
		if (messages.size() != 1 || !CopyRepair.answers(messages.get(0))) {
			return null;
		}
		return this.repair.answer(messages.get(0), sender)
			.thenCompose((replies) -> answer(decoded, replies, List.of()));
	}

	/**
	 * What {@link #receive} returns: the replies to send, with the negative
	 * acknowledgements of what was rejected, or nothing if there is neither.
	 * @param decoded the payload as it was decoded
	 * @param replies the replies to the messages delivered
	 * @param removed the positions in the payload of the changes dropped because this
	 * member holds their sessions as removed
	 * @return the answer to the payload
	 */
	protected CompletionStage<byte @Nullable []> answer(DecodedPayload decoded, List<ClusterMessage> replies,
			List<Integer> removed) {
		if (decoded.rejection() == null && removed.isEmpty()) {
			return replies.isEmpty() ? APPLIED : CompletableFuture.completedStage(encode(replies));
		}
		List<ClusterMessage> answer = new ArrayList<>(replies);
		if (decoded.rejection() != null) {
			answer.add(decoded.rejection());
		}
		if (!removed.isEmpty()) {
			answer.add(Rejection.of(Rejection.Cause.REMOVED, removed, "the session is removed on this member"));
		}
		return CompletableFuture.completedStage(encode(answer));
	}

	/**
	 * Read what a member replied: count and log its negative acknowledgements (all but
	 * those of changes to sessions it holds as removed, which are no fault), hand them to
	 * {@code rejections}, and return the rest.
	 * @param member the member
	 * @param reply its reply
	 * @param rejections takes the negative acknowledgements
	 * @return the messages of the reply other than negative acknowledgements
	 */
	private List<ClusterMessage> readReply(String member, byte[] reply, Consumer<Rejection> rejections) {
		List<ClusterMessage> messages = new ArrayList<>();
		for (ClusterMessage message : decode(reply, member).messages()) {
			if (message instanceof Rejection rejection) {
				rejections.accept(rejection);
				if (rejection.cause() != Rejection.Cause.REMOVED) {
					this.statistics.rejectionReceived(rejection.count());
					this.rejectionsReceived.log(member, "Member " + member + " rejected " + rejection.count()
							+ " replication message(s) that this member sent: " + rejection.reason());
				}
			}
			else {
				messages.add(message);
			}
		}
		return messages;
	}

	/** How {@link CopyRepair} reaches the other members: through this replicator. */
	private final class RepairPeers implements CopyRepair.Peers {

		@Override
		public boolean isConnected() {
			return AbstractSessionReplicator.this.transport.isConnected();
		}

		@Override
		public List<ClusterMessage> request(ClusterMessage question, String member) {
			return AbstractSessionReplicator.this.request(question, List.of(member));
		}

		@Override
		public void send(List<ClusterMessage> messages, String member) {
			sendAndAwait(messages, List.of(member));
		}

	}

	@Override
	public void writeState(OutputStream out) throws IOException {
		DataOutputStream data = new DataOutputStream(out);
		// the joiner is in the view already: the format is one it speaks
		ClusterMessageCodec.StreamWriter stream = this.codec.openStream(data, wireFormat());
		try {
			exportState((session) -> {
				try {
					stream.write(session);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
		}
		catch (UncheckedIOException ex) {
			throw ex.getCause();
		}
		stream.end();
		data.flush();
	}

	@Override
	public void readState(InputStream in) throws IOException {
		CountingInputStream counted = new CountingInputStream(in);
		try {
			this.codec.readStream(counted, this.store::apply, (rejection) -> {
				this.statistics.rejectedMessages(rejection.count());
				this.rejections.log("state transfer",
						"Rejected a session of the state transfer and kept the others: " + rejection.reason());
			});
		}
		finally {
			this.statistics.stateBytesReceived(counted.count());
		}
	}

}
