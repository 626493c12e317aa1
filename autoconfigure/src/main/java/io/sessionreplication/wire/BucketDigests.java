package io.sessionreplication.wire;

import java.util.List;

import org.springframework.util.Assert;

/**
 * What two members compare first to find the copies of sessions that differ between them:
 * the sessions both should hold, split into buckets by a hash of their ids, and one
 * digest per bucket, which sums up the digests of its sessions' copies. A member asks
 * with one bucket of all those sessions; the other answers with its digests of every
 * bucket when its sum differs, and with nothing when it does not. It carries no session
 * id.
 *
 * @param scope a fingerprint of the view by which the sender chose the sessions both
 * should hold (0 where every member holds every session); a member with another view does
 * not compare
 * @param digests the digest of each bucket, in bucket order
 */
public record BucketDigests(long scope, List<Long> digests) implements ClusterMessage {

	public BucketDigests {
		Assert.notEmpty(digests, "'digests' must not be empty");
		digests = List.copyOf(digests);
	}

	@Override
	public String toString() {
		return "the digests of " + this.digests.size() + " bucket(s) of session copies";
	}

}
