package io.sessionreplication.session;

/**
 * What a synchronous save or invalidation does when not every member it went to applied
 * it: a member did not answer within the acknowledgement timeout, was suspected or left,
 * or rejected the change. A member that holds the session as removed is no such case: the
 * removal wins there, and the change is moot.
 */
public enum MissingCopyPolicy {

	/**
	 * The request goes on; the outcome is logged and counted, and the copies of the
	 * change's sessions on the members that did not apply it are repaired at once, in the
	 * background.
	 */
	REPAIR,

	/**
	 * The save or invalidation throws a {@link SessionReplicationException} that names
	 * the members that did not apply the change. The change stands on this member and on
	 * the members that applied it: it is not undone, and reaches the others by the same
	 * repair as with {@link #REPAIR}.
	 */
	FAIL

}
