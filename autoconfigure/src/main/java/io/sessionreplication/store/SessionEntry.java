package io.sessionreplication.store;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sessionreplication.wire.AttributeChange;
import io.sessionreplication.wire.AttributeValue;
import io.sessionreplication.wire.ChangeStamp;
import io.sessionreplication.wire.Coverage;
import io.sessionreplication.wire.Hash64;
import io.sessionreplication.wire.SessionDelta;
import io.sessionreplication.wire.SessionIndexes;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * One member's copy of a session. It merges changes from any member field by field (the
 * higher {@link ChangeStamp} wins, the later access wins), so copies that received the
 * same changes in any order hold the same state. Removed attributes are kept as stamped
 * removals so that an older concurrent value cannot bring them back.
 * <p>
 * Last access is replicated cheaply. A member sends an access-only change when it serves
 * a session last accessed on another member, or when its last replicated access is older
 * than a quarter of the timeout ({@link #accessReplicationInterval(Duration)}). The
 * member of the latest access therefore knows the true last access; any other copy knows
 * one at most that interval older, and the member that made it
 * ({@link #lastAccessedBy()}). A copy {@link #isExpired expires} at the latest access it
 * knows plus the timeout; past that interval more it is {@link #isOverdue overdue}: by
 * then the member of the latest access has expired the session too, unless its clock is
 * behind.
 * <p>
 * The session's index values ({@link SessionIndexes}), resolved where a request changed
 * its attributes, merge as one stamped field.
 * <p>
 * A copy knows how much of the session it holds ({@link #coverage()}): one created from a
 * delta alone, before the whole session reached this member, lacks what the delta did not
 * carry; a whole copy that may have missed changes is stale until a current one merges.
 * <p>
 * Thread-safe: every method holds the entry's monitor, briefly, but {@link #digest()}
 * once the digest is computed.
 */
public final class SessionEntry {

	private final Instant creationTime;

	private Duration maxInactiveInterval;

	private ChangeStamp maxInactiveStamp;

	private Instant lastAccessedTime;

	private String lastAccessedBy;

	private Instant replicatedAccessTime;

	private final Map<String, AttributeChange> attributes = new HashMap<>();

	private SessionIndexes indexes = SessionIndexes.NONE;

	/** How much of the session this copy holds, and whether it is current. */
	private Coverage coverage = Coverage.CHANGES;

	/** When this copy last changed, in epoch milliseconds on this member's clock. */
	private long touched = System.currentTimeMillis();

	/**
	 * What {@link #digest()} returns until the copy changes; 0 when not computed. Read
	 * without the monitor, so that a pass over every copy takes none.
	 */
	private volatile long digest;

	private SessionEntry(Instant creationTime, Duration maxInactiveInterval, ChangeStamp maxInactiveStamp,
			Instant lastAccessedTime, String lastAccessedBy) {
		this.creationTime = creationTime;
		this.maxInactiveInterval = maxInactiveInterval;
		this.maxInactiveStamp = maxInactiveStamp;
		this.lastAccessedTime = lastAccessedTime;
		this.lastAccessedBy = lastAccessedBy;
		this.replicatedAccessTime = lastAccessedTime;
	}

	static SessionEntry of(SessionDelta delta) {
		SessionEntry entry = new SessionEntry(delta.creationTime(), delta.maxInactiveInterval(),
				delta.maxInactiveStamp(), delta.lastAccessedTime(), delta.lastAccessedBy());
		entry.merge(delta);
		return entry;
	}

	static SessionEntry ofNew(LocalChange change, String member) {
		Assert.notNull(change.maxInactiveInterval(), "A new session carries its timeout");
		SessionEntry entry = new SessionEntry(change.creationTime(), change.maxInactiveInterval(), ChangeStamp.INITIAL,
				change.lastAccessedTime(), member);
		entry.coverage = Coverage.CURRENT_COPY;
		return entry;
	}

	/**
	 * How long a member may go without replicating accesses to a session it keeps
	 * serving: a quarter of the session timeout.
	 * @param maxInactiveInterval the session timeout
	 * @return the interval
	 */
	static Duration accessReplicationInterval(Duration maxInactiveInterval) {
		return Duration.ofMillis(accessReplicationMillis(maxInactiveInterval));
	}

	/**
	 * {@link #accessReplicationInterval(Duration)} in milliseconds, as on the wire, for
	 * arithmetic on every commit without {@code Duration} or {@code Instant} objects.
	 * @param maxInactiveInterval the session timeout
	 * @return the interval in milliseconds
	 */
	private static long accessReplicationMillis(Duration maxInactiveInterval) {
		return maxInactiveInterval.toMillis() / 4;
	}

	synchronized void merge(SessionDelta delta) {
		merge(delta, null);
	}

	/**
	 * Merge a change or a whole copy from another member, field by field.
	 * @param delta the change or copy
	 * @param discards what counts the writes discarded at a merge, if any
	 */
	synchronized void merge(SessionDelta delta, @Nullable DiscardedWrites discards) {
		this.coverage = this.coverage.max(delta.coverage());
		this.touched = System.currentTimeMillis();
		this.digest = 0;
		if (delta.maxInactiveStamp().isAfter(this.maxInactiveStamp)) {
			this.maxInactiveInterval = delta.maxInactiveInterval();
			this.maxInactiveStamp = delta.maxInactiveStamp();
		}
		if (isLater(delta.lastAccessedTime(), delta.lastAccessedBy())) {
			this.lastAccessedTime = delta.lastAccessedTime();
			this.lastAccessedBy = delta.lastAccessedBy();
		}
		if (delta.lastAccessedTime().isAfter(this.replicatedAccessTime)) {
			this.replicatedAccessTime = delta.lastAccessedTime();
		}
		for (AttributeChange change : delta.attributes()) {
			AttributeChange current = this.attributes.get(change.name());
			boolean newer = current == null || change.stamp().isAfter(current.stamp());
			if (newer) {
				this.attributes.put(change.name(), change);
			}
			if (current != null && discards != null && !change.stamp().equals(current.stamp())) {
				discards.decided(delta.sessionId(), change.name(), newer ? change.stamp() : current.stamp(),
						newer ? current.stamp() : change.stamp(), newer);
			}
		}
		if (delta.indexes().stamp().isAfter(this.indexes.stamp())) {
			this.indexes = delta.indexes();
		}
	}

	/**
	 * Apply a change made on this member, stamping each changed field.
	 * @param change the change
	 * @param member this member's name
	 * @return the stamped delta to send to the other copies, or {@code null} if the
	 * change need not travel (an access that is not yet due for replication)
	 */
	synchronized @Nullable SessionDelta commit(LocalChange change, String member) {
		this.touched = System.currentTimeMillis();
		this.digest = 0;
		List<AttributeChange> changed = new ArrayList<>(change.attributes().size());
		change.attributes().forEach((name, value) -> {
			AttributeChange current = this.attributes.get(name);
			AttributeChange next = new AttributeChange(name,
					((current != null) ? current.stamp() : ChangeStamp.INITIAL).next(member), value);
			this.attributes.put(name, next);
			changed.add(next);
		});
		Duration timeout = change.maxInactiveInterval();
		boolean timeoutChanged = timeout != null && !timeout.equals(this.maxInactiveInterval);
		if (timeoutChanged) {
			this.maxInactiveInterval = timeout;
			this.maxInactiveStamp = this.maxInactiveStamp.next(member);
		}
		boolean accessedElsewhere = !this.lastAccessedBy.equals(member);
		boolean accessed = isLater(change.lastAccessedTime(), member);
		if (accessed) {
			this.lastAccessedTime = change.lastAccessedTime();
			this.lastAccessedBy = member;
		}
		boolean accessDue = accessed && (accessedElsewhere || isAccessReplicationDue());
		boolean indexesChanged = change.indexes() != null && !change.indexes().equals(this.indexes.values());
		if (indexesChanged) {
			this.indexes = new SessionIndexes(change.indexes(), this.indexes.stamp().next(member));
		}
		if (changed.isEmpty() && !timeoutChanged && !change.isNew() && change.previousId() == null && !accessDue
				&& !indexesChanged) {
			return null;
		}
		this.replicatedAccessTime = this.lastAccessedTime;
		// a new session's first change sets every attribute it has
		return new SessionDelta(change.sessionId(), change.previousId(), this.creationTime, this.maxInactiveInterval,
				this.maxInactiveStamp, this.lastAccessedTime, this.lastAccessedBy, changed,
				indexesChanged ? this.indexes : SessionIndexes.NONE,
				change.isNew() ? Coverage.CURRENT_COPY : Coverage.CHANGES, change.isNew());
	}

	private boolean isAccessReplicationDue() {
		return !this.maxInactiveInterval.isNegative() && this.lastAccessedTime.toEpochMilli()
				- this.replicatedAccessTime.toEpochMilli() >= accessReplicationMillis(this.maxInactiveInterval);
	}

	/**
	 * The whole session as one delta, to bring another copy up to date.
	 * @param sessionId the session id
	 * @return the delta
	 */
	synchronized SessionDelta toDelta(String sessionId) {
		return new SessionDelta(sessionId, null, this.creationTime, this.maxInactiveInterval, this.maxInactiveStamp,
				this.lastAccessedTime, this.lastAccessedBy, List.copyOf(this.attributes.values()), this.indexes,
				this.coverage, false);
	}

	/**
	 * The whole session as one delta, to repair another copy: its latest access counts as
	 * replicated from now on, since the delta carries it.
	 * @param sessionId the session id
	 * @return the delta
	 */
	synchronized SessionDelta toRepairDelta(String sessionId) {
		if (!this.replicatedAccessTime.equals(this.lastAccessedTime)) {
			this.replicatedAccessTime = this.lastAccessedTime;
			this.digest = 0;
		}
		return toDelta(sessionId);
	}

	/**
	 * A digest of what every copy of the session holds once every change has reached it:
	 * the creation time, the stamps of the timeout, of every attribute and of the index
	 * values, and the latest access replicated. Two copies with the same digest hold the
	 * same changes, but for a chance of one in 2^64; an access not replicated yet does
	 * not count. Computed once after each change, so cheap to ask again.
	 * @return the digest, never 0
	 */
	long digest() {
		long digest = this.digest;
		return (digest != 0) ? digest : computeDigest();
	}

	private synchronized long computeDigest() {
		if (this.digest == 0) {
			long attributes = 0;
			for (AttributeChange change : this.attributes.values()) {
				attributes += Hash64.mix(Hash64.of(change.name()) + stampHash(change.stamp()));
			}
			long digest = Hash64.mix(this.creationTime.toEpochMilli());
			digest = Hash64.mix(digest + this.maxInactiveInterval.toMillis());
			digest = Hash64.mix(digest + stampHash(this.maxInactiveStamp));
			digest = Hash64.mix(digest + this.replicatedAccessTime.toEpochMilli());
			digest = Hash64.mix(digest + stampHash(this.indexes.stamp()));
			digest = Hash64.mix(digest + attributes);
			this.digest = (digest != 0) ? digest : 1;
		}
		return this.digest;
	}

	private static long stampHash(ChangeStamp stamp) {
		return Hash64.mix(stamp.version() + Hash64.of(stamp.origin()));
	}

	/**
	 * The index values of the session.
	 * @return the values by index name
	 */
	synchronized Map<String, String> indexes() {
		return this.indexes.values();
	}

	/**
	 * How much of the session this copy holds: only changes until it was created here or
	 * merged a whole copy; a whole copy is current unless it was distrusted since.
	 * @return the coverage
	 */
	synchronized Coverage coverage() {
		return this.coverage;
	}

	/**
	 * Stop counting this copy as current: it may have missed changes, until a current
	 * whole copy merges into it.
	 */
	synchronized void distrust() {
		this.coverage = this.coverage.min(Coverage.STALE_COPY);
	}

	/**
	 * Whether this copy has not changed since {@code instant}.
	 * @param instant the instant, on this member's clock
	 * @return whether the last change is before it
	 */
	synchronized boolean isUnchangedSince(Instant instant) {
		return this.touched < instant.toEpochMilli();
	}

	/**
	 * The latest access this copy knows, as a change that carries no attribute: what the
	 * member of that access tells a member that asks whether the session is still live.
	 * @param sessionId the session id
	 * @return the change
	 */
	synchronized SessionDelta toAccess(String sessionId) {
		return new SessionDelta(sessionId, null, this.creationTime, this.maxInactiveInterval, this.maxInactiveStamp,
				this.lastAccessedTime, this.lastAccessedBy, List.of());
	}

	public synchronized SessionSnapshot snapshot(String member) {
		Map<String, AttributeValue> values = new LinkedHashMap<>();
		this.attributes.forEach((name, change) -> {
			if (change.value() != null) {
				values.put(name, change.value());
			}
		});
		return new SessionSnapshot(this.creationTime, this.lastAccessedTime, this.maxInactiveInterval, expiresAt(),
				member.equals(this.lastAccessedBy), values, this.indexes.values());
	}

	/**
	 * When the session expires on the copy that expires it last: its timeout after its
	 * last access, and the quarter of the timeout by which a copy may lag the last
	 * access.
	 * @return the instant, {@link Instant#MAX} for a session that never expires
	 */
	synchronized Instant latestExpiry() {
		if (this.maxInactiveInterval.isNegative()) {
			return Instant.MAX;
		}
		return this.lastAccessedTime.plus(this.maxInactiveInterval)
			.plus(accessReplicationInterval(this.maxInactiveInterval));
	}

	/**
	 * Whether the session has expired by the latest access this copy knows: that access
	 * plus the timeout is not after {@code now}.
	 * @param now the current time on this member's clock
	 * @return whether it has
	 */
	synchronized boolean isExpired(Instant now) {
		return !now.isBefore(expiresAt());
	}

	/**
	 * Whether the session has expired by the latest access this copy knows for longer
	 * than {@link #accessReplicationInterval(Duration)}: the member of the latest access,
	 * which may know an access up to that interval later, has then expired it too, unless
	 * its clock is behind this member's.
	 * @param now the current time on this member's clock
	 * @return whether it is
	 */
	synchronized boolean isOverdue(Instant now) {
		return !now.isBefore(latestExpiry());
	}

	synchronized boolean isLastAccessedBy(String member) {
		return member.equals(this.lastAccessedBy);
	}

	public synchronized String lastAccessedBy() {
		return this.lastAccessedBy;
	}

	private Instant expiresAt() {
		return this.maxInactiveInterval.isNegative() ? Instant.MAX
				: this.lastAccessedTime.plus(this.maxInactiveInterval);
	}

	private boolean isLater(Instant accessTime, String accessedBy) {
		int order = accessTime.compareTo(this.lastAccessedTime);
		return order > 0 || (order == 0 && accessedBy.compareTo(this.lastAccessedBy) > 0);
	}

}
