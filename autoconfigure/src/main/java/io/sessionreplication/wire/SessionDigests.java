package io.sessionreplication.wire;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What two members compare to find which copies of sessions differ between them, once
 * their {@link BucketDigests} differ, or for sessions named on their own: the digest of
 * the sender's copy of each session. A member asks with its copies of the named sessions,
 * and of every session in the listed buckets; the other answers with its own copies of
 * the same sessions, and both then send each other the copies that differ.
 *
 * @param scope as in {@link BucketDigests}
 * @param bucketCount how many buckets the sessions are split into, 0 when only named
 * sessions are compared
 * @param buckets the buckets compared whole: every session both should hold whose id
 * falls in one of them is compared too
 * @param digests the digest of the sender's copy of each session, by session id; 0 where
 * it holds no copy
 */
public record SessionDigests(long scope, int bucketCount, List<Integer> buckets,
		Map<String, Long> digests) implements ClusterMessage {

	/** How many sessions {@link #toString()} names at most. */
	private static final int NAMED = 8;

	public SessionDigests {
		buckets = List.copyOf(buckets);
		// in the order given, so that a message always encodes to the same bytes
		digests = Collections.unmodifiableMap(new LinkedHashMap<>(digests));
	}

	/**
	 * Names the first sessions by their ids' {@link SessionIdFingerprint fingerprints},
	 * and counts the others.
	 */
	@Override
	public String toString() {
		List<String> named = this.digests.keySet().stream().limit(NAMED).map(SessionIdFingerprint::of).toList();
		String more = (this.digests.size() > NAMED) ? " and " + (this.digests.size() - NAMED) + " more" : "";
		return "the digests of the copies of sessions " + named + more + " and of " + this.buckets.size()
				+ " bucket(s) of " + this.bucketCount;
	}

}
