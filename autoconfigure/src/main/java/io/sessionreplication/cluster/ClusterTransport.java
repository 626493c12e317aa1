package io.sessionreplication.cluster;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The group communication under the replication engine: membership, reliable ordered
 * delivery of payloads to every other member or to some of them, requests that expect a
 * reply, and the transfer of state to a joining member. The engine sees members by name
 * only; the library behind it (JGroups) stays out of this package.
 */
public interface ClusterTransport {

	/**
	 * The name of this member, unique in the cluster. Known before {@link #join}.
	 * @return the member name
	 */
	String localMember();

	/**
	 * The name of the cluster this member joins: members with the same name form one
	 * cluster.
	 * @return the cluster name
	 */
	String clusterName();

	/**
	 * Whether this member is connected to the cluster: it has joined and not left.
	 * @return whether it is
	 */
	boolean isConnected();

	/**
	 * Join the cluster and, unless this member is the first, receive the state of an
	 * existing member through {@link ClusterReceiver#readState}. Returns when the state
	 * has arrived or the timeout has passed.
	 * @param receiver what receives payloads, views and state from now on
	 * @param stateTransferTimeout how long to wait for the state
	 * @return how the join went
	 * @throws ClusterJoinException if this member could not join
	 */
	JoinResult join(ClusterReceiver receiver, Duration stateTransferTimeout);

	/**
	 * Send a payload to every other member and return at once.
	 * @param payload the payload
	 */
	void send(byte[] payload);

	/**
	 * Send a payload to every other member and wait until each has processed it, or the
	 * timeout has passed.
	 * @param payload the payload
	 * @param timeout how long to wait for the acknowledgements
	 * @return the members that did not acknowledge in time, and the replies of the others
	 */
	Acknowledgements sendAndAwait(byte[] payload, Duration timeout);

	/**
	 * Send a payload to some members and return at once. Members that are not in the
	 * current view are skipped.
	 * @param payload the payload
	 * @param members the members to send to, not this one
	 */
	void send(byte[] payload, Collection<String> members);

	/**
	 * Send a payload to some members and wait until each has processed it, or the timeout
	 * has passed. Members that are not in the current view are skipped.
	 * @param payload the payload
	 * @param members the members to send to, not this one
	 * @param timeout how long to wait for the acknowledgements
	 * @return the members that did not acknowledge in time, and the replies of the others
	 */
	Acknowledgements sendAndAwait(byte[] payload, Collection<String> members, Duration timeout);

	/**
	 * Send a request to some members and collect the replies of their
	 * {@link ClusterReceiver#receive}, waiting at most the timeout.
	 * @param payload the request
	 * @param members the members to ask, not this one
	 * @param timeout how long to wait for the replies
	 * @return the non-empty replies that arrived in time, by member
	 */
	Map<String, byte[]> request(byte[] payload, Collection<String> members, Duration timeout);

	/**
	 * The members of the current view, this one included, in the order every member
	 * agrees on.
	 * @return the member names
	 */
	List<String> members();

	/**
	 * The wire formats that the members of the current view announce, by member name, so
	 * that the engine sends in a format every member speaks. A member that announces none
	 * (a release from before the announcements) is absent.
	 * @return the formats, the same instance for as long as the view lasts
	 */
	Map<String, WireFormats> announcedFormats();

	/**
	 * The id of the current view: members that installed the same view have the same id,
	 * and members whose views have the same members but different ids do not agree yet.
	 * @return the view id
	 */
	String viewId();

	/**
	 * Leave the cluster. Further sends are ignored.
	 */
	void leave();

	/**
	 * How a {@link #join} went.
	 *
	 * @param stateSource the member the state came from, or {@code null} if this member
	 * is the first
	 * @param complete whether all of the state arrived within the timeout
	 */
	record JoinResult(@org.jspecify.annotations.Nullable String stateSource, boolean complete) {

	}

}
