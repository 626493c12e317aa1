package io.sessionreplication.replication;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import io.sessionreplication.cluster.ClusterReceiver;
import io.sessionreplication.cluster.ClusterTransport;
import io.sessionreplication.wire.ClusterMessage;
import io.sessionreplication.wire.CopyReport;
import io.sessionreplication.wire.SessionRemoval;
import io.sessionreplication.wire.SessionRole;
import org.jspecify.annotations.Nullable;

/**
 * Sends the changes of this member's sessions to the members that hold copies, and
 * applies the changes that arrive from them. One implementation per
 * {@link ReplicationMode}.
 */
public interface SessionReplicator extends ClusterReceiver {

	/**
	 * Send a message to the copies of its session, in this replicator's
	 * {@link DeliveryMode}.
	 * @param message the message
	 * @return what became of it, member by member, in {@link DeliveryMode#SYNC};
	 * {@link DeliveryOutcome#NONE} in {@link DeliveryMode#ASYNC}
	 */
	DeliveryOutcome replicate(ClusterMessage message);

	/**
	 * Send everything still queued, and hand over what only this member holds. Called
	 * before this member leaves.
	 */
	void flush();

	/**
	 * The version of the wire format this member sends in now: the newest that every
	 * member of the view speaks.
	 * @return the format version
	 */
	int wireFormat();

	/**
	 * Start repairing, in the background, the copies of sessions that differ between the
	 * members that hold them: compare them every {@code interval}. Called once, after
	 * this member joined. Does nothing where copies are not repaired.
	 * @param interval the time between two rounds; zero for no rounds, only
	 * {@link #repairSoon}
	 */
	default void startRepair(Duration interval) {
	}

	/**
	 * Compare this member's copies of some sessions with another member's, and repair
	 * both, soon and in the background: for a member that may have missed their changes,
	 * such as one that did not acknowledge them. Returns at once. Does nothing where
	 * copies are not repaired.
	 * @param sessionIds the session ids
	 * @param member the other member
	 */
	default void repairSoon(Collection<String> sessionIds, String member) {
	}

	/**
	 * Count the sessions this member holds, by the role it holds them in, in the current
	 * view. It goes through every session: meant for a health check or a metrics scrape,
	 * not for every request.
	 * @return the counts
	 */
	SessionCounts countSessions();

	/**
	 * This member's role for one session in the current view.
	 * @param sessionId the session id
	 * @return its role among the session's owners, {@link SessionRole#SPARE} if it holds
	 * a copy without owning the session, {@code null} if neither
	 */
	@Nullable SessionRole roleOf(String sessionId);

	/**
	 * What this member holds of one session.
	 * @param sessionId the session id
	 * @return the report on this member's copy
	 */
	CopyReport reportCopy(String sessionId);

	/**
	 * What every member of the current view holds of one session: this member's copy and,
	 * asked over the cluster, the others' (waiting at most the acknowledgement timeout; a
	 * member that does not answer in time is absent).
	 * @param sessionId the session id
	 * @return the reports by member, this member's first
	 */
	Map<String, CopyReport> reportCopies(String sessionId);

	/**
	 * The ids of the sessions with an index value, wherever they live in the cluster,
	 * found in the index of each member that may hold them. Some may have ended or
	 * changed their value meanwhile: the caller reads each to be sure.
	 * @param indexName the index name
	 * @param indexValue the index value
	 * @return the session ids
	 */
	Set<String> findSessionIds(String indexName, String indexValue);

	/**
	 * Whether this member publishes the event of a session's creation or end, where one
	 * member in the cluster publishes it.
	 * @param sessionId the session id
	 * @param here whether the creation or end is this member's doing (a request here, or
	 * the expiry of a session last accessed here) rather than news from another member
	 * @param ended why the session ended, or {@code null} for its creation
	 * @param lastAccessedBy the member of the session's latest known access
	 * @return whether this member publishes it
	 */
	boolean publishesEventOf(String sessionId, boolean here, SessionRemoval.@Nullable Reason ended,
			String lastAccessedBy);

	/**
	 * Whether a member is in this member's current view.
	 * @param member the member name
	 * @return whether it is
	 */
	boolean isMember(String member);

	/**
	 * Ask the member of each session's latest access, where that is another member of the
	 * view, whether the session is still live there, by that member's clock, and apply
	 * its answer to this member's copy: its latest access, or the session's expiry. One
	 * request to each member asked, waiting at most the acknowledgement timeout; a member
	 * that does not answer in time confirms nothing.
	 * @param sessionIds the sessions, held by this member
	 * @return the sessions that the member of their latest access said are live
	 */
	Set<String> confirmLive(Collection<String> sessionIds);

	/**
	 * Whether this member is handing sessions to their new owners after a view change.
	 * Always false where every member holds every session.
	 * @return whether it is
	 */
	default boolean isRebalancing() {
		return false;
	}

	/**
	 * Bring this member's copy of a session up to date before a request reads it, if this
	 * member may not hold its latest state. Does nothing where every member holds every
	 * session.
	 * @param sessionId the session id
	 */
	default void refresh(String sessionId) {
	}

	/**
	 * Choose the id of a new session.
	 * @param generator generates candidate ids
	 * @return the id
	 */
	default String newSessionId(Supplier<String> generator) {
		return generator.get();
	}

	/**
	 * Wait, after {@link ClusterTransport#join}, until this member holds the sessions
	 * that the cluster gives it beyond the joined state.
	 * @param timeout how long to wait at most
	 * @return whether they all arrived in time
	 */
	default boolean awaitSessions(Duration timeout) {
		return true;
	}

	/**
	 * Whether this member is one of the owners of a session in the current view, the
	 * members that must hold its latest state. Every member where every member holds
	 * every session.
	 * @param sessionId the session id
	 * @return whether it is
	 */
	default boolean owns(String sessionId) {
		return true;
	}

	/**
	 * Drop the copies this member holds without owning them (any longer), if they have
	 * not changed since {@code unchangedSince}.
	 * @param unchangedSince how recent a change keeps a copy
	 */
	default void releaseCopiesNotOwned(Instant unchangedSince) {
	}

}
