package io.sessionreplication.replication;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.sessionreplication.cluster.ClusterTransport;
import io.sessionreplication.store.SessionStore;
import io.sessionreplication.wire.AccessQuery;
import io.sessionreplication.wire.Barrier;
import io.sessionreplication.wire.ClusterMessage;
import io.sessionreplication.wire.CopyQuery;
import io.sessionreplication.wire.Coverage;
import io.sessionreplication.wire.DecodedPayload;
import io.sessionreplication.wire.IndexQuery;
import io.sessionreplication.wire.IndexReport;
import io.sessionreplication.wire.SenderView;
import io.sessionreplication.wire.SessionDelta;
import io.sessionreplication.wire.SessionFetch;
import io.sessionreplication.wire.SessionRemoval;
import io.sessionreplication.wire.SessionRole;
import io.sessionreplication.wire.ShareComplete;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Replication for {@link ReplicationMode#PRIMARY_BACKUP}: each session lives on its
 * owners, a primary and {@code backupCount} backups chosen from the view by
 * {@link SessionOwnership}, and any member can serve any session. Tomcat's
 * {@code BackupManager}, with N backups and ownership agreed from the view.
 * <ul>
 * <li><b>Locality.</b> A new session gets an id whose primary is the member that creates
 * it ({@link #newSessionId}), so with a sticky load balancer its requests read locally
 * and each change goes to the backups only.</li>
 * <li><b>Writes.</b> A change goes to every owner but this member; in
 * {@link DeliveryMode#SYNC} the request returns once they all applied it. It carries the
 * sender's view ({@link SenderView}): an owner whose view differs forwards the session to
 * the owners of its own view, so a change made while the view changes reaches the new
 * owners too. An invalidation or an expiry goes to every member, so no copy outlives
 * it.</li>
 * <li><b>Non-owners.</b> A member that does not own a session fetches it from its owners
 * on every read ({@link #refresh}), merging their copies, so it sees the latest
 * acknowledged state; it keeps the copy only to apply the request's change, and drops it
 * once it has not changed for a while ({@link #releaseCopiesNotOwned}).</li>
 * <li><b>Views.</b> A copy that a member kept without owning the session counts as stale
 * once the member owns it, so the member fetches the session from the other owners until
 * a current copy has reached it. On every view change each member sends the sessions it
 * holds to their new owners (those that were not owners before): the first surviving
 * former owner sends, and so does a member that holds a copy without having owned it
 * (marked stale: a spare for when the former owners are gone). So a crash promotes a
 * backup and a new backup receives the session without waiting for a request, a joining
 * member receives its share in batches (and is told when a member has sent all of it, see
 * {@link #awaitSessions}), and after a merge the owners of both sides exchange their
 * copies, which converge by their stamps. Removals are exchanged after a merge too.</li>
 * <li><b>Leaving.</b> Before it leaves ({@link #flush}), a member hands every session it
 * owns to the members that will own it once it is gone.</li>
 * </ul>
 */
public class PrimaryBackupReplicator extends AbstractSessionReplicator {

	private static final Log logger = LogFactory.getLog(PrimaryBackupReplicator.class);

	/** How many candidate ids {@link #newSessionId} tries for one owned here. */
	static final int MAX_ID_CANDIDATES = 64;

	/** How many forwards ({@link #receive}) may wait for their owners at once. */
	static final int MAX_FORWARDING_THREADS = 64;

	private final int backupCount;

	private final String localMember;

	private final ExecutorService rebalancer;

	/**
	 * Forwards changes routed by another view, each on a thread that waits for the new
	 * owners; when all {@link #MAX_FORWARDING_THREADS} are busy, the receiving thread
	 * forwards itself.
	 */
	private final ExecutorService forwarder;

	private final Object shareMonitor = new Object();

	/** The members a joining member waits for, until each says it sent its share. */
	private final Set<String> awaitedShares = new HashSet<>();

	/** The members that said they sent their share, possibly before the first view. */
	private final Set<String> receivedShares = new HashSet<>();

	/** The rebalances queued or running: view changes whose hand-over is not done. */
	private final AtomicInteger rebalancesPending = new AtomicInteger();

	private volatile SessionOwnership ownership;

	private volatile boolean joined;

	private volatile Instant lastViewChange = Instant.now();

	/**
	 * Create a replicator.
	 * @param store the sessions of this member
	 * @param transport the cluster
	 * @param delivery when a change counts as replicated
	 * @param ackTimeout how long a synchronous change waits for the owners
	 * @param statistics the counters to update
	 * @param backupCount how many members besides the primary hold each session
	 */
	public PrimaryBackupReplicator(SessionStore store, ClusterTransport transport, DeliveryMode delivery,
			Duration ackTimeout, ReplicationStatistics statistics, int backupCount) {
		super(store, transport, delivery, ackTimeout, statistics);
		this.backupCount = backupCount;
		this.localMember = transport.localMember();
		this.ownership = new SessionOwnership(List.of(this.localMember), backupCount);
		this.rebalancer = Executors.newSingleThreadExecutor(DaemonThreads.named("session-replication-rebalance"));
		this.forwarder = new ThreadPoolExecutor(0, MAX_FORWARDING_THREADS, 60, TimeUnit.SECONDS,
				new SynchronousQueue<>(), DaemonThreads.named("session-replication-forward"),
				new ThreadPoolExecutor.CallerRunsPolicy());
	}

	/**
	 * An id from {@code generator} whose primary, in the current view, is this member:
	 * the first of at most {@link #MAX_ID_CANDIDATES} candidates that qualifies (each
	 * does with a chance of one in the number of members), else the last one.
	 */
	@Override
	public String newSessionId(Supplier<String> generator) {
		SessionOwnership current = this.ownership;
		String id = generator.get();
		for (int candidate = 1; candidate < MAX_ID_CANDIDATES && !isPrimary(current, id); candidate++) {
			id = generator.get();
		}
		return id;
	}

	@Override
	public boolean owns(String sessionId) {
		return this.ownership.isOwner(sessionId, this.localMember);
	}

	/**
	 * Each copy by this member's place among the session's owners; a session this member
	 * is the primary of is short of backups when the view has too few members for them.
	 */
	@Override
	public SessionCounts countSessions() {
		SessionOwnership current = this.ownership;
		Map<SessionRole, Integer> byRole = new EnumMap<>(SessionRole.class);
		for (SessionRole role : List.of(SessionRole.PRIMARY, SessionRole.BACKUP, SessionRole.SPARE)) {
			byRole.put(role, 0);
		}
		int[] shortOfBackups = new int[1];
		this.store.forEachSessionId((sessionId) -> {
			List<String> owners = current.owners(sessionId);
			SessionRole role = roleAmong(owners);
			byRole.merge((role != null) ? role : SessionRole.SPARE, 1, Integer::sum);
			if (role == SessionRole.PRIMARY && owners.size() - 1 < this.backupCount) {
				shortOfBackups[0]++;
			}
		});
		return new SessionCounts(byRole, shortOfBackups[0]);
	}

	@Override
	public @Nullable SessionRole roleOf(String sessionId) {
		SessionRole role = roleAmong(this.ownership.owners(sessionId));
		return (role == null && this.store.coverage(sessionId) != null) ? SessionRole.SPARE : role;
	}

	private @Nullable SessionRole roleAmong(List<String> owners) {
		int place = owners.indexOf(this.localMember);
		return (place == 0) ? SessionRole.PRIMARY : (place > 0) ? SessionRole.BACKUP : null;
	}

	/**
	 * The sessions this member holds with the value, and those every other member of the
	 * view says it holds, asked over the cluster (waiting at most the acknowledgement
	 * timeout).
	 */
	@Override
	public Set<String> findSessionIds(String indexName, String indexValue) {
		Set<String> ids = this.store.findIds(indexName, indexValue);
		for (ClusterMessage reply : request(new IndexQuery(indexName, indexValue),
				othersOf(this.ownership.members()))) {
			if (reply instanceof IndexReport report) {
				ids.addAll(report.sessionIds());
			}
		}
		return ids;
	}

	/** The session's primary in this member's view publishes its events. */
	@Override
	public boolean publishesEventOf(String sessionId, boolean here, SessionRemoval.@Nullable Reason ended,
			String lastAccessedBy) {
		return isPrimary(this.ownership, sessionId);
	}

	@Override
	public boolean isRebalancing() {
		return this.rebalancesPending.get() > 0;
	}

	private boolean isPrimary(SessionOwnership ownership, String sessionId) {
		return ownership.owners(sessionId).get(0).equals(this.localMember);
	}

	/**
	 * An owner with a current copy reads it. Any other member merges the copies of the
	 * owners into its own and reads that, if it is whole: a stale copy is read only when
	 * no owner has a better one.
	 */
	@Override
	public void refresh(String sessionId) {
		List<String> owners = this.ownership.owners(sessionId);
		if (owners.contains(this.localMember) && this.store.coverage(sessionId) == Coverage.CURRENT_COPY) {
			return;
		}
		for (ClusterMessage reply : request(new SessionFetch(sessionId), othersOf(owners))) {
			if (reply instanceof SessionDelta copy && copy.sessionId().equals(sessionId) && copy.coverage().isWhole()) {
				this.store.apply(copy);
			}
		}
		if (!this.store.holdsWhole(sessionId)) {
			this.store.discard(sessionId);
		}
	}

	@Override
	protected DeliveryOutcome replicateNow(ClusterMessage message) {
		DeliveryOutcome outcome = DeliveryOutcome.NONE;
		for (ClusterMessage routed : expand(message)) {
			List<String> targets = targets(routed);
			outcome = outcome
				.and(sendChange((targets != null) ? List.of(senderView(), routed) : List.of(routed), targets));
		}
		return outcome;
	}

	private SenderView senderView() {
		return new SenderView(this.ownership.fingerprint());
	}

	@Override
	protected void sendQueued(List<ClusterMessage> batch) {
		List<ClusterMessage> toEveryone = new ArrayList<>();
		Map<String, List<ClusterMessage>> byMember = new LinkedHashMap<>();
		for (ClusterMessage message : batch) {
			for (ClusterMessage routed : expand(message)) {
				List<String> targets = targets(routed);
				if (targets == null) {
					toEveryone.add(routed);
				}
				else {
					targets.forEach((member) -> byMember
						.computeIfAbsent(member, (key) -> new ArrayList<>(List.of(senderView())))
						.add(routed));
				}
			}
		}
		if (!toEveryone.isEmpty()) {
			send(toEveryone, null);
		}
		byMember.forEach((member, messages) -> send(messages, List.of(member)));
	}

	/**
	 * An id change becomes the removal of the old id, for every member, and the whole
	 * session under its new id, for its owners, which are usually other members.
	 */
	private List<ClusterMessage> expand(ClusterMessage message) {
		if (message instanceof SessionDelta delta && delta.previousId() != null) {
			SessionDelta whole = this.store.wholeCopy(delta.sessionId());
			return List.of(new SessionRemoval(delta.previousId(), SessionRemoval.Reason.RENAMED),
					(whole != null) ? whole : delta);
		}
		return List.of(message);
	}

	/**
	 * Where a message goes: a change to the session's owners, a removal to every member
	 * ({@code null}).
	 */
	private @Nullable List<String> targets(ClusterMessage message) {
		if (message instanceof SessionDelta delta) {
			return othersOf(this.ownership.owners(delta.sessionId()));
		}
		return null;
	}

	private List<String> othersOf(List<String> members) {
		return members.stream().filter((member) -> !member.equals(this.localMember)).toList();
	}

	/** A session's copies live on its owners. */
	@Override
	protected CopyPlacement placement() {
		return this.ownership;
	}

	/** A joining member receives no state: its share arrives after the view change. */
	@Override
	protected void exportState(Consumer<? super SessionDelta> consumer) {
	}

	/**
	 * Apply what arrived, answer a fetch, note the end of a share. A change routed by a
	 * view other than this member's may have missed an owner that this view has (the
	 * sender and this member saw the view change at different moments): this member
	 * forwards the whole session to its owners, and the sender's acknowledgement waits
	 * for theirs. The forward runs on a thread of its own ({@link #forwarder}), so the
	 * sender's later payloads are applied meanwhile.
	 */
	@Override
	public CompletionStage<byte @Nullable []> receive(byte[] payload, String sender) {
		DecodedPayload decoded = decode(payload, sender);
		CompletionStage<byte @Nullable []> repairAnswer = answerRepair(decoded, sender);
		if (repairAnswer != null) {
			return repairAnswer;
		}
		List<ClusterMessage> replies = new ArrayList<>(1);
		List<Integer> removed = new ArrayList<>(0);
		boolean routedByAnotherView = false;
		@Nullable Set<String> toForward = null;
		for (int i = 0; i < decoded.messages().size(); i++) {
			ClusterMessage message = decoded.messages().get(i);
			if (message instanceof SenderView view) {
				routedByAnotherView = view.fingerprint() != this.ownership.fingerprint();
			}
			else if (message instanceof SessionFetch fetch) {
				SessionDelta copy = this.store.wholeCopy(fetch.sessionId());
				if (copy != null) {
					replies.add(copy);
				}
			}
			else if (message instanceof ShareComplete) {
				shareReceived(sender);
			}
			else if (message instanceof CopyQuery query) {
				replies.add(reportCopy(query.sessionId()));
			}
			else if (message instanceof AccessQuery query) {
				replies.add(this.store.liveness(query.sessionId()));
			}
			else if (message instanceof IndexQuery query) {
				replies.add(new IndexReport(List.copyOf(this.store.findIds(query.indexName(), query.indexValue()))));
			}
			else if (!this.store.apply(message)) {
				removed.add(decoded.positionOf(i));
			}
			else {
				if (routedByAnotherView && message instanceof SessionDelta delta) {
					toForward = (toForward != null) ? toForward : new LinkedHashSet<>();
					toForward.add(delta.sessionId());
				}
			}
		}
		CompletionStage<byte @Nullable []> answer = answer(decoded, replies, removed);
		if (toForward == null) {
			return answer;
		}
		Set<String> forwarded = toForward;
		return CompletableFuture
			.runAsync(() -> forwarded.forEach((sessionId) -> forward(sessionId, sender)), this.forwarder)
			.thenCompose((forwardedAll) -> answer);
	}

	private void forward(String sessionId, String sender) {
		SessionDelta whole = this.store.wholeCopy(sessionId);
		if (whole != null) {
			sendAndAwait(List.of(whole),
					othersOf(this.ownership.owners(sessionId)).stream()
						.filter((owner) -> !owner.equals(sender))
						.toList());
		}
	}

	@Override
	public void viewChanged(List<String> members, boolean merge) {
		SessionOwnership previous = this.ownership;
		SessionOwnership next = new SessionOwnership(members, this.backupCount);
		// a copy kept without owning the session may have missed changes: once this
		// member
		// owns the session, it must not read that copy as the latest state
		this.store.distrust((sessionId) -> !previous.isOwner(sessionId, this.localMember)
				&& next.isOwner(sessionId, this.localMember));
		this.ownership = next;
		this.mergeWatch.viewChanged(members, merge,
				(sessionId, droppedSide, held) -> countsDiscarded(next, sessionId, droppedSide, held));
		this.lastViewChange = Instant.now();
		forgetMembersGone(members);
		boolean first;
		synchronized (this.shareMonitor) {
			first = !this.joined;
			if (first) {
				this.joined = true;
				othersOf(members).stream()
					.filter((member) -> !this.receivedShares.contains(member))
					.forEach(this.awaitedShares::add);
			}
			this.awaitedShares.retainAll(members);
			this.shareMonitor.notifyAll();
		}
		if (!first) {
			this.rebalancesPending.incrementAndGet();
			inBackground(() -> {
				try {
					rebalance(previous, next, merge);
				}
				finally {
					this.rebalancesPending.decrementAndGet();
				}
			});
		}
	}

	/**
	 * Whether this member counts a write that the split-brain rule discarded: the first
	 * owner of the session that also owned it on the side that made the write held it and
	 * receives the later write at the merge; if there is none, the primary receives both
	 * writes.
	 */
	private boolean countsDiscarded(SessionOwnership view, String sessionId, List<String> droppedSide, boolean held) {
		if (droppedSide.isEmpty()) {
			return false;
		}
		List<String> owners = view.owners(sessionId);
		List<String> sideOwners = new SessionOwnership(droppedSide, this.backupCount).owners(sessionId);
		return owners.stream()
			.filter(sideOwners::contains)
			.findFirst()
			.map((holder) -> held && holder.equals(this.localMember))
			.orElseGet(() -> owners.get(0).equals(this.localMember));
	}

	/** Run a task after the rebalancing already queued, unless this member is leaving. */
	private void inBackground(Runnable task) {
		try {
			this.rebalancer.execute(task);
		}
		catch (RejectedExecutionException ex) {
			logger.debug("Member " + this.localMember + " is leaving; skipped " + task);
		}
	}

	private void shareReceived(String sender) {
		synchronized (this.shareMonitor) {
			this.receivedShares.add(sender);
			this.awaitedShares.remove(sender);
			this.shareMonitor.notifyAll();
		}
	}

	@Override
	public boolean awaitSessions(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.shareMonitor) {
			while (!this.joined || !this.awaitedShares.isEmpty()) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return false;
				}
				try {
					TimeUnit.NANOSECONDS.timedWait(this.shareMonitor, remaining);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return false;
				}
			}
			return true;
		}
	}

	/**
	 * Send every session this member holds to its owners in {@code next} that were not
	 * its owners in {@code previous}, if this member is the first surviving former owner
	 * or held a copy without owning it; then tell the members that joined that this
	 * member is done, and after a merge, send the removals it remembers.
	 */
	private void rebalance(SessionOwnership previous, SessionOwnership next, boolean merge) {
		try (OwnerBatches batches = new OwnerBatches()) {
			this.store.exportSessions((session) -> {
				List<String> before = previous.owners(session.sessionId());
				boolean owned = before.contains(this.localMember);
				if (owned && !this.localMember.equals(firstSurvivor(before, next))) {
					return;
				}
				// a copy held without owning the session is a spare, maybe not current
				SessionDelta copy = owned ? session : session.withCoverageAtMost(Coverage.STALE_COPY);
				for (String owner : next.owners(session.sessionId())) {
					if (!before.contains(owner) && !owner.equals(this.localMember)) {
						batches.add(owner, copy);
					}
				}
			});
		}
		catch (RuntimeException ex) {
			logger.error("Could not hand sessions to their new owners after the view " + next.members(), ex);
		}
		if (merge) {
			BatchingSender removals = new BatchingSender((batch) -> sendAndAwait(batch, null));
			this.store.exportRemovals(removals::enqueue);
			removals.close();
		}
		List<String> joined = next.members()
			.stream()
			.filter((member) -> !previous.members().contains(member) && !member.equals(this.localMember))
			.toList();
		sendAndAwait(List.of(new ShareComplete()), joined);
	}

	/**
	 * Changes travel one unicast per owner, removals one multicast: each path gets a
	 * barrier of its own, since unicasts and multicasts are not ordered with each other.
	 */
	@Override
	protected void awaitDelivery() {
		super.awaitDelivery();
		sendAndAwait(List.of(new Barrier()), othersOf(this.ownership.members()));
	}

	private static @Nullable String firstSurvivor(List<String> owners, SessionOwnership next) {
		return owners.stream().filter(next.members()::contains).findFirst().orElse(null);
	}

	/**
	 * Hand every session this member owns to the members that will own it once this
	 * member has left, then stop handing sessions over.
	 */
	@Override
	public void flush() {
		super.flush();
		this.rebalancer.shutdown();
		try {
			this.rebalancer.awaitTermination(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		SessionOwnership current = this.ownership;
		List<String> remaining = othersOf(current.members());
		if (remaining.isEmpty()) {
			return;
		}
		SessionOwnership after = new SessionOwnership(remaining, this.backupCount);
		int[] handed = new int[1];
		try (OwnerBatches batches = new OwnerBatches()) {
			this.store.exportSessions((session) -> {
				List<String> owners = current.owners(session.sessionId());
				if (owners.contains(this.localMember)) {
					after.owners(session.sessionId())
						.stream()
						.filter((owner) -> !owners.contains(owner))
						.forEach((owner) -> {
							batches.add(owner, session);
							handed[0]++;
						});
				}
			});
		}
		logger.info("Member " + this.localMember + " handed " + handed[0] + " session copies to " + remaining
				+ " before leaving");
	}

	/**
	 * Drop the copies this member does not own in the current view and that have not
	 * changed since {@code unchangedSince}, once the view has been stable that long (a
	 * copy kept after a view change is a spare, should a new owner fail before it
	 * received the session).
	 */
	@Override
	public void releaseCopiesNotOwned(Instant unchangedSince) {
		if (this.lastViewChange.isBefore(unchangedSince)) {
			SessionOwnership current = this.ownership;
			inBackground(() -> this.store.discardIf((sessionId) -> current.owners(sessionId).contains(this.localMember),
					unchangedSince));
		}
	}

	/**
	 * Whole sessions on their way to their new owners: one batch per owner, sent when its
	 * {@link PayloadBudget} admits no more and when closed, each acknowledged before the
	 * next.
	 */
	private final class OwnerBatches implements AutoCloseable {

		private final Map<String, OwnerBatch> batches = new LinkedHashMap<>();

		void add(String owner, SessionDelta session) {
			OwnerBatch batch = this.batches.computeIfAbsent(owner, (key) -> new OwnerBatch());
			if (!batch.budget.admits(session)) {
				sendAndAwait(batch.sessions, List.of(owner));
				batch = new OwnerBatch();
				this.batches.put(owner, batch);
			}
			batch.sessions.add(session);
			batch.budget.add(session);
		}

		@Override
		public void close() {
			this.batches.forEach((owner, batch) -> sendAndAwait(batch.sessions, List.of(owner)));
			this.batches.clear();
		}

	}

	/** The sessions of one payload to one owner. */
	private static final class OwnerBatch {

		final List<ClusterMessage> sessions = new ArrayList<>();

		final PayloadBudget budget = new PayloadBudget();

	}

}
