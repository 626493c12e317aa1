package io.sessionreplication.store;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The sessions of this member by index value, so that they are found without going
 * through them all. {@link SessionStore} keeps it in step with its sessions: an index
 * value that no session has any more takes no memory.
 * <p>
 * Thread-safe. The store updates it for one session at a time, in the order the session's
 * copy changes.
 */
final class SessionIndex {

	private final ConcurrentMap<Key, Set<String>> sessionIds = new ConcurrentHashMap<>();

	/**
	 * Record that a session's index values changed.
	 * @param sessionId the session id
	 * @param before its values before, none for a session new to this member
	 * @param after its values after, none for a session this member no longer holds
	 */
	void update(String sessionId, Map<String, String> before, Map<String, String> after) {
		if (before.equals(after)) {
			return;
		}
		before.forEach((name, value) -> {
			if (!value.equals(after.get(name))) {
				this.sessionIds.computeIfPresent(new Key(name, value), (key, ids) -> {
					ids.remove(sessionId);
					return ids.isEmpty() ? null : ids;
				});
			}
		});
		after.forEach((name, value) -> {
			if (!value.equals(before.get(name))) {
				this.sessionIds.compute(new Key(name, value), (key, ids) -> {
					Set<String> updated = (ids != null) ? ids : new HashSet<>();
					updated.add(sessionId);
					return updated;
				});
			}
		});
	}

	/**
	 * The ids of the sessions that have an index value.
	 * @param indexName the index name
	 * @param indexValue the index value
	 * @return the session ids, in a set of the caller's own
	 */
	Set<String> find(String indexName, String indexValue) {
		Set<String> found = new HashSet<>();
		// read under the key's lock, which every change of its set holds
		this.sessionIds.computeIfPresent(new Key(indexName, indexValue), (key, ids) -> {
			found.addAll(ids);
			return ids;
		});
		return found;
	}

	/**
	 * How many index values at least one session has.
	 * @return the count
	 */
	int size() {
		return this.sessionIds.size();
	}

	private record Key(String name, String value) {

	}

}
