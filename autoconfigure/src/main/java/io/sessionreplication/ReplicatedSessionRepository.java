package io.sessionreplication;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.session.MapSession;
import org.springframework.session.Session;
import org.springframework.session.SessionIdGenerator;
import org.springframework.session.SessionRepository;
import org.springframework.session.UuidSessionIdGenerator;
import org.springframework.util.Assert;

/**
 * A {@link SessionRepository} whose sessions are held in memory on this member and copied
 * to the other members of the cluster.
 * <p>
 * Each {@link ReplicatedSession} records what a request changed. {@link #save} applies
 * that delta to this member's copy and hands it to the {@link SessionReplicator}, which
 * sends only the changed attributes, already serialized, to the other copies. An id
 * change ({@link Session#changeSessionId()}) and an invalidation ({@link #deleteById})
 * are replicated at once, as part of the request that made them.
 * <p>
 * Attribute values must be {@link java.io.Serializable}:
 * {@link Session#setAttribute(String, Object)} throws {@link IllegalArgumentException}
 * otherwise, leaving the session unchanged. A value is serialized when it is set; a later
 * change of the object itself is replicated only when it is set again, as in a servlet
 * container's distributable sessions.
 * <p>
 * Where the copies live is the replicator's business: it chooses the ids of new sessions,
 * and brings a copy up to date before a request reads it
 * ({@link SessionReplicator#refresh}).
 * <p>
 * Sessions expire on every member, in {@link #cleanUpExpiredSessions()} and when they are
 * read; see {@link SessionEntry} for the rule that keeps a member from expiring a session
 * still used on another.
 */
public class ReplicatedSessionRepository implements SessionRepository<ReplicatedSessionRepository.ReplicatedSession> {

	private final SessionStore store;

	private final SessionReplicator replicator;

	private final AttributeSerializer serializer;

	private final ReplicationStatistics statistics;

	private Duration defaultMaxInactiveInterval = MapSession.DEFAULT_MAX_INACTIVE_INTERVAL;

	private SessionIdGenerator sessionIdGenerator = UuidSessionIdGenerator.getInstance();

	/**
	 * Create a repository.
	 * @param store the sessions of this member
	 * @param replicator what sends changes to the other copies
	 * @param serializer how attribute values become bytes
	 * @param statistics counts the sessions created, invalidated and expired here, and
	 * hears the sizes of attributes and sessions
	 */
	public ReplicatedSessionRepository(SessionStore store, SessionReplicator replicator, AttributeSerializer serializer,
			ReplicationStatistics statistics) {
		Assert.notNull(store, "'store' must not be null");
		Assert.notNull(replicator, "'replicator' must not be null");
		Assert.notNull(serializer, "'serializer' must not be null");
		Assert.notNull(statistics, "'statistics' must not be null");
		this.store = store;
		this.replicator = replicator;
		this.serializer = serializer;
		this.statistics = statistics;
	}

	/**
	 * Set the timeout of new sessions. Default is
	 * {@link MapSession#DEFAULT_MAX_INACTIVE_INTERVAL}.
	 * @param defaultMaxInactiveInterval the timeout; negative for sessions that never
	 * expire
	 */
	public void setDefaultMaxInactiveInterval(Duration defaultMaxInactiveInterval) {
		Assert.notNull(defaultMaxInactiveInterval, "'defaultMaxInactiveInterval' must not be null");
		this.defaultMaxInactiveInterval = defaultMaxInactiveInterval;
	}

	/**
	 * Set the generator of session ids. Default is {@link UuidSessionIdGenerator}.
	 * @param sessionIdGenerator the generator
	 */
	public void setSessionIdGenerator(SessionIdGenerator sessionIdGenerator) {
		Assert.notNull(sessionIdGenerator, "'sessionIdGenerator' must not be null");
		this.sessionIdGenerator = sessionIdGenerator;
	}

	@Override
	public ReplicatedSession createSession() {
		// the wire carries milliseconds: every copy sees the same creation time
		Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
		return new ReplicatedSession(newSessionId(), true, new SessionSnapshot(now, now,
				this.defaultMaxInactiveInterval, Instant.MAX, true, new LinkedHashMap<>()));
	}

	@Override
	public void save(ReplicatedSession session) {
		LocalChange change = session.toChange();
		SessionDelta delta = this.store.commit(change);
		if (delta != null) {
			this.replicator.replicate(delta);
			if (change.isNew()) {
				this.statistics.sessionCreated();
			}
			this.statistics.sessionSaved(session.serializedSize());
		}
		session.changesSaved();
	}

	private String newSessionId() {
		return this.replicator.newSessionId(this.sessionIdGenerator::generate);
	}

