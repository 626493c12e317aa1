package io.sessionreplication.session;

/**
 * Thrown by {@link ReplicatedSessionRepository#createSession()} when this member already
 * holds as many sessions as {@code session.replication.max-sessions} allows, like
 * Tomcat's {@code maxActiveSessions}. The member is full, not broken: an application
 * answers it with {@code 503 Service Unavailable}, so that a load balancer tries another
 * member or the client retries later. It says nothing of the sessions it holds.
 */
public class SessionLimitExceededException extends IllegalStateException {

	private final int maxSessions;

	/**
	 * Create an exception.
	 * @param maxSessions the limit that was reached
	 */
	public SessionLimitExceededException(int maxSessions) {
		super("This member holds " + maxSessions
				+ " sessions, as many as session.replication.max-sessions allows: no session is created "
				+ "until some end");
		this.maxSessions = maxSessions;
	}

	/**
	 * The limit that was reached.
	 * @return the largest number of sessions a member holds
	 */
	public int getMaxSessions() {
		return this.maxSessions;
	}

}
