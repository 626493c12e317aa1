package io.sessionreplication.session;

/**
 * What a synchronous save or invalidation does when not every member it went to applied
 * it: a member did not answer within the acknowledgement timeout, was suspected or left,
 * or rejected the change. A member that holds the session as removed is no such case: the
 * removal wins there, and the change is moot.
 */
public enum MissingCopyPolicy {

	/**
	 * The request goes on; the outcome is logged and counted. A member that was only slow
	 * applies the change when the payload reaches it.
	 */
	REPAIR,

	/**
	 * The save or invalidation throws a {@link SessionReplicationException} that names
	 * the members that did not apply the change. The change stands on this member and on
	 * the members that applied it: it is not undone.
	 */
	FAIL

}
