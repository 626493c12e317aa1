package io.sessionreplication.wire;

/**
 * What one member tells others: a change of a session ({@link SessionDelta}), its end
 * ({@link SessionRemoval}), a request for a member's copy ({@link SessionFetch}), the end
 * of the sessions a member handed to a joining one ({@link ShareComplete}), the view by
 * which the sender chose the recipients ({@link SenderView}), nothing but the wait for
 * its acknowledgement ({@link Barrier}), a question about a member's copy of a session
 * and its answer ({@link CopyQuery}, {@link CopyReport}), or a question about the
 * sessions a member holds with an index value and its answer ({@link IndexQuery},
 * {@link IndexReport}), the negative acknowledgement of messages that the receiver
 * rejected ({@link Rejection}), a question to the member of a session's latest access
 * whether it is still live ({@link AccessQuery}), or the digests of the copies two
 * members compare to repair those that differ ({@link BucketDigests},
 * {@link SessionDigests}).
 */
public sealed interface ClusterMessage permits SessionDelta, SessionRemoval, SessionFetch, ShareComplete, SenderView,
		Barrier, CopyQuery, CopyReport, IndexQuery, IndexReport, Rejection, AccessQuery, BucketDigests, SessionDigests {

}
