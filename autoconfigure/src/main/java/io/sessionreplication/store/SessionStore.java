package io.sessionreplication.store;

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
import java.util.function.Predicate;

import io.sessionreplication.wire.ClusterMessage;
import io.sessionreplication.wire.Coverage;
import io.sessionreplication.wire.SessionDelta;
import io.sessionreplication.wire.SessionRemoval;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The sessions this member holds, and the memory of recently removed ones. Changes from
 * this member ({@link #commit}) and from the cluster ({@link #apply}) meet here. A
 * removed session is remembered for {@link #REMOVAL_MEMORY}, so that a change still in
 * flight from another member cannot bring it back.
 * <p>
 * It keeps an index of its sessions by index value ({@link #findIds}), and tells a
 * {@link SessionLifecycleListener} when a session begins or ends here, once the change is
 * done.
 * <p>
 * It does not send anything: it returns what has to travel and leaves that to a
 * {@link io.sessionreplication.replication.SessionReplicator}.
 */
public class SessionStore {

	/** How long the id of a removed session is remembered. */
	static final Duration REMOVAL_MEMORY = Duration.ofMinutes(10);

	/**
	 * How many removed sessions are remembered at most, by default: 100,000 ids, some 15
	 * MB, more than a busy member removes in ten minutes.
	 */
	public static final int DEFAULT_MAX_REMOVALS = 100_000;

	private final String localMember;

	private final ConcurrentMap<String, SessionEntry> sessions = new ConcurrentHashMap<>();

	private final ConcurrentMap<String, Instant> removed = new ConcurrentHashMap<>();

	private final SessionIndex index = new SessionIndex();

	private int maxRemovals = DEFAULT_MAX_REMOVALS;

	private final LongAdder removalsForgottenEarly = new LongAdder();

	private SessionLifecycleListener lifecycleListener = SessionLifecycleListener.NONE;

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
	 * Set what hears the sessions begin and end on this member.
	 * @param lifecycleListener the listener
	 */
	public void setLifecycleListener(SessionLifecycleListener lifecycleListener) {
		this.lifecycleListener = lifecycleListener;
	}

	/**
	 * Set how many removed sessions this member remembers at most: beyond, the oldest
	 * removals are forgotten before {@link #REMOVAL_MEMORY} has passed, and counted
	 * ({@link #removalsForgottenEarly()}), so that a flood of removals cannot fill the
	 * heap.
	 * @param maxRemovals the largest number of removals remembered
	 */
	public void setMaxRemovals(int maxRemovals) {
		Assert.isTrue(maxRemovals > 0, "'maxRemovals' must be positive");
		this.maxRemovals = maxRemovals;
	}

	/**
	 * How many removed sessions this member remembers.
	 * @return the count
	 */
	public int removalsRemembered() {
		return this.removed.size();
	}

	/**
	 * How many removals this member forgot before {@link #REMOVAL_MEMORY} had passed,
	 * because it remembered as many as it may.
	 * @return the count since this member started
	 */
	public long removalsForgottenEarly() {
		return this.removalsForgottenEarly.sum();
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
	 * The whole session, to send to a member that needs a copy.
	 * @param sessionId the session id
	 * @return the whole session, or {@code null} if this member holds no whole copy
	 */
	public @Nullable SessionDelta wholeCopy(String sessionId) {
		SessionEntry entry = this.sessions.get(sessionId);
		return (entry != null && entry.coverage().isWhole()) ? entry.toDelta(sessionId) : null;
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
		SessionEntry renamed = (change.previousId() != null) ? forget(change.previousId()) : null;
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
	 */
	public void apply(ClusterMessage message) {
		if (message instanceof SessionRemoval removal) {
			remove(removal.sessionId(), removal.reason(), false);
		}
		else if (message instanceof SessionDelta delta) {
			apply(delta);
		}
	}

	/**
	 * Apply a change or a whole session from another member.
	 * @param delta the change
	 */
	public void apply(SessionDelta delta) {
		SessionEntry renamed = (delta.previousId() != null) ? forget(delta.previousId()) : null;
		boolean[] arrived = new boolean[1];
		SessionEntry applied = this.sessions.compute(delta.sessionId(), (id, entry) -> {
			Map<String, String> before = indexesOf(entry);
			if (this.removed.containsKey(id)) {
				return indexed(id, before, null);
			}
			if (entry == null) {
				arrived[0] = renamed == null;
				entry = (renamed != null) ? renamed : SessionEntry.of(delta);
			}
			else if (renamed != null) {
				entry.merge(renamed.toDelta(id));
			}
			entry.merge(delta);
			return indexed(id, before, entry);
		});
		if (applied != null && arrived[0] && delta.created()) {
			this.lifecycleListener.sessionCreated(delta.sessionId(), applied, false);
		}
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
		SessionEntry ended = forget(sessionId);
		if (ended != null && reason != SessionRemoval.Reason.RENAMED) {
			this.lifecycleListener.sessionEnded(sessionId, ended, reason, here);
		}
		return ended != null;
	}

	private @Nullable SessionEntry forget(String sessionId) {
		SessionEntry[] removedEntry = new SessionEntry[1];
		this.sessions.compute(sessionId, (id, entry) -> {
			this.removed.put(id, Instant.now());
			removedEntry[0] = entry;
			return indexed(id, indexesOf(entry), null);
		});
		forgetOldestRemovalsOverTheLimit();
		return removedEntry[0];
	}

	/**
	 * Once more removals are remembered than {@link #setMaxRemovals allowed}, forget the
	 * oldest down to nine tenths of the limit, so that the sort this takes is paid once
	 * for many removals.
	 */
	private void forgetOldestRemovalsOverTheLimit() {
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
			for (Map.Entry<String, Instant> removal : oldest) {
				if (this.removed.remove(removal.getKey(), removal.getValue())) {
					this.removalsForgottenEarly.increment();
				}
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
	 * Remove the sessions that have expired on this member, and forget removals older
	 * than {@link #REMOVAL_MEMORY}.
	 * @param now the current time
	 * @return the expired sessions whose last access happened on this member: their
	 * expiry is announced to the other copies
	 */
	public List<SessionRemoval> removeExpired(Instant now) {
		Map<String, SessionEntry> expired = new LinkedHashMap<>();
		this.sessions.forEach((id, entry) -> {
			if (entry.isExpired(now, this.localMember)) {
				this.sessions.computeIfPresent(id, (key, current) -> {
					if (!current.isExpired(now, this.localMember)) {
						return current;
					}
					this.removed.put(key, now);
					expired.put(key, current);
					return indexed(key, current.indexes(), null);
				});
			}
		});
		forgetOldestRemovalsOverTheLimit();
		Instant forgetBefore = now.minus(REMOVAL_MEMORY);
		this.removed.values().removeIf(removedAt -> removedAt.isBefore(forgetBefore));
		List<SessionRemoval> announced = new ArrayList<>();
		expired.forEach((id, entry) -> {
			boolean here = entry.isLastAccessedBy(this.localMember);
			if (here) {
				announced.add(new SessionRemoval(id, SessionRemoval.Reason.EXPIRED));
			}
			this.lifecycleListener.sessionEnded(id, entry, SessionRemoval.Reason.EXPIRED, here);
		});
		return announced;
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
		this.removed.keySet().forEach((id) -> consumer.accept(new SessionRemoval(id, SessionRemoval.Reason.RESENT)));
	}

}
