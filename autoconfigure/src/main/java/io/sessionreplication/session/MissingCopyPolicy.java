package io.sessionreplication.session;

/**
 * What a synchronous save or invalidation does when not every member it went to applied
 * it: a member did not answer within the acknowledgement timeout, was suspected or left,
 * or rejected the change. A member that holds the session as removed is no such case: the
 * removal wins there, and the change is moot.
 */
public enum MissingCopyPolicy {

	/**
	 * The request goes on, and the change reaches the members that missed it through the
	 * repair of copies. The outcome is counted, and the health details say while copies
	 * are behind.
	 */
	REPAIR,

	/**
	 * The save or invalidation throws a {@link SessionReplicationException} that names
	 * the members that did not apply the change. The change stands on this member and on
	 * the members that applied it; repair brings it to the others later.
	 */
	FAIL

}
