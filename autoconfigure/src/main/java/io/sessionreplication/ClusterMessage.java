package io.sessionreplication;

/**
 * What one member tells the others about a session: a change ({@link SessionDelta}) or
 * its end ({@link SessionRemoval}).
 */
public sealed interface ClusterMessage permits SessionDelta, SessionRemoval {

	/**
	 * The id of the session the message is about.
	 * @return the session id
	 */
	String sessionId();

}
