package io.sessionreplication.session;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.sessionreplication.wire.UnreadableAttributeException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs the removal of unreadable attributes at WARN, at most once per {@link #INTERVAL}
 * for each attribute name and cause, so that a redeploy that makes one attribute of every
 * session unreadable says so without a line per request. It names the attribute and the
 * cause (a class name, an incompatible version), never a session id nor a value.
 */
final class UnreadableAttributeWarnings {

	/** How long the same attribute and cause stay quiet after a warning. */
	static final Duration INTERVAL = Duration.ofMinutes(10);

	/** Bounds the memory of what was logged: past it, the memory starts again. */
	private static final int MAX_REMEMBERED = 1000;

	private static final Log logger = LogFactory.getLog(ReplicatedSessionRepository.class);

	private final Map<String, Long> lastLogged = new ConcurrentHashMap<>();

	/**
	 * Say that an attribute was removed because it could not be read, unless that was
	 * said lately.
	 * @param failure why it could not be read
	 */
	void removed(UnreadableAttributeException failure) {
		Throwable cause = (failure.getCause() != null) ? failure.getCause() : failure;
		String key = failure.getAttributeName() + '\n' + cause;
		long now = System.nanoTime();
		Long last = this.lastLogged.get(key);
		if (last != null && now - last < INTERVAL.toNanos()) {
			return;
		}
		if (this.lastLogged.size() >= MAX_REMEMBERED) {
			this.lastLogged.clear();
		}
		this.lastLogged.put(key, now);
		logger.warn("Session attribute '" + failure.getAttributeName() + "' cannot be read on this member (" + cause
				+ "): removed from the session (session.replication.serialization.on-unreadable=remove); the same "
				+ "attribute and cause are not logged again for " + INTERVAL.toMinutes() + " minutes");
	}

}