	@Override
	public @Nullable ReplicatedSession findById(String id) {
		this.replicator.refresh(id);
		SessionSnapshot snapshot = this.store.find(id);
		if (snapshot == null) {
			return null;
		}
		if (snapshot.isExpired(Instant.now())) {
			if (this.store.remove(id) && snapshot.lastAccessedHere()) {
				this.replicator.replicate(new SessionRemoval(id, SessionRemoval.Reason.EXPIRED));
				this.statistics.sessionExpired();
			}
			return null;
		}
		return new ReplicatedSession(id, false, snapshot);
	}

	@Override
	public void deleteById(String id) {
		if (this.store.remove(id)) {
			this.statistics.sessionInvalidated();
		}
		this.replicator.replicate(new SessionRemoval(id, SessionRemoval.Reason.INVALIDATED));
	}

	/**
	 * Remove the sessions that have expired on this member, and tell the other copies
	 * about those whose last access happened here.
	 */
	public void cleanUpExpiredSessions() {
		for (SessionRemoval expired : this.store.removeExpired(Instant.now())) {
			this.replicator.replicate(expired);
			this.statistics.sessionExpired();
		}
	}

	/**
	 * A session of a {@link ReplicatedSessionRepository}: the state read for one request
	 * plus what the request changed. Not thread-safe, like the request that uses it.
	 */
	public final class ReplicatedSession implements Session {

		private String id;

		private String originalId;

		private boolean isNew;

		private final Instant creationTime;

		private Instant lastAccessedTime;

		private Duration maxInactiveInterval;

		private boolean maxInactiveIntervalChanged;

		private final Map<String, AttributeValue> attributes;

		private final Map<String, @Nullable AttributeValue> changedAttributes = new HashMap<>();

		ReplicatedSession(String id, boolean isNew, SessionSnapshot snapshot) {
			this.id = id;
			this.originalId = id;
			this.isNew = isNew;
			this.creationTime = snapshot.creationTime();
			this.lastAccessedTime = snapshot.lastAccessedTime();
			this.maxInactiveInterval = snapshot.maxInactiveInterval();
			this.attributes = snapshot.attributes();
		}

		@Override
		public String getId() {
			return this.id;
		}

		@Override
		public String changeSessionId() {
			this.id = newSessionId();
			return this.id;
		}

		@Override
		@SuppressWarnings("unchecked")
		public <T> @Nullable T getAttribute(String attributeName) {
			AttributeValue value = this.attributes.get(attributeName);
			return (value != null) ? (T) value.get(attributeName, ReplicatedSessionRepository.this.serializer) : null;
		}

		@Override
		public Set<String> getAttributeNames() {
			return Set.copyOf(this.attributes.keySet());
		}

		@Override
		public void setAttribute(String attributeName, @Nullable Object attributeValue) {
			if (attributeValue == null) {
				removeAttribute(attributeName);
				return;
			}
			AttributeValue value = ReplicatedSessionRepository.this.serializer.serialize(attributeName, attributeValue);
			ReplicatedSessionRepository.this.statistics.attributeSerialized(value.bytes().length);
			this.attributes.put(attributeName, value);
			this.changedAttributes.put(attributeName, value);
		}

		@Override
		public void removeAttribute(String attributeName) {
			if (this.attributes.remove(attributeName) != null) {
				this.changedAttributes.put(attributeName, null);
			}
		}

		@Override
		public Instant getCreationTime() {
			return this.creationTime;
		}

		@Override
		public void setLastAccessedTime(Instant lastAccessedTime) {
			this.lastAccessedTime = lastAccessedTime;
		}

		@Override
		public Instant getLastAccessedTime() {
			return this.lastAccessedTime;
		}

		@Override
		public void setMaxInactiveInterval(Duration interval) {
			Assert.notNull(interval, "'interval' must not be null");
			this.maxInactiveIntervalChanged |= !interval.equals(this.maxInactiveInterval);
			this.maxInactiveInterval = interval;
		}

		@Override
		public Duration getMaxInactiveInterval() {
			return this.maxInactiveInterval;
		}

		@Override
		public boolean isExpired() {
			return !this.maxInactiveInterval.isNegative()
					&& !Instant.now().isBefore(this.lastAccessedTime.plus(this.maxInactiveInterval));
		}

		LocalChange toChange() {
			String previousId = (this.isNew || this.id.equals(this.originalId)) ? null : this.originalId;
			Duration maxInactiveInterval = (this.isNew || this.maxInactiveIntervalChanged) ? this.maxInactiveInterval
					: null;
			// the wire carries milliseconds: every copy sees the same access time
			return new LocalChange(this.id, previousId, this.isNew, this.creationTime,
					this.lastAccessedTime.truncatedTo(ChronoUnit.MILLIS), maxInactiveInterval,
					new HashMap<>(this.changedAttributes));
		}

		int serializedSize() {
			int bytes = 0;
			for (AttributeValue value : this.attributes.values()) {
				bytes += value.bytes().length;
			}
			return bytes;
		}

		void changesSaved() {
			this.isNew = false;
			this.originalId = this.id;
			this.maxInactiveIntervalChanged = false;
			this.changedAttributes.clear();
		}

	}

}
