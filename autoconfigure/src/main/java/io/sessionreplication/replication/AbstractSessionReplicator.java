package io.sessionreplication.replication;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import io.sessionreplication.cluster.ClusterTransport;
import io.sessionreplication.store.SessionStore;
import io.sessionreplication.wire.Barrier;
import io.sessionreplication.wire.ClusterMessage;
import io.sessionreplication.wire.ClusterMessageCodec;
import io.sessionreplication.wire.CopyQuery;
import io.sessionreplication.wire.CopyReport;
import io.sessionreplication.wire.MalformedMessageException;
import io.sessionreplication.wire.SessionDelta;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * What every {@link SessionReplicator} does the same way: it queues changes in
 * {@link DeliveryMode#ASYNC} and sends them in batches, sends the changes of concurrent
 * requests together in {@link DeliveryMode#SYNC} ({@link GroupCommit}), encodes and
 * counts what it sends, reports members that do not acknowledge in time, rejects payloads
 * that do not decode, streams sessions during state transfer, and reports on this
 * member's copy of a session ({@link CopyQuery}). Subclasses decide where each message
 * goes and which sessions a joining member receives.
 */
abstract class AbstractSessionReplicator implements SessionReplicator {

	private static final Log logger = LogFactory.getLog(AbstractSessionReplicator.class);

	/** What {@link #receive} returns for a payload applied, with no reply to send. */
	protected static final CompletionStage<byte @Nullable []> APPLIED = CompletableFuture.completedStage(null);

	protected final SessionStore store;

	protected final ClusterTransport transport;

	protected final ReplicationStatistics statistics;

	protected final ClusterMessageCodec codec = new ClusterMessageCodec();

	private final Duration ackTimeout;

	private final @Nullable BatchingSender batchingSender;

	private final GroupCommit groupCommit = new GroupCommit(this::sendAndAwait);

	AbstractSessionReplicator(SessionStore store, ClusterTransport transport, DeliveryMode delivery,
			Duration ackTimeout, ReplicationStatistics statistics) {
		this.store = store;
		this.transport = transport;
		this.ackTimeout = ackTimeout;
		this.statistics = statistics;
		this.batchingSender = (delivery == DeliveryMode.ASYNC) ? new BatchingSender(this::sendQueued) : null;
	}

	@Override
	public final void replicate(ClusterMessage message) {
		if (this.batchingSender != null) {
			this.batchingSender.enqueue(message);
		}
		else {
			replicateNow(message);
		}
	}

	/**
	 * Send one message and wait for its acknowledgements ({@link DeliveryMode#SYNC}),
	 * with {@link #sendChange}.
	 * @param message the message
	 */
	protected abstract void replicateNow(ClusterMessage message);

	/**
	 * Send a request's change and wait until the members have applied it, or the
	 * acknowledgement timeout has passed, like {@link #sendAndAwait}; the payload also
	 * carries the changes that other requests send to the same members meanwhile.
	 * @param messages the messages of the change, kept together and in order
	 * @param members the members to send to, or {@code null} for every other member
	 */
	protected void sendChange(List<? extends ClusterMessage> messages, @Nullable List<String> members) {
		this.groupCommit.send(messages, members);
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
	 * Send what is still queued, and wait until the other members have received
	 * everything sent before ({@link #awaitDelivery()}).
	 */
	@Override
	public void flush() {
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
		byte[] payload = encode(messages);
		long start = System.nanoTime();
		Set<String> late = (members != null) ? this.transport.sendAndAwait(payload, members, this.ackTimeout)
				: this.transport.sendAndAwait(payload, this.ackTimeout);
		if (late.isEmpty()) {
			this.statistics.acknowledged(Duration.ofNanos(System.nanoTime() - start));
		}
		else {
			this.statistics.ackTimedOut(late.size());
			logger.warn("Member(s) " + late + " did not acknowledge " + describe(messages) + " within "
					+ this.ackTimeout + "; the sender goes on without them");
		}
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
		if (members.isEmpty()) {
			return List.of();
		}
		return this.transport.request(encode(List.of(message)), members, this.ackTimeout)
			.entrySet()
			.stream()
			.flatMap((reply) -> decode(reply.getValue(), reply.getKey()).stream())
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
				.forEach((member, reply) -> decode(reply, member).stream()
					.filter(CopyReport.class::isInstance)
					.findFirst()
					.ifPresent((report) -> reports.put(member, (CopyReport) report)));
		}
		return reports;
	}

	/**
	 * The answer to a {@link CopyQuery}: this member's report on its copy.
	 * @param query the query
	 * @return the encoded report
	 */
	protected byte[] answer(CopyQuery query) {
		return encode(List.of(reportCopy(query.sessionId())));
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
		byte[] payload = this.codec.encode(messages, this.statistics.sentMessages());
		this.statistics.payloadSent(payload.length);
		return payload;
	}

	/**
	 * Decode a payload from another member and count it as received; a payload that does
	 * not decode is logged, counted and ignored.
	 * @param payload the payload
	 * @param sender the member that sent it
	 * @return its messages, none if it was rejected
	 */
	protected List<ClusterMessage> decode(byte[] payload, String sender) {
		this.statistics.payloadReceived(payload.length);
		try {
			return this.codec.decode(payload, this.statistics.receivedMessages());
		}
		catch (MalformedMessageException ex) {
			this.statistics.rejected();
			logger.warn("Rejected a replication message of " + payload.length + " bytes from member " + sender + ": "
					+ ex.getMessage());
			return List.of();
		}
	}

	@Override
	public void writeState(OutputStream out) throws IOException {
		DataOutputStream data = new DataOutputStream(out);
		this.codec.writeStreamHeader(data);
		try {
			exportState((session) -> {
				try {
					this.codec.writeStreamed(data, session);
				}
				catch (IOException ex) {
					throw new UncheckedIOException(ex);
				}
			});
		}
		catch (UncheckedIOException ex) {
			throw ex.getCause();
		}
		this.codec.writeStreamEnd(data);
		data.flush();
	}

	@Override
	public void readState(InputStream in) throws IOException {
		CountingInputStream counted = new CountingInputStream(in);
		try {
			this.codec.readStream(counted, this.store::apply);
		}
		finally {
			this.statistics.stateBytesReceived(counted.count());
		}
	}

	private static String describe(List<? extends ClusterMessage> messages) {
		return (messages.size() == 1) ? String.valueOf(messages.get(0)) : messages.size() + " session messages";
	}

}
