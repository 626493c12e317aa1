package io.sessionreplication.session;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.sessionreplication.replication.DeliveryOutcome;
import io.sessionreplication.replication.ReplicationStatistics;
import io.sessionreplication.replication.SessionReplicator;
import io.sessionreplication.store.LocalChange;
import io.sessionreplication.store.SessionEntry;
import io.sessionreplication.store.SessionLifecycleListener;
import io.sessionreplication.store.SessionSnapshot;
import io.sessionreplication.store.SessionStore;
import io.sessionreplication.wire.AttributeSerializer;
import io.sessionreplication.wire.AttributeValue;
import io.sessionreplication.wire.MessageLimits;
import io.sessionreplication.wire.SessionDelta;
import io.sessionreplication.wire.SessionIdFingerprint;
import io.sessionreplication.wire.SessionRemoval;
import io.sessionreplication.wire.UnreadableAttributeException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.session.DelegatingIndexResolver;
import org.springframework.session.FindByIndexNameSessionRepository;
import org.springframework.session.FlushMode;
import org.springframework.session.IndexResolver;
import org.springframework.session.MapSession;
import org.springframework.session.PrincipalNameIndexResolver;
import org.springframework.session.SaveMode;
import org.springframework.session.Session;
import org.springframework.session.SessionIdGenerator;
import org.springframework.session.SessionRepository;
import org.springframework.session.UuidSessionIdGenerator;
import org.springframework.session.events.AbstractSessionEvent;
import org.springframework.session.events.SessionCreatedEvent;
import org.springframework.session.events.SessionDeletedEvent;
import org.springframework.session.events.SessionExpiredEvent;
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
 * container's distributable sessions. A value that cannot be deserialized where it is
 * read (its class missing or changed there) is removed from the session, or fails the
 * read: see {@link #setUnreadableAttributePolicy}.
 * <p>
 * Where the copies live is the replicator's business: it chooses the ids of new sessions,
 * and brings a copy up to date before a request reads it
 * ({@link SessionReplicator#refresh}).
 * <p>
 * <b>Expiry.</b> No member serves a session, nor lists it by index, past its latest
 * access plus its timeout. Accesses travel cheaply (see {@link SessionEntry}): a member
 * other than that of the latest access may know one up to a quarter of the timeout older.
 * So it serves its copy without asking while its own clock is before the access it knows
 * plus the timeout; from then on, it first asks the member of the latest access, which
 * decides by its own clock ({@link SessionReplicator#confirmLive}). The member of the
 * latest access expires the session, when it is read or in
 * {@link #cleanUpExpiredSessions()}, and tells the other copies.
 * <p>
 * <b>Indexes.</b> When a request changed attributes, the session's index values (by
 * default the principal name, see {@link PrincipalNameIndexResolver}) are resolved on
 * this member and travel with the session, so that {@link #findByIndexNameAndIndexValue}
 * finds sessions in an index of each member, never by going through them all or
 * deserializing their attributes.
 * <p>
 * <b>Events.</b> {@link SessionCreatedEvent}, {@link SessionDeletedEvent} and
 * {@link SessionExpiredEvent} are published once in the cluster for each session, on the
 * member the replicator names ({@link SessionReplicator#publishesEventOf}), or on every
 * member that holds a copy if so set ({@link #setPublishEventsOnEveryMember}). An event
 * of this member's doing is published on the thread that did it (the request, or the
 * expiry clean-up); one that arrived from another member is published on a thread of its
 * own, in the order the events arrived, so that a slow listener never holds up
 * replication. A listener that throws is logged: the change that caused the event is made
 * and replicated all the same.
 */
public class ReplicatedSessionRepository
		implements FindByIndexNameSessionRepository<ReplicatedSessionRepository.ReplicatedSession> {

	/**
	 * The default largest serialized attribute value: 1 MB, room for what sessions are
	 * for (a user's security context, a cart), yet small enough to stop a value that does
	 * not belong there (a file, a result set) from being copied to every member.
	 */
	public static final long DEFAULT_MAX_ATTRIBUTE_SIZE = MessageLimits.DEFAULT_MAX_ATTRIBUTE_SIZE;

	/**
	 * The default largest session, its serialized attribute values added up: 4 MB.
	 */
	public static final long DEFAULT_MAX_SESSION_SIZE = MessageLimits.DEFAULT_MAX_SESSION_SIZE;

	private static final Log logger = LogFactory.getLog(ReplicatedSessionRepository.class);

	private final SessionStore store;

	private final SessionReplicator replicator;

	private final AttributeSerializer serializer;

	private final ReplicationStatistics statistics;

	private Duration defaultMaxInactiveInterval = MapSession.DEFAULT_MAX_INACTIVE_INTERVAL;

	private SessionIdGenerator sessionIdGenerator = UuidSessionIdGenerator.getInstance();

	private IndexResolver<Session> indexResolver = new DelegatingIndexResolver<>(new PrincipalNameIndexResolver<>());

	private ApplicationEventPublisher eventPublisher = (event) -> {
	};

	private boolean publishEventsOnEveryMember;

	private UnreadableAttributePolicy unreadableAttributePolicy = UnreadableAttributePolicy.REMOVE;

	private long maxAttributeSize = DEFAULT_MAX_ATTRIBUTE_SIZE;

	private long maxSessionSize = DEFAULT_MAX_SESSION_SIZE;

	private int maxSessions = Integer.MAX_VALUE;

	private MissingCopyPolicy missingCopyPolicy = MissingCopyPolicy.REPAIR;

	private SaveMode saveMode = SaveMode.ON_SET_ATTRIBUTE;

	private FlushMode flushMode = FlushMode.ON_SAVE;

	private ImmutableTypes immutableTypes = ImmutableTypes.of(List.of());

	private final UnreadableAttributeWarnings unreadableAttributeWarnings = new UnreadableAttributeWarnings();

	/** Publishes the events that changes from other members cause. */
	private ReceivedEventQueue receivedEvents;

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
		this.receivedEvents = new ReceivedEventQueue(ReceivedEventQueue.DEFAULT_CAPACITY, statistics);
		store.setLifecycleListener(new EventPublishing());
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

	/**
	 * Set how the index values of a session are resolved from its attributes. Default
	 * resolves the principal name
	 * ({@link FindByIndexNameSessionRepository#PRINCIPAL_NAME_INDEX_NAME}).
	 * @param indexResolver the index resolver
	 */
	public void setIndexResolver(IndexResolver<Session> indexResolver) {
		Assert.notNull(indexResolver, "'indexResolver' must not be null");
		this.indexResolver = indexResolver;
	}

	/**
	 * Set what publishes the session events. Default publishes nothing.
	 * @param eventPublisher the event publisher, usually the application context
	 */
	public void setApplicationEventPublisher(ApplicationEventPublisher eventPublisher) {
		Assert.notNull(eventPublisher, "'eventPublisher' must not be null");
		this.eventPublisher = eventPublisher;
	}

	/**
	 * Set whether every member that holds a copy of a session publishes its events,
	 * instead of one member in the cluster. Default is {@code false}.
	 * @param publishEventsOnEveryMember whether every member publishes them
	 */
	public void setPublishEventsOnEveryMember(boolean publishEventsOnEveryMember) {
		this.publishEventsOnEveryMember = publishEventsOnEveryMember;
	}

	/**
	 * Set how large the serialized form of one attribute value may be. Default is
	 * {@link #DEFAULT_MAX_ATTRIBUTE_SIZE}.
	 * @param maxAttributeSize the largest size, in bytes
	 */
	public void setMaxAttributeSize(long maxAttributeSize) {
		Assert.isTrue(maxAttributeSize > 0, "'maxAttributeSize' must be positive");
		this.maxAttributeSize = maxAttributeSize;
	}

	/**
	 * Set how large the serialized forms of all of a session's attribute values may be,
	 * added up. Default is {@link #DEFAULT_MAX_SESSION_SIZE}.
	 * @param maxSessionSize the largest size, in bytes
	 */
	public void setMaxSessionSize(long maxSessionSize) {
		Assert.isTrue(maxSessionSize > 0, "'maxSessionSize' must be positive");
		this.maxSessionSize = maxSessionSize;
	}

	/**
	 * Set what a synchronous save or invalidation does when not every member it went to
	 * applied it. Default is {@link MissingCopyPolicy#REPAIR}.
	 * @param missingCopyPolicy the policy
	 */
	public void setMissingCopyPolicy(MissingCopyPolicy missingCopyPolicy) {
		Assert.notNull(missingCopyPolicy, "'missingCopyPolicy' must not be null");
		this.missingCopyPolicy = missingCopyPolicy;
	}

	/**
	 * Set how many session events that changes from other members cause may wait for
	 * their listeners; beyond, an event is dropped and counted. Default is 10,000. Set it
	 * before the member joins.
	 * @param capacity the largest number of events waiting
	 */
	public void setEventQueueCapacity(int capacity) {
		Assert.isTrue(capacity > 0, "'capacity' must be positive");
		this.receivedEvents = new ReceivedEventQueue(capacity, this.statistics);
	}

	/**
	 * Set how many sessions this member may hold (its own and the copies it holds for
	 * other members) before {@link #createSession()} refuses a new one with a
	 * {@link SessionLimitExceededException}. Sessions that arrive from other members are
	 * still taken: refusing them would lose copies. Default is no limit.
	 * @param maxSessions the largest number of sessions
	 */
	public void setMaxSessions(int maxSessions) {
		Assert.isTrue(maxSessions > 0, "'maxSessions' must be positive");
		this.maxSessions = maxSessions;
	}

	/**
	 * Set what reading an attribute does when its value cannot be deserialized on this
	 * member. Default is {@link UnreadableAttributePolicy#REMOVE}.
	 * @param unreadableAttributePolicy the policy
	 */
	public void setUnreadableAttributePolicy(UnreadableAttributePolicy unreadableAttributePolicy) {
		Assert.notNull(unreadableAttributePolicy, "'unreadableAttributePolicy' must not be null");
		this.unreadableAttributePolicy = unreadableAttributePolicy;
	}

	/**
	 * Set which attributes a save serializes again, to catch values changed in place:
	 * with {@link SaveMode#ON_SET_ATTRIBUTE} (the default) none, so a value is replicated
	 * as it was at setAttribute; with {@link SaveMode#ON_GET_ATTRIBUTE} those read or set
	 * in the request, but for those of an {@link #setImmutableTypes immutable type}; with
	 * {@link SaveMode#ALWAYS} every one whose value this member holds as an object. Each
	 * is sent only if its serialized form changed: the other copies hold the same bytes
	 * otherwise.
	 * @param saveMode the save mode
	 */
	public void setSaveMode(SaveMode saveMode) {
		this.saveMode = saveMode;
	}

	/**
	 * Set when changes are saved: with {@link FlushMode#ON_SAVE} (the default) when the
	 * application or Spring Session's filter saves the session; with
	 * {@link FlushMode#IMMEDIATE} also at once, at each change of an attribute, of the
	 * timeout or of the last access, and at the creation of a session. In
	 * {@link io.sessionreplication.replication.DeliveryMode#SYNC sync} delivery each of
	 * those saves waits for the other copies.
	 * @param flushMode the flush mode
	 */
	public void setFlushMode(FlushMode flushMode) {
		this.flushMode = flushMode;
	}

	/**
	 * When changes are saved: see {@link #setFlushMode}.
	 * @return the flush mode
	 */
	public FlushMode getFlushMode() {
		return this.flushMode;
	}

	/**
	 * Set the types that {@link SaveMode#ON_GET_ATTRIBUTE} trusts never to change in
	 * place. Default is the known immutable types of the JDK alone.
	 * @param immutableTypes the types
	 */
	public void setImmutableTypes(ImmutableTypes immutableTypes) {
		this.immutableTypes = immutableTypes;
	}

	@Override
	public ReplicatedSession createSession() {
		if (this.store.size() >= this.maxSessions) {
			throw new SessionLimitExceededException(this.maxSessions);
		}
		// the wire carries milliseconds: every copy sees the same creation time
		Instant now = now().truncatedTo(ChronoUnit.MILLIS);
		ReplicatedSession session = new ReplicatedSession(newSessionId(), true, new SessionSnapshot(now, now,
				this.defaultMaxInactiveInterval, Instant.MAX, true, new LinkedHashMap<>(), Map.of()));
		session.flushIfImmediate();
		return session;
	}

	/**
	 * Save the changes of a session, and send them to the other copies.
	 * @throws IllegalArgumentException if an attribute changed in place (see
	 * {@link #setSaveMode}) can no longer be serialized, or no longer fits the size
	 * limits: the session is saved without that attribute's change
	 */
	@Override
	public void save(ReplicatedSession session) {
		IllegalArgumentException unsaved = session.takeChangesMadeInPlace();
		// the index values depend on the attributes alone
		Map<String, String> indexes = (session.isNew || !session.changedAttributes.isEmpty())
				? this.indexResolver.resolveIndexesFor(session) : null;
		LocalChange change = session.toChange(indexes);
		SessionDelta delta = this.store.commit(change);
		DeliveryOutcome outcome = DeliveryOutcome.NONE;
		if (delta != null) {
			outcome = this.replicator.replicate(delta);
			if (change.isNew()) {
				this.statistics.sessionCreated();
			}
			this.statistics.sessionSaved(session.serializedSize());
		}
		session.changesSaved(indexes);
		requireComplete(session.getId(), outcome);
		if (unsaved != null) {
			throw unsaved;
		}
	}

	/**
	 * Under {@link MissingCopyPolicy#FAIL}, fail a change that not every member applied;
	 * it stands where it was applied.
	 */
	private void requireComplete(String sessionId, DeliveryOutcome outcome) {
		if (this.missingCopyPolicy == MissingCopyPolicy.FAIL && !outcome.isComplete()) {
			throw new SessionReplicationException(sessionId, outcome);
		}
	}

	private String newSessionId() {
		return this.replicator.newSessionId(this.sessionIdGenerator::generate);
	}

	/**
	 * The session with this id, brought up to date first where this member may not hold
	 * its latest state; {@code null} if it does not exist or has expired. An empty id,
	 * which a client can send in a cookie and no session has, is not looked up.
	 */
	@Override
	public @Nullable ReplicatedSession findById(String id) {
		if (id.isEmpty()) {
			return null;
		}
		this.replicator.refresh(id);
		SessionSnapshot snapshot = live(id, null);
		return (snapshot != null) ? new ReplicatedSession(id, false, snapshot) : null;
	}

	/**
	 * The sessions with an index value, wherever they live in the cluster: the replicator
	 * finds their ids ({@link SessionReplicator#findSessionIds}) and asks the members of
	 * their latest accesses for those accesses ({@link SessionReplicator#confirmLive}),
	 * so that each shows its latest access; each is then read as {@link #findById} reads
	 * it, so that an expired session or one whose value changed meanwhile is left out.
	 */
	@Override
	public Map<String, ReplicatedSession> findByIndexNameAndIndexValue(String indexName, String indexValue) {
		Set<String> ids = this.replicator.findSessionIds(indexName, indexValue);
		ids.forEach(this.replicator::refresh);
		Set<String> confirmed = this.replicator.confirmLive(ids);
		Map<String, ReplicatedSession> found = new LinkedHashMap<>();
		for (String id : ids) {
			SessionSnapshot snapshot = live(id, confirmed);
			if (snapshot != null && indexValue.equals(snapshot.indexes().get(indexName))) {
				found.put(id, new ReplicatedSession(id, false, snapshot));
			}
		}
		return found;
	}

	/**
	 * This member's copy of a session, if it may be served: its timeout has not passed
	 * since the latest access this member knows, or the member of the latest access says
	 * the session is live, by its clock. This member expires a session last accessed here
	 * once it is past that time, and tells the other copies.
	 * @param id the session id
	 * @param confirmed the sessions whose members of the latest access were asked just
	 * now and said they are live, or {@code null} to ask if need be
	 * @return the copy, or {@code null}
	 */
	private @Nullable SessionSnapshot live(String id, @Nullable Set<String> confirmed) {
		SessionSnapshot snapshot = this.store.find(id);
		if (snapshot == null || !snapshot.isExpired(now())) {
			return snapshot;
		}
		if (snapshot.lastAccessedHere()) {
			if (this.store.remove(id, SessionRemoval.Reason.EXPIRED, true)) {
				this.replicator.replicate(new SessionRemoval(id, SessionRemoval.Reason.EXPIRED));
				this.statistics.sessionExpired();
			}
			return null;
		}
		// another member may know a later access
		Set<String> live = (confirmed != null) ? confirmed : this.replicator.confirmLive(Set.of(id));
		return live.contains(id) ? this.store.find(id) : null;
	}

	@Override
	public void deleteById(String id) {
		if (this.store.remove(id, SessionRemoval.Reason.INVALIDATED, true)) {
			this.statistics.sessionInvalidated();
		}
		requireComplete(id, this.replicator.replicate(new SessionRemoval(id, SessionRemoval.Reason.INVALIDATED)));
	}

	/**
	 * Remove the sessions that have expired on this member, and tell the other copies
	 * about those whose last access happened here. Ask the member of the latest access of
	 * a copy whose expiry is overdue, yet that member is still in the view
	 * ({@link SessionStore#removeExpired}).
	 */
	public void cleanUpExpiredSessions() {
		SessionStore.Sweep sweep = this.store.removeExpired(now(), this.replicator::isMember);
		for (SessionRemoval expired : sweep.announced()) {
			this.replicator.replicate(expired);
			this.statistics.sessionExpired();
		}
		this.replicator.confirmLive(sweep.unconfirmed());
	}

	private Instant now() {
		return this.store.clock().instant();
	}

	/**
	 * Publishes the events of the sessions that begin and end in this member's store, if
	 * this member is the one to publish them.
	 */
	private final class EventPublishing implements SessionLifecycleListener {

		@Override
		public void sessionCreated(String sessionId, SessionEntry session, boolean here) {
			if (publishes(sessionId, session, here, null)) {
				publish(new SessionCreatedEvent(ReplicatedSessionRepository.this, toSession(sessionId, session)), here);
			}
		}

		@Override
		public void sessionEnded(String sessionId, SessionEntry session, SessionRemoval.Reason reason, boolean here) {
			// a removal resent after a partition ended a session the other side published
			boolean resentToOnePublisher = reason == SessionRemoval.Reason.RESENT
					&& !ReplicatedSessionRepository.this.publishEventsOnEveryMember;
			if (!resentToOnePublisher && publishes(sessionId, session, here, reason)) {
				ReplicatedSession ended = toSession(sessionId, session);
				publish((reason == SessionRemoval.Reason.EXPIRED)
						? new SessionExpiredEvent(ReplicatedSessionRepository.this, ended)
						: new SessionDeletedEvent(ReplicatedSessionRepository.this, ended), here);
			}
		}

		private boolean publishes(String sessionId, SessionEntry session, boolean here,
				SessionRemoval.@Nullable Reason ended) {
			return ReplicatedSessionRepository.this.publishEventsOnEveryMember
					|| ReplicatedSessionRepository.this.replicator.publishesEventOf(sessionId, here, ended,
							session.lastAccessedBy());
		}

		private ReplicatedSession toSession(String sessionId, SessionEntry session) {
			return new ReplicatedSession(sessionId, false,
					session.snapshot(ReplicatedSessionRepository.this.store.localMember()));
		}

		private void publish(AbstractSessionEvent event, boolean here) {
			if (here) {
				publishOrLog(event);
			}
			else {
				ReplicatedSessionRepository.this.receivedEvents.publish(() -> publishOrLog(event),
						event.getClass().getSimpleName());
			}
		}

		/**
		 * A listener that fails, with an exception or an error (a listener that reads a
		 * hostile attribute can overflow the stack), must not keep the session's change
		 * from the others, nor end the expiry sweep that published the event.
		 */
		private void publishOrLog(AbstractSessionEvent event) {
			try {
				ReplicatedSessionRepository.this.eventPublisher.publishEvent(event);
			}
			catch (RuntimeException | Error ex) {
				logger.error("A listener of " + event.getClass().getSimpleName() + " failed for session "
						+ SessionIdFingerprint.of(event.getSessionId()) + "; the session's change stands", ex);
			}
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

		/** The attributes read since the last save, which may have changed in place. */
		private final Set<String> readAttributes = new HashSet<>();

		/** The index values, as read or as resolved when last saved. */
		private Map<String, String> indexes;

		ReplicatedSession(String id, boolean isNew, SessionSnapshot snapshot) {
			this.id = id;
			this.originalId = id;
			this.isNew = isNew;
			this.creationTime = snapshot.creationTime();
			this.lastAccessedTime = snapshot.lastAccessedTime();
			this.maxInactiveInterval = snapshot.maxInactiveInterval();
			this.attributes = snapshot.attributes();
			this.indexes = snapshot.indexes();
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

		/**
		 * The value of an attribute, deserialized on its first read on this member. One
		 * that cannot be deserialized here is handled as the repository's
		 * {@link UnreadableAttributePolicy} says.
		 */
		@Override
		@SuppressWarnings("unchecked")
		public <T> @Nullable T getAttribute(String attributeName) {
			AttributeValue value = this.attributes.get(attributeName);
			if (value == null) {
				return null;
			}
			try {
				T object = (T) value.get(attributeName, ReplicatedSessionRepository.this.serializer);
				// only on-get-attribute looks at what was read: no set to grow on every
				// read
				if (ReplicatedSessionRepository.this.saveMode == SaveMode.ON_GET_ATTRIBUTE) {
					this.readAttributes.add(attributeName);
				}
				return object;
			}
			catch (UnreadableAttributeException ex) {
				if (ReplicatedSessionRepository.this.unreadableAttributePolicy == UnreadableAttributePolicy.FAIL) {
					throw ex;
				}
				ReplicatedSessionRepository.this.unreadableAttributeWarnings.removed(ex);
				removeAttribute(attributeName);
				return null;
			}
		}

		@Override
		public Set<String> getAttributeNames() {
			return Set.copyOf(this.attributes.keySet());
		}

		/**
		 * Set an attribute, serializing its value now.
		 * @throws IllegalArgumentException if the value cannot be serialized, holds a
		 * class that attribute values may not hold, or is larger than the attribute or
		 * session size limit; the session is then unchanged
		 */
		@Override
		public void setAttribute(String attributeName, @Nullable Object attributeValue) {
			if (attributeValue == null) {
				removeAttribute(attributeName);
				return;
			}
			AttributeValue value = ReplicatedSessionRepository.this.serializer.serialize(attributeName, attributeValue);
			requireWithinLimits(attributeName, value);
			ReplicatedSessionRepository.this.statistics.attributeSerialized(value.bytes().length);
			this.attributes.put(attributeName, value);
			this.changedAttributes.put(attributeName, value);
			flushIfImmediate();
		}

		private void requireWithinLimits(String attributeName, AttributeValue value) {
			long size = value.bytes().length;
			long max = ReplicatedSessionRepository.this.maxAttributeSize;
			if (size > max) {
				throw new IllegalArgumentException("Session attribute '" + attributeName + "' is " + size
						+ " bytes serialized, more than session.replication.max-attribute-size (" + max + " bytes)");
			}
			AttributeValue previous = this.attributes.get(attributeName);
			long sessionSize = serializedSize() - ((previous != null) ? previous.bytes().length : 0) + size;
			long maxSession = ReplicatedSessionRepository.this.maxSessionSize;
			if (sessionSize > maxSession) {
				throw new IllegalArgumentException("Session attribute '" + attributeName + "' (" + size
						+ " bytes serialized) would make the session " + sessionSize
						+ " bytes, more than session.replication.max-session-size (" + maxSession + " bytes)");
			}
		}

		@Override
		public void removeAttribute(String attributeName) {
			if (this.attributes.remove(attributeName) != null) {
				this.changedAttributes.put(attributeName, null);
				flushIfImmediate();
			}
		}

		@Override
		public Instant getCreationTime() {
			return this.creationTime;
		}

		@Override
		public void setLastAccessedTime(Instant lastAccessedTime) {
			this.lastAccessedTime = lastAccessedTime;
			flushIfImmediate();
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
			flushIfImmediate();
		}

		@Override
		public Duration getMaxInactiveInterval() {
			return this.maxInactiveInterval;
		}

		@Override
		public boolean isExpired() {
			return !this.maxInactiveInterval.isNegative()
					&& !now().isBefore(this.lastAccessedTime.plus(this.maxInactiveInterval));
		}

		LocalChange toChange(@Nullable Map<String, String> indexes) {
			String previousId = (this.isNew || this.id.equals(this.originalId)) ? null : this.originalId;
			Duration maxInactiveInterval = (this.isNew || this.maxInactiveIntervalChanged) ? this.maxInactiveInterval
					: null;
			// the wire carries milliseconds: every copy sees the same access time
			return new LocalChange(this.id, previousId, this.isNew, this.creationTime,
					this.lastAccessedTime.truncatedTo(ChronoUnit.MILLIS), maxInactiveInterval,
					new HashMap<>(this.changedAttributes), indexes);
		}

		private void flushIfImmediate() {
			if (ReplicatedSessionRepository.this.flushMode == FlushMode.IMMEDIATE) {
				save(this);
			}
		}

		/**
		 * Serialize again, as the save mode asks, the values that may have changed in
		 * place, and count as set those whose serialized form changed.
		 * @return the failure to serialize one of them again, naming it, or {@code null}
		 */
		@Nullable IllegalArgumentException takeChangesMadeInPlace() {
			if (ReplicatedSessionRepository.this.saveMode == SaveMode.ON_SET_ATTRIBUTE) {
				return null;
			}
			IllegalArgumentException unsaved = null;
			for (Map.Entry<String, AttributeValue> attribute : List.copyOf(this.attributes.entrySet())) {
				String name = attribute.getKey();
				Object object = mayHaveChangedInPlace(name, attribute.getValue());
				if (object == null) {
					continue;
				}
				try {
					AttributeValue again = ReplicatedSessionRepository.this.serializer.serialize(name, object);
					ReplicatedSessionRepository.this.statistics.attributeSerialized(again.bytes().length);
					if (!Arrays.equals(again.bytes(), attribute.getValue().bytes())) {
						requireWithinLimits(name, again);
						this.attributes.put(name, again);
						this.changedAttributes.put(name, again);
					}
				}
				catch (IllegalArgumentException ex) {
					unsaved = (unsaved != null) ? unsaved
							: new IllegalArgumentException("Session attribute '" + name
									+ "' changed in place, and the session was saved without " + "that change: "
									+ ex.getMessage(), ex);
				}
			}
			return unsaved;
		}

		/**
		 * The value of an attribute if the save mode asks to serialize it again: one set
		 * in this request may have changed since it was serialized at setAttribute, one
		 * read may have changed since it was read.
		 */
		private @Nullable Object mayHaveChangedInPlace(String name, AttributeValue value) {
			Object object = value.knownObject();
			if (object == null) {
				return null;
			}
			if (ReplicatedSessionRepository.this.saveMode == SaveMode.ALWAYS) {
				return object;
			}
			boolean used = this.readAttributes.contains(name) || this.changedAttributes.containsKey(name);
			return (used && !ReplicatedSessionRepository.this.immutableTypes.isImmutable(object.getClass())) ? object
					: null;
		}

		int serializedSize() {
			int bytes = 0;
			for (AttributeValue value : this.attributes.values()) {
				bytes += value.bytes().length;
			}
			return bytes;
		}

		void changesSaved(@Nullable Map<String, String> indexes) {
			if (indexes != null) {
				this.indexes = indexes;
			}
			this.isNew = false;
			this.originalId = this.id;
			this.maxInactiveIntervalChanged = false;
			this.changedAttributes.clear();
			this.readAttributes.clear();
		}

	}

}
