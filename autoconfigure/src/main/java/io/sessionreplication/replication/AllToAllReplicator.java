package io.sessionreplication.replication;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import io.sessionreplication.cluster.ClusterTransport;
import io.sessionreplication.store.SessionStore;
import io.sessionreplication.wire.AccessQuery;
import io.sessionreplication.wire.ClusterMessage;
import io.sessionreplication.wire.CopyQuery;
import io.sessionreplication.wire.DecodedPayload;
import io.sessionreplication.wire.SessionDelta;
import io.sessionreplication.wire.SessionRemoval;
import io.sessionreplication.wire.SessionRole;
import org.jspecify.annotations.Nullable;

/**
 * Replication for {@link ReplicationMode#ALL_TO_ALL}: every member holds every session,
 * and each change is sent to every other member as a delta. A joining member receives
 * every session through state transfer. This is Tomcat's {@code DeltaManager}.
 * <p>
 * In {@link DeliveryMode#SYNC} a change is sent when the request saves the session, and
 * {@link #replicate} returns once every member has applied it; the changes that
 * concurrent requests save meanwhile leave together in the next payload
 * ({@link GroupCommit}). A member that does not answer within the acknowledgement timeout
 * does not fail the request: it is logged and counted, and receives the change when it
 * catches up (or is dropped from the cluster). In {@link DeliveryMode#ASYNC} changes are
 * queued and sent in batches.
 */
public class AllToAllReplicator extends AbstractSessionReplicator {

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
		super(store, transport, delivery, ackTimeout, statistics);
	}

	/**
	 * Runs the exchanges after merges: one at a time, at most one more waiting; a merge
	 * while one waits needs no exchange of its own.
	 */
	private final ThreadPoolExecutor mergeExchanges = new ThreadPoolExecutor(0, 1, 30, TimeUnit.SECONDS,
			new ArrayBlockingQueue<>(1), DaemonThreads.named("session-replication-merge"),
			new ThreadPoolExecutor.DiscardPolicy());

	/**
	 * Every copy is a replica; alone, this member is the only one to hold its sessions.
	 */
	@Override
	public SessionCounts countSessions() {
		int held = this.store.size();
		return new SessionCounts(Map.of(SessionRole.REPLICA, held), (this.transport.members().size() > 1) ? 0 : held);
	}

	@Override
	public SessionRole roleOf(String sessionId) {
		return SessionRole.REPLICA;
	}

	/** Every member holds every session: this member's index finds them all. */
	@Override
	public Set<String> findSessionIds(String indexName, String indexValue) {
		return this.store.findIds(indexName, indexValue);
	}

	/**
	 * The member that created, invalidated or expired the session publishes its event:
	 * the member of its last access, for an expiry. If that member has left the view, the
	 * copies expire by themselves and the first member of the view publishes the expiry
	 * in its place.
	 */
	@Override
	public boolean publishesEventOf(String sessionId, boolean here, SessionRemoval.@Nullable Reason ended,
			String lastAccessedBy) {
		if (here) {
			return true;
		}
		if (ended != SessionRemoval.Reason.EXPIRED) {
			return false;
		}
		List<String> members = this.transport.members();
		return !members.isEmpty() && !members.contains(lastAccessedBy)
				&& members.get(0).equals(this.transport.localMember());
	}

	@Override
	protected DeliveryOutcome replicateNow(ClusterMessage message) {
		return sendChange(List.of(message), null);
	}

	@Override
	protected void sendQueued(List<ClusterMessage> batch) {
		send(batch, null);
	}

	@Override
	protected void exportState(Consumer<? super SessionDelta> consumer) {
		this.store.exportSessions(consumer);
	}

	/**
	 * After a merge, send every session and every remembered removal to the others, so
	 * that the copies of the former sub-clusters converge. One exchange runs at a time:
	 * merges that come meanwhile share one more exchange, which reads the sessions when
	 * it starts.
	 * <p>
	 * A write that the split-brain rule discards is counted by the first member of the
	 * side that made it: that member held it, as every member of its side did, and
	 * receives the later write from the other side.
	 */
	@Override
	public void viewChanged(List<String> members, boolean merge) {
		String localMember = this.transport.localMember();
		this.mergeWatch.viewChanged(members, merge,
				(sessionId, droppedSide, held) -> held && droppedSide.indexOf(localMember) == 0);
		if (merge) {
			this.mergeExchanges.execute(this::sendEverything);
		}
	}

	private void sendEverything() {
		BatchingSender sender = new BatchingSender((batch) -> send(batch, null));
		this.store.exportSessions(sender::enqueue);
		this.store.exportRemovals(sender::enqueue);
		sender.close();
	}

	@Override
	protected CopyPlacement placement() {
		return CopyPlacement.everyMember(this.transport.members());
	}

	@Override
	public CompletionStage<byte @Nullable []> receive(byte[] payload, String sender) {
		DecodedPayload decoded = decode(payload, sender);
		CompletionStage<byte @Nullable []> repairAnswer = answerRepair(decoded, sender);
		if (repairAnswer != null) {
			return repairAnswer;
		}
		List<ClusterMessage> replies = new ArrayList<>(1);
		List<Integer> removed = new ArrayList<>(0);
		for (int i = 0; i < decoded.messages().size(); i++) {
			ClusterMessage message = decoded.messages().get(i);
			if (message instanceof CopyQuery query) {
				replies.add(reportCopy(query.sessionId()));
			}
			else if (message instanceof AccessQuery query) {
				replies.add(this.store.liveness(query.sessionId()));
			}
			else if (!this.store.apply(message)) {
				removed.add(decoded.positionOf(i));
			}
		}
		return answer(decoded, replies, removed);
	}

}
