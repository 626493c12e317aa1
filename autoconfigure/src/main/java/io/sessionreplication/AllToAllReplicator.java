package io.sessionreplication;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Replication for {@link ReplicationMode#ALL_TO_ALL}: every member holds every session,
 * and each change is sent to every other member as a delta. A joining member receives
 * every session through state transfer. This is Tomcat's {@code DeltaManager}.
 * <p>
 * In {@link DeliveryMode#SYNC} a change is sent when the request saves the session, and
 * {@link #replicate} returns once every member has applied it. A member that does not
 * answer within the acknowledgement timeout does not fail the request: it is logged and
 * counted, and receives the change when it catches up (or is dropped from the cluster).
 * In {@link DeliveryMode#ASYNC} changes are queued and sent in batches.
 */
public class AllToAllReplicator implements SessionReplicator {

	private static final Log logger = LogFactory.getLog(AllToAllReplicator.class);

	private final SessionStore store;

	private final ClusterTransport transport;

	private final Duration ackTimeout;

	private final ReplicationStatistics statistics;

	private final ClusterMessageCodec codec = new ClusterMessageCodec();

	private final @Nullable BatchingSender batchingSender;

	/**
	 * Create a replicator.
	 * @param store the sessions of this member
	 * @param transport the cluster
	 * @param delivery when a change counts as replicated
	 * @param ackTimeout how long a synchronous change waits for the other members
	 * @param statistics the counters to update
	 */
	public AllToAllReplicator(SessionStore store, ClusterTransport transport, DeliveryMode delivery,
			Duration ackTimeout, ReplicationStatistics statistics) {
		this.store = store;
		this.transport = transport;
		this.ackTimeout = ackTimeout;
		this.statistics = statistics;
		this.batchingSender = (delivery == DeliveryMode.ASYNC) ? new BatchingSender(this::sendBatch) : null;
	}

	@Override
	public void replicate(ClusterMessage message) {
		if (this.batchingSender != null) {
			this.batchingSender.enqueue(message);
			return;
		}
		byte[] payload = this.codec.encode(List.of(message));
		this.statistics.sent(payload.length);
		Set<String> late = this.transport.sendAndAwait(payload, this.ackTimeout);
		if (!late.isEmpty()) {
			this.statistics.ackTimedOut(late.size());
			logger.warn("Member(s) " + late + " did not acknowledge a change of session " + message.sessionId()
					+ " within " + this.ackTimeout + "; the request goes on without them");
		}
	}

	private void sendBatch(List<ClusterMessage> batch) {
		byte[] payload = this.codec.encode(batch);
		this.statistics.sent(payload.length);
		this.transport.send(payload);
	}

	/**
	 * After a merge, send every session and every remembered removal to the others, so
	 * that the copies of the former sub-clusters converge.
	 */
	@Override
	public void viewChanged(List<String> members, boolean merge) {
		if (merge) {
			Thread exchange = new Thread(this::sendEverything, "session-replication-merge");
			exchange.setDaemon(true);
			exchange.start();
		}
	}

	private void sendEverything() {
		BatchingSender sender = new BatchingSender(this::sendBatch);
		this.store.exportSessions(sender::enqueue);
		this.store.exportRemovals(sender::enqueue);
		sender.close();
	}

	@Override
	public void flush() {
		if (this.batchingSender != null) {
			this.batchingSender.close();
		}
	}

	@Override
	public void receive(byte[] payload, String sender) {
		this.statistics.received(payload.length);
		List<ClusterMessage> messages;
		try {
			messages = this.codec.decode(payload);
		}
		catch (MalformedMessageException ex) {
			this.statistics.rejected();
			logger.warn("Rejected a replication message of " + payload.length + " bytes from member " + sender + ": "
					+ ex.getMessage());
			return;
		}
		messages.forEach(this.store::apply);
	}

	@Override
	public void writeState(OutputStream out) throws IOException {
		DataOutputStream data = new DataOutputStream(out);
		this.codec.writeStreamHeader(data);
		try {
			this.store.exportSessions((session) -> {
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
		this.codec.readStream(in, this.store::apply);
	}

}
