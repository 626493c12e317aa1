package io.sessionreplication.replication;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.sessionreplication.store.SessionStore;
import io.sessionreplication.wire.BucketDigests;
import io.sessionreplication.wire.ClusterMessage;
import io.sessionreplication.wire.Hash64;
import io.sessionreplication.wire.SessionDelta;
import io.sessionreplication.wire.SessionDigests;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Finds and heals, in the background, the copies of sessions that differ between the
 * members that must hold them ({@link CopyPlacement}), with no request and no view
 * change: a member that missed a change or a removal (a payload lost on its way, a sender
 * that gave up waiting for it) holds the current copy again after the next round.
 * <p>
 * Every interval, this member compares the copies it must hold with each member after it
 * in the view:
 * <ol>
 * <li>It sends the sum of their digests ({@link BucketDigests} of one bucket). The other
 * member answers only if its own sum differs, with its digests of {@link #BUCKETS}
 * buckets of the sessions, split by a hash of their ids.</li>
 * <li>For the buckets that differ, a few at a time, it sends the digest of each of its
 * copies ({@link SessionDigests}); the other answers with its digests of the same
 * sessions and of the others in those buckets.</li>
 * <li>Each then sends the other, whole, its copies that differ from the other's or that
 * the other lacks, and the removal of each session that the other holds and it remembers
 * removing. Copies merge field by field by their stamps, so after the exchange both hold
 * the same.</li>
 * </ol>
 * {@link #repairSoon} does steps 2 and 3 at once for named sessions with one member: for
 * a member that did not acknowledge their changes.
 * <p>
 * A copy's digest ({@link SessionStore#digest}) covers its stamps and its latest
 * replicated access, so a session in use, whose access is not replicated on every
 * request, is not sent for it.
 * <p>
 * Bounded: a round sends one small message to each member when nothing differs; a message
 * of session digests names about {@link #MAX_LISTED} sessions; copies travel in payloads
 * of one {@link PayloadBudget}, each acknowledged before the next; at most
 * {@link #MAX_PENDING} sessions wait to be repaired (beyond, the next round finds them);
 * the other members' questions are answered on a thread of this class, at most
 * {@link #MAX_ANSWERS_WAITING} waiting (beyond, unanswered), never on the thread that
 * delivers payloads. Every wait for another member ends at the acknowledgement timeout.
 */
public final class CopyRepair {

	/** How many buckets the sessions two members compare are split into. */
	static final int BUCKETS = 1024;

	/** About how many session digests this member sends in one message. */
	static final int MAX_LISTED = 1024;

	/** How many sessions may wait to be repaired, with all members together. */
	static final int MAX_PENDING = 10_000;

	/** How many questions of other members may wait for their answer. */
	static final int MAX_ANSWERS_WAITING = 4;

	private static final Log logger = LogFactory.getLog(CopyRepair.class);

	private final SessionStore store;

	private final String localMember;

	private final Supplier<CopyPlacement> placement;

	private final Peers peers;

	private final ReplicationStatistics statistics;

	/** Runs the rounds and the repairs that wait, one at a time. */
	private final ScheduledThreadPoolExecutor worker = new ScheduledThreadPoolExecutor(1,
			DaemonThreads.named("session-replication-repair"));

	/** Answers the questions of other members, one at a time. */
	private final ThreadPoolExecutor answers = new ThreadPoolExecutor(0, 1, 30, TimeUnit.SECONDS,
			new ArrayBlockingQueue<>(MAX_ANSWERS_WAITING), DaemonThreads.named("session-replication-repair-answers"));

	/** The sessions that wait to be repaired, by member; guarded by itself. */
	private final Map<String, Pending> pending = new LinkedHashMap<>();

	private int pendingCount;

	private boolean draining;

	/** Whether this member holds the sessions the cluster gave it, and compares. */
	private volatile boolean started;

	/**
	 * Create the repair of one member's copies.
	 * @param store the sessions of this member
	 * @param placement the current placement of copies
	 * @param peers how this member reaches the others
	 * @param statistics the counters to update
	 */
	CopyRepair(SessionStore store, Supplier<CopyPlacement> placement, Peers peers, ReplicationStatistics statistics) {
		this.store = store;
		this.localMember = store.localMember();
		this.placement = placement;
		this.peers = peers;
		this.statistics = statistics;
	}

	/**
	 * Compare this member's copies with the other members' every {@code interval}, from
	 * one interval from now on, and answer their questions from now on: once this member
	 * holds the sessions the cluster gave it when it joined.
	 * @param interval the time between the end of a round and the start of the next; zero
	 * for no rounds (only {@link #repairSoon})
	 */
	synchronized void start(Duration interval) {
		Assert.isTrue(!interval.isNegative(), "'interval' must not be negative");
		Assert.state(!this.started, "Copy repair has started already");
		this.started = true;
		if (!interval.isZero()) {
			this.worker.scheduleWithFixedDelay(this::round, interval.toMillis(), interval.toMillis(),
					TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * Stop comparing and repairing: what waits is dropped, and questions are no longer
	 * answered.
	 */
	void stop() {
		this.worker.shutdownNow();
		this.answers.shutdownNow();
	}

	/**
	 * Compare this member's copies of some sessions with another member's, and repair
	 * both, soon, in the background: for a member that may have missed their changes.
	 * Returns at once; beyond {@link #MAX_PENDING} sessions waiting, the next round finds
	 * the rest.
	 * @param sessionIds the session ids
	 * @param member the other member
	 */
	public void repairSoon(Collection<String> sessionIds, String member) {
		if (!member.equals(this.localMember)) {
			enqueue(member, sessionIds, true);
		}
	}

	/**
	 * Whether a message is a question that {@link #answer} answers.
	 * @param message the message
	 * @return whether it is
	 */
	static boolean answers(ClusterMessage message) {
		return message instanceof BucketDigests || message instanceof SessionDigests;
	}

	/**
	 * Answer another member's question, on a thread of this class. After answering
	 * {@link SessionDigests}, this member sends that member the copies that differ.
	 * @param question a message that {@link #answers}
	 * @param sender the member that asks
	 * @return the answer, empty if this member does not compare now (it is still joining,
	 * has another view, or too many questions wait)
	 */
	CompletionStage<List<ClusterMessage>> answer(ClusterMessage question, String sender) {
		try {
			return CompletableFuture.supplyAsync(() -> answerNow(question, sender), this.answers);
		}
		catch (RejectedExecutionException ex) {
			return CompletableFuture.completedStage(List.of());
		}
	}

	private List<ClusterMessage> answerNow(ClusterMessage question, String sender) {
		CopyPlacement placement = this.placement.get();
		if (!this.started || !placement.members().contains(sender) || sender.equals(this.localMember)) {
			return List.of();
		}
		if (question instanceof BucketDigests digests) {
			if (digests.scope() != placement.fingerprint() || digests.digests().size() != 1) {
				return List.of();
			}
			long[] mine = bucketDigests(placement, List.of(sender)).get(sender);
			return (sum(mine) != digests.digests().get(0))
					? List.of(new BucketDigests(placement.fingerprint(), boxed(mine))) : List.of();
		}
		SessionDigests digests = (SessionDigests) question;
		if (digests.bucketCount() > 0 && digests.scope() != placement.fingerprint()) {
			return List.of();
		}
		Map<String, Long> mine = new LinkedHashMap<>();
		digests.digests().keySet().forEach((sessionId) -> mine.put(sessionId, digestOf(sessionId)));
		int named = mine.size();
		if (digests.bucketCount() > 0) {
			copiesIn(placement, sender, digests.bucketCount(), new HashSet<>(digests.buckets()))
				.forEach(mine::putIfAbsent);
		}
		enqueue(sender, toSend(mine, digests.digests()), false);
		Map<String, Long> answer = new LinkedHashMap<>();
		Iterator<Map.Entry<String, Long>> listed = mine.entrySet().iterator();
		while (listed.hasNext() && answer.size() < named + MAX_LISTED) {
			Map.Entry<String, Long> copy = listed.next();
			answer.put(copy.getKey(), copy.getValue());
		}
		return List.of(new SessionDigests(placement.fingerprint(), digests.bucketCount(), digests.buckets(), answer));
	}

	/** Compare this member's copies with those of every member after it in the view. */
	private void round() {
		try {
			CopyPlacement placement = this.placement.get();
			List<String> members = placement.members();
			int place = members.indexOf(this.localMember);
			if (!this.peers.isConnected() || place < 0 || place == members.size() - 1) {
				return;
			}
			this.statistics.repairRound();
			List<String> others = members.subList(place + 1, members.size());
			Map<String, long[]> digests = bucketDigests(placement, others);
			for (String member : others) {
				compare(placement, member, digests.get(member));
			}
		}
		catch (RuntimeException | Error ex) {
			// an error that ends a scheduled task would end the rounds for good
			if (!this.worker.isShutdown()) {
				logger.warn("Could not compare the copies of sessions with the other members; the next round will", ex);
			}
		}
	}

	/**
	 * Compare and repair the copies of one member, from the bucket digests of this one.
	 */
	private void compare(CopyPlacement placement, String member, long[] mine) {
		BucketDigests theirs = ask(new BucketDigests(placement.fingerprint(), List.of(sum(mine))), member,
				BucketDigests.class);
		if (theirs == null || theirs.scope() != placement.fingerprint() || theirs.digests().size() != BUCKETS) {
			return;
		}
		List<Integer> differing = new ArrayList<>();
		for (int bucket = 0; bucket < BUCKETS; bucket++) {
			if (mine[bucket] != theirs.digests().get(bucket)) {
				differing.add(bucket);
			}
		}
		// as many buckets to a message as hold about MAX_LISTED of this member's
		// sessions, at least one
		int perMessage = (int) Math.min(BUCKETS, Math.max(1, BUCKETS * MAX_LISTED / Math.max(1, this.store.size())));
		for (int from = 0; from < differing.size(); from += perMessage) {
			List<Integer> buckets = differing.subList(from, Math.min(differing.size(), from + perMessage));
			Map<String, Long> copies = copiesIn(placement, member, BUCKETS, new HashSet<>(buckets));
			if (!exchange(new SessionDigests(placement.fingerprint(), BUCKETS, buckets, copies), member)) {
				return;
			}
		}
	}

	/**
	 * Send this member's session digests, and the copies that differ from the other
	 * member's answer.
	 * @return whether the other member answered
	 */
	private boolean exchange(SessionDigests mine, String member) {
		SessionDigests theirs = ask(mine, member, SessionDigests.class);
		if (theirs == null) {
			return false;
		}
		Set<String> toSend = toSend(mine.digests(), theirs.digests());
		this.statistics.copiesBehind(toSend.size());
		try {
			send(toSend, member);
		}
		finally {
			this.statistics.copiesBehind(-toSend.size());
		}
		return true;
	}

	/**
	 * The sessions whose copy this member sends: those it holds whose digest differs from
	 * the other member's (or that the other lacks), and those the other holds that this
	 * member remembers removing.
	 */
	private Set<String> toSend(Map<String, Long> mine, Map<String, Long> theirs) {
		Set<String> toSend = new LinkedHashSet<>();
		mine.forEach((sessionId, digest) -> {
			if (digest != 0 && digest.longValue() != theirs.getOrDefault(sessionId, 0L)) {
				toSend.add(sessionId);
			}
		});
		theirs.forEach((sessionId, digest) -> {
			if (digest != 0 && mine.getOrDefault(sessionId, 0L) == 0 && this.store.remembersRemoval(sessionId)) {
				toSend.add(sessionId);
			}
		});
		return toSend;
	}

	/**
	 * Send a member this member's copy of each session, or its removal where this member
	 * remembers one, in payloads of one budget each.
	 */
	private void send(Collection<String> sessionIds, String member) {
		List<ClusterMessage> batch = new ArrayList<>();
		PayloadBudget budget = new PayloadBudget();
		for (String sessionId : sessionIds) {
			ClusterMessage repair = repairOf(sessionId);
			if (repair == null) {
				continue;
			}
			if (!budget.admits(repair)) {
				sendBatch(batch, member);
				batch = new ArrayList<>();
				budget = new PayloadBudget();
			}
			batch.add(repair);
			budget.add(repair);
		}
		sendBatch(batch, member);
	}

	private @Nullable ClusterMessage repairOf(String sessionId) {
		SessionDelta copy = this.store.repairCopy(sessionId);
		if (copy != null) {
			return copy;
		}
		return this.store.rememberedRemoval(sessionId);
	}

	private void sendBatch(List<ClusterMessage> batch, String member) {
		if (batch.isEmpty()) {
			return;
		}
		this.peers.send(batch, member);
		int copies = (int) batch.stream().filter(SessionDelta.class::isInstance).count();
		this.statistics.sessionsRepaired(copies);
		this.statistics.removalsRepaired(batch.size() - copies);
		if (logger.isDebugEnabled()) {
			logger.debug("Sent " + copies + " session copies and " + (batch.size() - copies) + " removals to member "
					+ member + " to repair its copies");
		}
	}

	/**
	 * Queue sessions to repair on a member: to compare first ({@link #repairSoon}), or
	 * already known to differ; and make sure the worker takes them.
	 */
	private void enqueue(String member, Collection<String> sessionIds, boolean compare) {
		if (this.worker.isShutdown()) {
			return;
		}
		int added = 0;
		synchronized (this.pending) {
			Pending waiting = this.pending.computeIfAbsent(member, (key) -> new Pending());
			Set<String> queue = compare ? waiting.toCompare : waiting.toSend;
			for (String sessionId : sessionIds) {
				if (this.pendingCount >= MAX_PENDING) {
					break;
				}
				if (queue.add(sessionId)) {
					this.pendingCount++;
					added++;
				}
			}
			if (waiting.size() == 0) {
				this.pending.remove(member);
			}
			this.statistics.copiesBehind(added);
			if (added > 0 && !this.draining) {
				this.draining = true;
				try {
					this.worker.execute(this::drain);
				}
				catch (RejectedExecutionException ex) {
					// stopped: nothing is repaired any more
					this.draining = false;
				}
			}
		}
		if (added < sessionIds.size() && logger.isDebugEnabled()) {
			logger.debug((sessionIds.size() - added) + " sessions to repair on member " + member
					+ " were already waiting, or did not fit; the next round compares them");
		}
	}

	/** Repair what waits, member by member, until nothing does. */
	private void drain() {
		while (true) {
			String member;
			Pending waiting;
			synchronized (this.pending) {
				Iterator<Map.Entry<String, Pending>> next = this.pending.entrySet().iterator();
				if (!next.hasNext()) {
					this.draining = false;
					return;
				}
				Map.Entry<String, Pending> first = next.next();
				next.remove();
				member = first.getKey();
				waiting = first.getValue();
				this.pendingCount -= waiting.size();
			}
			try {
				if (this.placement.get().members().contains(member)) {
					compareNamed(waiting.toCompare, member);
					send(waiting.toSend, member);
				}
			}
			catch (RuntimeException ex) {
				if (!this.worker.isShutdown()) {
					logger.warn("Could not repair the copies of " + waiting.size() + " sessions on member " + member
							+ "; the next round will", ex);
				}
			}
			finally {
				this.statistics.copiesBehind(-waiting.size());
			}
		}
	}

	/** Compare the copies of named sessions with a member, and repair both. */
	private void compareNamed(Collection<String> sessionIds, String member) {
		long scope = this.placement.get().fingerprint();
		Map<String, Long> mine = new LinkedHashMap<>();
		for (String sessionId : sessionIds) {
			mine.put(sessionId, digestOf(sessionId));
			if (mine.size() == MAX_LISTED) {
				if (!exchange(new SessionDigests(scope, 0, List.of(), mine), member)) {
					return;
				}
				mine = new LinkedHashMap<>();
			}
		}
		if (!mine.isEmpty()) {
			exchange(new SessionDigests(scope, 0, List.of(), mine), member);
		}
	}

	/**
	 * The bucket digests of the copies this member must hold with each of some members.
	 */
	private Map<String, long[]> bucketDigests(CopyPlacement placement, Collection<String> members) {
		Map<String, long[]> digests = new HashMap<>();
		members.forEach((member) -> digests.put(member, new long[BUCKETS]));
		this.store.forEachDigest((sessionId, copy) -> {
			List<String> holders = placement.holders(sessionId);
			if (holders.contains(this.localMember)) {
				long idHash = idHash(sessionId);
				long digest = digest(idHash, copy);
				int bucket = bucketOf(idHash, BUCKETS);
				for (String holder : holders) {
					long[] buckets = digests.get(holder);
					if (buckets != null) {
						buckets[bucket] += digest;
					}
				}
			}
		});
		return digests;
	}

	/**
	 * The digests of the copies this member must hold with a member, in some buckets.
	 */
	private Map<String, Long> copiesIn(CopyPlacement placement, String member, int bucketCount, Set<Integer> buckets) {
		Map<String, Long> copies = new LinkedHashMap<>();
		this.store.forEachDigest((sessionId, copy) -> {
			long idHash = idHash(sessionId);
			if (buckets.contains(bucketOf(idHash, bucketCount))) {
				List<String> holders = placement.holders(sessionId);
				if (holders.contains(this.localMember) && holders.contains(member)) {
					copies.put(sessionId, digest(idHash, copy));
				}
			}
		});
		return copies;
	}

	/** The digest of this member's copy of a session, 0 if it holds none. */
	private long digestOf(String sessionId) {
		long copy = this.store.digest(sessionId);
		return (copy != 0) ? digest(idHash(sessionId), copy) : 0;
	}

	/**
	 * A hash of a session id, the same on every member: from {@link String#hashCode()},
	 * which a string computes once, so that a round does not hash every id again.
	 */
	private static long idHash(String sessionId) {
		return Hash64.mix(sessionId.hashCode());
	}

	/** The digest of a copy with its session's id, never 0. */
	private static long digest(long idHash, long copy) {
		long digest = Hash64.mix(idHash ^ copy);
		return (digest != 0) ? digest : 1;
	}

	private static int bucketOf(long idHash, int bucketCount) {
		return (int) Math.floorMod(idHash, (long) bucketCount);
	}

	private static long sum(long[] digests) {
		long sum = 0;
		for (long digest : digests) {
			sum += digest;
		}
		return sum;
	}

	private static List<Long> boxed(long[] digests) {
		List<Long> boxed = new ArrayList<>(digests.length);
		for (long digest : digests) {
			boxed.add(digest);
		}
		return boxed;
	}

	private <T extends ClusterMessage> @Nullable T ask(ClusterMessage question, String member, Class<T> type) {
		for (ClusterMessage reply : this.peers.request(question, member)) {
			if (type.isInstance(reply)) {
				return type.cast(reply);
			}
		}
		return null;
	}

	/** How this member reaches the others. */
	interface Peers {

		/**
		 * Whether this member is connected to the cluster.
		 * @return whether it is
		 */
		boolean isConnected();

		/**
		 * Ask a member, and wait for its answer at most the acknowledgement timeout.
		 * @param question the question
		 * @param member the member
		 * @return the messages of its answer, none if it did not answer
		 */
		List<ClusterMessage> request(ClusterMessage question, String member);

		/**
		 * Send messages to a member in one payload, and wait until it applied them, at
		 * most the acknowledgement timeout.
		 * @param messages the messages
		 * @param member the member
		 */
		void send(List<ClusterMessage> messages, String member);

	}

	/** The sessions that wait to be repaired on one member. */
	private static final class Pending {

		/** To compare first: named by {@link #repairSoon}. */
		final Set<String> toCompare = new LinkedHashSet<>();

		/** Known to differ: to send. */
		final Set<String> toSend = new LinkedHashSet<>();

		int size() {
			return this.toCompare.size() + this.toSend.size();
		}

	}

}
