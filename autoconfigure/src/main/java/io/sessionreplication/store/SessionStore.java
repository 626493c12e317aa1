package io.sessionreplication.store;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.ObjLongConsumer;
import java.util.function.Predicate;

import io.sessionreplication.wire.ClusterMessage;
import io.sessionreplication.wire.Coverage;
import io.sessionreplication.wire.SessionDelta;
import io.sessionreplication.wire.SessionRemoval;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The sessions this member holds, and the memory of recently removed ones. Changes from
 * this member ({@link #commit}) and from the cluster ({@link #apply}) meet here. A
 * removed session is remembered until it would have expired (its timeout after its last
 * access, and the quarter of it by which a copy may lag the last access), and at least
 * for the {@link #setMinRemovalMemory minimum removal memory}: so that neither a change
 * still in flight nor a copy on the other side of a partition can bring it back. A
 * session that never expires is remembered until the limit on removals forgets it.
 * <p>
 * It keeps an index of its sessions by index value ({@link #findIds}), and tells a
 * {@link SessionLifecycleListener} when a session begins or ends here, once the change is
 * done. It judges expiry by this member's {@link #clock()}, as {@link SessionEntry}
 * describes.
 * <p>
 * It does not send anything: it returns what has to travel and leaves that to a
 * {@link io.sessionreplication.replication.SessionReplicator}.
 */
public class SessionStore {

	/**
	 * How long the id of a removed session is remembered at least, by default: 10
	 * minutes, longer than a change stays in flight, even behind a member that pauses.
	 */
	public static final Duration DEFAULT_MIN_REMOVAL_MEMORY = Duration.ofMinutes(10);

	/** How often the limit on removals, once it bites, is logged at most. */
	private static final long REMOVAL_LIMIT_WARNING_INTERVAL = Duration.ofMinutes(10).toNanos();

	private static final Log logger = LogFactory.getLog(SessionStore.class);

	/**
	 * How many removed sessions are remembered at most, by default: 100,000 ids, some 15
	 * MB.
	 */
	public static final int DEFAULT_MAX_REMOVALS = 100_000;

	private final String localMember;

	private final ConcurrentMap<String, SessionEntry> sessions = new ConcurrentHashMap<>();

	/** The ids of removed sessions, each with the instant it may be forgotten. */
	private final ConcurrentMap<String, Instant> removed = new ConcurrentHashMap<>();

	private Duration minRemovalMemory = DEFAULT_MIN_REMOVAL_MEMORY;

	private long lastRemovalLimitWarning = System.nanoTime() - REMOVAL_LIMIT_WARNING_INTERVAL;

	private final SessionIndex index = new SessionIndex();

	private int maxRemovals = DEFAULT_MAX_REMOVALS;

	private final LongAdder removalsForgottenEarly = new LongAdder();

	private SessionLifecycleListener lifecycleListener = SessionLifecycleListener.NONE;

	private Clock clock = Clock.systemUTC();

	private final DiscardedWrites discardedWrites = new DiscardedWrites();

	/**
	 * Create an empty store.
	 * @param localMember the name of this member in the cluster
	 */
	public SessionStore(String localMember) {
		this.localMember = localMember;
	}

	/**
	 * The name of this member in the cluster.
	 * @return the member name
	 */
	public String localMember() {
		return this.localMember;
	}

	/**
	 * Set the clock that times sessions and removals on this member. Default is the
	 * system clock, in UTC.
	 * @param clock the clock
	 */
	public void setClock(Clock clock) {
		Assert.notNull(clock, "'clock' must not be null");
		this.clock = clock;
	}

	/**
	 * The clock that times sessions and removals on this member.
	 * @return the clock
	 */
	public Clock clock() {
		return this.clock;
	}

	/**
	 * Set what hears the sessions begin and end on this member.
	 * @param lifecycleListener the listener
	 */
	public void setLifecycleListener(SessionLifecycleListener lifecycleListener) {
		this.lifecycleListener = lifecycleListener;
	}

	/**
	 * Set how many removed sessions this member remembers at most: beyond, the removals
	 * due to be forgotten first are forgotten early, counted
	 * ({@link #removalsForgottenEarly()}) and logged at WARN at most every 10 minutes, so
	 * that a flood of removals cannot fill the heap.
	 * @param maxRemovals the largest number of removals remembered
	 */
	public void setMaxRemovals(int maxRemovals) {
		Assert.isTrue(maxRemovals > 0, "'maxRemovals' must be positive");
		this.maxRemovals = maxRemovals;
	}

	/**
	 * Set how long a removed session is remembered at least, whatever its timeout.
	 * Default is {@link #DEFAULT_MIN_REMOVAL_MEMORY}.
	 * @param minRemovalMemory the shortest memory of a removal
	 */
	public void setMinRemovalMemory(Duration minRemovalMemory) {
		Assert.isTrue(!minRemovalMemory.isNegative(), "'minRemovalMemory' must not be negative");
		this.minRemovalMemory = minRemovalMemory;
	}

	/**
	 * How many removed sessions this member remembers.
	 * @return the count
	 */
	public int removalsRemembered() {
		return this.removed.size();
	}

	/**
	 * How many removals this member forgot before their time, because it remembered as
	 * many as it may.
	 * @return the count since this member started
	 */
	public long removalsForgottenEarly() {
		return this.removalsForgottenEarly.sum();
	}

	/**
	 * The acknowledged writes that the split-brain rule discarded at merges, as this
	 * member counts them; the replicator tells it when views split and merge.
	 * @return the count of discarded writes
	 */
	public DiscardedWrites discardedWrites() {
		return this.discardedWrites;
	}

	/**
	 * How many sessions this member holds.
	 * @return the count
	 */
	public int size() {
		return this.sessions.size();
	}

	/**
	 * Hand the id of every session this member holds to {@code action}.
	 * @param action what to do with each id
	 */
	public void forEachSessionId(Consumer<String> action) {
		this.sessions.keySet().forEach(action);
	}

	/**
	 * The ids of the sessions this member holds with an index value, found without going
	 * through every session.
	 * @param indexName the index name
	 * @param indexValue the index value
	 * @return the session ids, in a set of the caller's own
	 */
	public Set<String> findIds(String indexName, String indexValue) {
		return this.index.find(indexName, indexValue);
	}

	/**
	 * How many distinct index values the sessions of this member have.
	 * @return the count
	 */
	public int indexSize() {
		return this.index.size();
	}

	public @Nullable SessionSnapshot find(String sessionId) {
		SessionEntry entry = this.sessions.get(sessionId);
		return (entry != null) ? entry.snapshot(this.localMember) : null;
	}

	/**
	 * The member of the latest access this member knows of a session.
	 * @param sessionId the session id
	 * @return the member, or {@code null} if this member holds no copy
	 */
	public @Nullable String lastAccessedBy(String sessionId) {
		SessionEntry entry = this.sessions.get(sessionId);
		return (entry != null) ? entry.lastAccessedBy() : null;
	}

	/**
	 * What this member answers another that asks whether a session is still live (an
	 * {@link io.sessionreplication.wire.AccessQuery}), by this member's clock: the latest
	 * access it knows, as a change that carries no attribute, while the session has not
	 * expired by that access; otherwise, and when it holds no copy, the session's expiry.
	 * @param sessionId the session id
	 * @return the latest access, or the expiry
	 */
	public ClusterMessage liveness(String sessionId) {
		SessionEntry entry = this.sessions.get(sessionId);
		return (entry != null && !entry.isExpired(this.clock.instant())) ? entry.toAccess(sessionId)
				: new SessionRemoval(sessionId, SessionRemoval.Reason.EXPIRED);
	}

	/**
	 * The whole session, to send to a member that needs a copy.
	 * @param sessionId the session id
	 * @return the whole session, or {@code null} if this member holds no whole copy
	 */
	public @Nullable SessionDelta wholeCopy(String sessionId) {
		SessionEntry entry = this.sessions.get(sessionId);
		return (entry != null && entry.coverage().isWhole()) ? entry.toDelta(sessionId) : null;
	}

	/**
	 * This member's copy of a session, whole or not, to repair another member's copy that
	 * differs: the latest access it carries counts as replicated from now on. A copy
	 * overdue by this member's clock (see {@link #removeExpired}) repairs nothing: it is
	 * on its way out.
	 * @param sessionId the session id
	 * @return the copy, or {@code null} if this member holds none, or an overdue one
	 */
	public @Nullable SessionDelta repairCopy(String sessionId) {
		SessionEntry entry = this.sessions.get(sessionId);
		return (entry != null && !entry.isOverdue(this.clock.instant())) ? entry.toRepairDelta(sessionId) : null;
	}

	/**
	 * The digest of this member's copy of a session (see {@link SessionEntry#digest()}).
	 * @param sessionId the session id
	 * @return the digest, or 0 if this member holds no copy
	 */
	public long digest(String sessionId) {
		SessionEntry entry = this.sessions.get(sessionId);
		return (entry != null) ? entry.digest() : 0;
	}

	/**
	 * Hand the id of every session this member holds, with the digest of its copy (see
	 * {@link SessionEntry#digest()}), to {@code action}.
	 * @param action what to do with each id and digest
	 */
	public void forEachDigest(ObjLongConsumer<String> action) {
		this.sessions.forEach((id, entry) -> action.accept(id, entry.digest()));
	}

	/**
	 * Whether this member remembers that a session was removed.
	 * @param sessionId the session id
	 * @return whether it does
	 */
	public boolean remembersRemoval(String sessionId) {
		return this.removed.containsKey(sessionId);
	}

	/**
	 * The removal of a session that this member remembers, to send again to a member that
	 * missed it, with how long this member remembers it.
	 * @param sessionId the session id
	 * @return the removal, or {@code null} if this member remembers none
	 */
	public @Nullable SessionRemoval rememberedRemoval(String sessionId) {
		Instant until = this.removed.get(sessionId);
		return (until != null) ? new SessionRemoval(sessionId, SessionRemoval.Reason.RESENT, until) : null;
	}

	/**
	 * This member's copy of a session, whole or not, for inspection.
	 * @param sessionId the session id
	 * @return the copy, or {@code null} if this member holds none
	 */
	public @Nullable SessionDelta copy(String sessionId) {
		SessionEntry entry = this.sessions.get(sessionId);
		return (entry != null) ? entry.toDelta(sessionId) : null;
	}

	/**
	 * How much of a session this member holds.
	 * @param sessionId the session id
	 * @return the coverage of its copy, {@code null} if it holds none
	 */
	public @Nullable Coverage coverage(String sessionId) {
		SessionEntry entry = this.sessions.get(sessionId);
		return (entry != null) ? entry.coverage() : null;
	}

	/**
	 * Whether this member holds a whole copy of a session, current or not.
	 * @param sessionId the session id
	 * @return whether it does
	 */
	public boolean holdsWhole(String sessionId) {
		Coverage coverage = coverage(sessionId);
		return coverage != null && coverage.isWhole();
	}

	/**
	 * Stop counting the copies that {@code which} accepts as current: they may have
	 * missed changes, until a current whole copy merges into them.
	 * @param which which session ids to distrust
	 */
	public void distrust(Predicate<String> which) {
		this.sessions.forEach((id, entry) -> {
			if (which.test(id)) {
				entry.distrust();
			}
		});
	}

	/**
	 * Drop this member's copy of a session without remembering a removal: the session
	 * lives on elsewhere.
	 * @param sessionId the session id
	 */
	public void discard(String sessionId) {
		this.sessions.computeIfPresent(sessionId, (id, entry) -> indexed(id, entry.indexes(), null));
	}

	/**
	 * Drop the copies that {@code keep} rejects and that have not changed since
	 * {@code unchangedSince}, without remembering a removal.
	 * @param keep which session ids this member keeps whatever their age
	 * @param unchangedSince how recent a change keeps a copy anyway
	 * @return how many copies were dropped
	 */
	public int discardIf(Predicate<String> keep, Instant unchangedSince) {
		int[] dropped = new int[1];
		this.sessions.forEach((id, entry) -> {
			if (!keep.test(id)) {
				this.sessions.computeIfPresent(id, (key, current) -> {
					if (current.isUnchangedSince(unchangedSince)) {
						dropped[0]++;
						return indexed(key, current.indexes(), null);
					}
					return current;
				});
			}
		});
		return dropped[0];
	}

	/**
	 * Apply a change made on this member. A session removed meanwhile (invalidated or
	 * expired on another member) stays removed.
	 * @param change the change
	 * @return the delta to replicate, or {@code null} if nothing has to travel
	 */
	public @Nullable SessionDelta commit(LocalChange change) {
		SessionEntry renamed = (change.previousId() != null) ? forget(change.previousId(), null) : null;
		SessionDelta[] delta = new SessionDelta[1];
		SessionEntry created = this.sessions.compute(change.sessionId(), (id, entry) -> {
			Map<String, String> before = indexesOf(entry);
			SessionEntry target = (entry != null) ? entry : renamed;
			if (target == null && change.isNew() && !this.removed.containsKey(id)) {
				target = SessionEntry.ofNew(change, this.localMember);
			}
			if (target != null) {
				delta[0] = target.commit(change, this.localMember);
			}
			return indexed(id, before, target);
		});
		if (created != null && change.isNew()) {
			this.lifecycleListener.sessionCreated(change.sessionId(), created, true);
		}
		return delta[0];
	}

	/**
	 * Apply a message from another member, or from a state transfer.
	 * @param message the message
	 * @return {@code false} if it was a change of a session this member holds as removed,
	 * dropped since the removal wins; {@code true} otherwise
	 */
	public boolean apply(ClusterMessage message) {
		if (message instanceof SessionRemoval removal) {
			remove(removal.sessionId(), removal.reason(), false, removal.rememberUntil());
		}
		else if (message instanceof SessionDelta delta) {
			return apply(delta);
		}
		return true;
	}

	/**
	 * Apply a change or a whole session from another member.
	 * @param delta the change
	 * @return {@code false} if this member holds the session as removed, and dropped the
	 * change since the removal wins
	 */
	public boolean apply(SessionDelta delta) {
		SessionEntry renamed = (delta.previousId() != null) ? forget(delta.previousId(), null) : null;
		boolean[] arrived = new boolean[1];
		boolean[] dropped = new boolean[1];
		SessionEntry applied = this.sessions.compute(delta.sessionId(), (id, entry) -> {
			Map<String, String> before = indexesOf(entry);
			if (this.removed.containsKey(id)) {
				dropped[0] = true;
				return indexed(id, before, null);
			}
			if (entry == null) {
				arrived[0] = renamed == null;
				entry = (renamed != null) ? renamed : SessionEntry.of(delta);
			}
			else if (renamed != null) {
				entry.merge(renamed.toDelta(id), this.discardedWrites);
			}
			entry.merge(delta, this.discardedWrites);
			return indexed(id, before, entry);
		});
		if (applied != null && arrived[0] && delta.created()) {
			this.lifecycleListener.sessionCreated(delta.sessionId(), applied, false);
		}
		return !dropped[0];
	}

	/**
	 * Remove a session and remember that it was removed.
	 * @param sessionId the session id
	 * @param reason why the session ended
	 * @param here whether the removal is this member's doing (an invalidation here, or
	 * the expiry of a session last accessed here) rather than news from another member
	 * @return {@code true} if this member held the session
	 */
	public boolean remove(String sessionId, SessionRemoval.Reason reason, boolean here) {
		return remove(sessionId, reason, here, null);
	}

	private boolean remove(String sessionId, SessionRemoval.Reason reason, boolean here,
			@Nullable Instant rememberUntil) {
		SessionEntry ended = forget(sessionId, rememberUntil);
		if (ended != null && reason != SessionRemoval.Reason.RENAMED) {
			this.lifecycleListener.sessionEnded(sessionId, ended, reason, here);
		}
		return ended != null;
	}

	private @Nullable SessionEntry forget(String sessionId, @Nullable Instant rememberUntil) {
		SessionEntry[] removedEntry = new SessionEntry[1];
		this.sessions.compute(sessionId, (id, entry) -> {
			remember(id, entry, rememberUntil, this.clock.instant());
			removedEntry[0] = entry;
			return indexed(id, indexesOf(entry), null);
		});
		forgetRemovalsOverTheLimit();
		return removedEntry[0];
	}

	/**
	 * Remember a removal until the session would have expired on any copy, at least as
	 * long as the member that sent the removal does, and at least for the minimum removal
	 * memory; a removal remembered longer already stays so.
	 */
	private void remember(String sessionId, @Nullable SessionEntry entry, @Nullable Instant rememberUntil,
			Instant now) {
		Instant forgetAt = now.plus(this.minRemovalMemory);
		if (entry != null && entry.latestExpiry().isAfter(forgetAt)) {
			forgetAt = entry.latestExpiry();
		}
		if (rememberUntil != null && rememberUntil.isAfter(forgetAt)) {
			forgetAt = rememberUntil;
		}
		this.removed.merge(sessionId, forgetAt, (held, next) -> next.isAfter(held) ? next : held);
	}

	/**
	 * Once more removals are remembered than {@link #setMaxRemovals allowed}, forget
	 * those due to be forgotten first, down to nine tenths of the limit, so that the sort
	 * this takes is paid once for many removals.
	 */
	private void forgetRemovalsOverTheLimit() {
		if (this.removed.size() <= this.maxRemovals) {
			return;
		}
		synchronized (this.removed) {
			int excess = this.removed.size() - (this.maxRemovals - this.maxRemovals / 10);
			if (excess <= 0 || this.removed.size() <= this.maxRemovals) {
				return;
			}
			List<Map.Entry<String, Instant>> oldest = this.removed.entrySet()
				.stream()
				.map((removal) -> Map.entry(removal.getKey(), removal.getValue()))
				.sorted(Map.Entry.comparingByValue())
				.limit(excess)
				.toList();
			int forgotten = 0;
			for (Map.Entry<String, Instant> removal : oldest) {
				if (this.removed.remove(removal.getKey(), removal.getValue())) {
					forgotten++;
				}
			}
			this.removalsForgottenEarly.add(forgotten);
			long now = System.nanoTime();
			if (now - this.lastRemovalLimitWarning >= REMOVAL_LIMIT_WARNING_INTERVAL) {
				this.lastRemovalLimitWarning = now;
				logger.warn("Member " + this.localMember + " remembers " + this.maxRemovals
						+ " removed sessions, as many as session.replication.max-removals-remembered allows: it forgot "
						+ forgotten + " of them early, which a copy on the other side of a partition could now bring "
						+ "back (logged at most every 10 minutes; session.replication.removals.forgotten.early counts them)");
			}
		}
	}

	/** Bring the index in step with a session's copy, as it is about to be stored. */
	private @Nullable SessionEntry indexed(String sessionId, Map<String, String> before, @Nullable SessionEntry after) {
		this.index.update(sessionId, before, indexesOf(after));
		return after;
	}

	private static Map<String, String> indexesOf(@Nullable SessionEntry entry) {
		return (entry != null) ? entry.indexes() : Map.of();
	}

	/**
	 * Remove the sessions that have expired on this member, and forget the removals whose
	 * time has come. A session last accessed here expires at that access plus its
	 * timeout. Any other copy expires by itself only once it is
	 * {@link SessionEntry#isOverdue overdue} and the member of its latest access has left
	 * the view; while that member is in the view, it expires the session and tells this
	 * member, or says whether the session is still live when asked.
	 * @param now the current time
	 * @param isMember whether a member is in the current view
	 * @return the expiries to announce, and the overdue copies to ask about
	 */
	public Sweep removeExpired(Instant now, Predicate<String> isMember) {
		Map<String, SessionEntry> expired = new LinkedHashMap<>();
		List<String> unconfirmed = new ArrayList<>();
		this.sessions.forEach((id, entry) -> {
			if (expiresHere(entry, now, isMember)) {
				this.sessions.computeIfPresent(id, (key, current) -> {
					if (!expiresHere(current, now, isMember)) {
						return current;
					}
					remember(key, null, null, now);
					expired.put(key, current);
					return indexed(key, current.indexes(), null);
				});
			}
			else if (!entry.isLastAccessedBy(this.localMember) && entry.isOverdue(now)) {
				unconfirmed.add(id);
			}
		});
		forgetRemovalsOverTheLimit();
		this.removed.values().removeIf((forgetAt) -> forgetAt.isBefore(now));
		List<SessionRemoval> announced = new ArrayList<>();
		expired.forEach((id, entry) -> {
			boolean here = entry.isLastAccessedBy(this.localMember);
			if (here) {
				announced.add(new SessionRemoval(id, SessionRemoval.Reason.EXPIRED));
			}
			this.lifecycleListener.sessionEnded(id, entry, SessionRemoval.Reason.EXPIRED, here);
		});
		return new Sweep(announced, unconfirmed);
	}

	private boolean expiresHere(SessionEntry entry, Instant now, Predicate<String> isMember) {
		return entry.isLastAccessedBy(this.localMember) ? entry.isExpired(now)
				: entry.isOverdue(now) && !isMember.test(entry.lastAccessedBy());
	}

	/**
	 * Hand every session, whole, to {@code consumer}: the state a joining member needs.
	 * @param consumer what to do with each session
	 */
	public void exportSessions(Consumer<? super SessionDelta> consumer) {
		this.sessions.forEach((id, entry) -> consumer.accept(entry.toDelta(id)));
	}

	/**
	 * Hand every removal this member remembers to {@code consumer}, so that a member that
	 * missed one (on the other side of a partition) removes the session too.
	 * @param consumer what to do with each removal
	 */
	public void exportRemovals(Consumer<? super SessionRemoval> consumer) {
		this.removed
			.forEach((id, until) -> consumer.accept(new SessionRemoval(id, SessionRemoval.Reason.RESENT, until)));
	}

	/**
	 * What one {@link #removeExpired sweep} of the expired sessions found.
	 *
	 * @param announced the expiries of the sessions last accessed here, to send to the
	 * other copies
	 * @param unconfirmed the overdue copies whose member of the latest access is in the
	 * view, yet has not announced their expiry: its clock may be behind this member's, or
	 * its announcement lost; it is asked
	 */
	public record Sweep(List<SessionRemoval> announced, List<String> unconfirmed) {

	}

}
