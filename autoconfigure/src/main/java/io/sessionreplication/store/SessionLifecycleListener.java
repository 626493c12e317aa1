package io.sessionreplication.store;

import io.sessionreplication.wire.SessionRemoval;

/**
 * Hears a {@link SessionStore} when a session begins or ends on this member. It is called
 * once the store has made the change, never while it holds a session.
 */
public interface SessionLifecycleListener {

	/** A listener that does nothing. */
	SessionLifecycleListener NONE = new SessionLifecycleListener() {

		@Override
		public void sessionCreated(String sessionId, SessionEntry session, boolean here) {
		}

		@Override
		public void sessionEnded(String sessionId, SessionEntry session, SessionRemoval.Reason reason, boolean here) {
		}

	};

	/**
	 * A session was created: on this member, or on another whose first change of it
	 * arrived here.
	 * @param sessionId the session id
	 * @param session this member's copy
	 * @param here whether it was created on this member
	 */
	void sessionCreated(String sessionId, SessionEntry session, boolean here);

	/**
	 * A session ended on this member. Not called when only its id changed.
	 * @param sessionId the session id
	 * @param session the copy this member held, as it was when it ended
	 * @param reason why it ended
	 * @param here whether it ended by this member's doing (an invalidation here, or the
	 * expiry of a session last accessed here) rather than by news from another member
	 */
	void sessionEnded(String sessionId, SessionEntry session, SessionRemoval.Reason reason, boolean here);

}
