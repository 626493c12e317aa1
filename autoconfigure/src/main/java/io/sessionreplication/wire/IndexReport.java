package io.sessionreplication.wire;

import java.util.List;

/**
 * The answer to an {@link IndexQuery}: the ids of the sessions that the answering member
 * holds with the index value asked for.
 *
 * @param sessionIds the session ids
 */
public record IndexReport(List<String> sessionIds) implements ClusterMessage {

	public IndexReport {
		sessionIds = List.copyOf(sessionIds);
	}

	/**
	 * Names the sessions by their ids' {@link SessionIdFingerprint fingerprints}.
	 */
	@Override
	public String toString() {
		return "the sessions " + this.sessionIds.stream().map(SessionIdFingerprint::of).toList()
				+ " found by an index value";
	}

}
