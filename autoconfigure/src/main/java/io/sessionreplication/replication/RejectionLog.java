package io.sessionreplication.replication;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Logs rejections once per member: the first rejection that involves a member at WARN,
 * with its reason, and the later ones at DEBUG, so that a member that keeps sending bad
 * messages (or keeps refusing good ones) cannot flood the log. The counts are the
 * {@link ReplicationStatistics}'. It remembers at most {@value #MAX_MEMBERS} members;
 * beyond them, every rejection is logged at DEBUG.
 */
final class RejectionLog {

	static final int MAX_MEMBERS = 1024;

	private static final Log logger = LogFactory.getLog(RejectionLog.class);

	private final Set<String> warned = ConcurrentHashMap.newKeySet();

	/**
	 * Log a rejection.
	 * @param member the member it involves
	 * @param text what happened, naming the member and the reason
	 */
	void log(String member, String text) {
		if (this.warned.size() < MAX_MEMBERS && this.warned.add(member)) {
			logger.warn(text + " (logged once per member; the metrics count every rejection)");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug(text);
		}
	}

}
