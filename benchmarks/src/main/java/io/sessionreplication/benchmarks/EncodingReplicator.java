package io.sessionreplication.benchmarks;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

import io.sessionreplication.replication.DeliveryOutcome;
import io.sessionreplication.replication.ReplicationStatistics;
import io.sessionreplication.replication.SessionCounts;
import io.sessionreplication.replication.SessionReplicator;
import io.sessionreplication.session.ReplicatedSessionRepository;
import io.sessionreplication.store.SessionStore;
import io.sessionreplication.wire.AttributeClassFilter;
import io.sessionreplication.wire.AttributeSerializer;
import io.sessionreplication.wire.ClusterMessage;
import io.sessionreplication.wire.ClusterMessageCodec;
import io.sessionreplication.wire.CopyReport;
import io.sessionreplication.wire.SessionRemoval;
import io.sessionreplication.wire.SessionRole;
import org.jspecify.annotations.Nullable;

/**
 * A {@link SessionReplicator} that stands in for the network in benchmarks: it encodes
 * each message into a payload with {@link ClusterMessageCodec}, one message a payload as
 * the synchronous replicators do, and hands the payload to a consumer (a JMH
 * {@code Blackhole}, or a list) instead of sending it. A benchmark that saves through it
 * therefore measures the CPU cost of building and encoding a change on the member that
 * makes it, and nothing of the network, of the acknowledgements or of the other members.
 * <p>
 * It only sends, and finds sessions by index value in this member's own index, as in
 * all-to-all mode: it counts nothing, queues nothing, receives nothing and takes no part
 * in state transfer.
 */
final class EncodingReplicator implements SessionReplicator {

	/** The name of the member whose repository {@link #repository} creates. */
	private static final String MEMBER = "member-a";

	private final ClusterMessageCodec codec = new ClusterMessageCodec();

	private final Consumer<byte[]> network;

	private final SessionStore store;

	/**
	 * Create a replicator.
	 * @param network what takes each payload instead of the network
	 * @param store the sessions of this member
	 */
	EncodingReplicator(Consumer<byte[]> network, SessionStore store) {
		this.network = network;
		this.store = store;
	}

	/**
	 * A repository of the member {@link #MEMBER}, replicating through an
	 * {@link EncodingReplicator}.
	 * @param network what takes each payload instead of the network
	 * @return the repository
	 */
	static ReplicatedSessionRepository repository(Consumer<byte[]> network) {
		SessionStore store = new SessionStore(MEMBER);
		return new ReplicatedSessionRepository(store, new EncodingReplicator(network, store),
				new AttributeSerializer(EncodingReplicator.class.getClassLoader(),
						AttributeClassFilter.allowing("io.sessionreplication.benchmarks.**")),
				new ReplicationStatistics());
	}

	@Override
	public DeliveryOutcome replicate(ClusterMessage message) {
		this.network.accept(this.codec.encode(List.of(message)));
		return DeliveryOutcome.NONE;
	}

	@Override
	public void flush() {
		// nothing is queued
	}

	@Override
	public int wireFormat() {
		return ClusterMessageCodec.NEWEST_FORMAT;
	}

	@Override
	public SessionCounts countSessions() {
		throw sendsOnly();
	}

	@Override
	public Set<String> findSessionIds(String indexName, String indexValue) {
		return this.store.findIds(indexName, indexValue);
	}

	@Override
	public boolean publishesEventOf(String sessionId, boolean here, SessionRemoval.@Nullable Reason ended,
			String lastAccessedBy) {
		return false;
	}

	@Override
	public boolean isMember(String member) {
		return MEMBER.equals(member);
	}

	/** Alone, this member knows every session's latest access: it confirms none. */
	@Override
	public Set<String> confirmLive(Collection<String> sessionIds) {
		return Set.of();
	}

	@Override
	public SessionRole roleOf(String sessionId) {
		throw sendsOnly();
	}

	@Override
	public CopyReport reportCopy(String sessionId) {
		throw sendsOnly();
	}

	@Override
	public Map<String, CopyReport> reportCopies(String sessionId) {
		throw sendsOnly();
	}

	@Override
	public CompletionStage<byte @Nullable []> receive(byte[] payload, String sender) {
		throw sendsOnly();
	}

	@Override
	public void writeState(OutputStream out) {
		throw sendsOnly();
	}

	@Override
	public void readState(InputStream in) {
		throw sendsOnly();
	}

	private static UnsupportedOperationException sendsOnly() {
		return new UnsupportedOperationException("A benchmark's replicator only sends");
	}

}
