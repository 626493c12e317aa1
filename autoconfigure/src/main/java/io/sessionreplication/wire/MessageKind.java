package io.sessionreplication.wire;

import java.util.Locale;

/**
 * The kinds of {@link ClusterMessage}, with the code that marks each on the wire and the
 * name that metrics tag it with.
 */
public enum MessageKind {

	/** A {@link SessionDelta}: a change of a session, or a whole session. */
	DELTA(1, SessionDelta.class),

	/** A {@link SessionRemoval}: an invalidation or an expiry. */
	REMOVAL(2, SessionRemoval.class),

	/** A {@link SessionFetch}: a request for a member's copy of a session. */
	FETCH(3, SessionFetch.class),

	/**
	 * A {@link ShareComplete}: a member sent a joining member its share of the sessions.
	 */
	SHARE_COMPLETE(4, ShareComplete.class),

	/** A {@link SenderView}: the view the sender chose the recipients by. */
	SENDER_VIEW(5, SenderView.class),

	/** A {@link Barrier}: nothing but the wait for its acknowledgement. */
	BARRIER(6, Barrier.class),

	/** A {@link CopyQuery}: what does a member hold of a session. */
	COPY_QUERY(7, CopyQuery.class),

	/** A {@link CopyReport}: the answer to a {@link CopyQuery}. */
	COPY_REPORT(8, CopyReport.class),

	/** An {@link IndexQuery}: which sessions of a member have an index value. */
	INDEX_QUERY(9, IndexQuery.class),

	/** An {@link IndexReport}: the answer to an {@link IndexQuery}. */
	INDEX_REPORT(10, IndexReport.class),

	/** A {@link Rejection}: the receiver rejected messages of a payload. */
	REJECTION(11, Rejection.class),

	/**
	 * An {@link AccessQuery}: is a session still live on the member of its latest access.
	 */
	ACCESS_QUERY(20, AccessQuery.class),

	/**
	 * A {@link BucketDigests}: the digests of the copies two members hold, by bucket of
	 * sessions.
	 */
	BUCKET_DIGESTS(30, BucketDigests.class),

	/** A {@link SessionDigests}: the digests of the copies of single sessions. */
	SESSION_DIGESTS(31, SessionDigests.class);

	private static final MessageKind[] KINDS = values();

	private static final MessageKind[] BY_CODE = new MessageKind[highestCode() + 1];

	static {
		for (MessageKind kind : KINDS) {
			BY_CODE[kind.code] = kind;
		}
	}

	private final byte code;

	private final Class<? extends ClusterMessage> type;

	MessageKind(int code, Class<? extends ClusterMessage> type) {
		this.code = (byte) code;
		this.type = type;
	}

	/**
	 * The kind of a message.
	 * @param message the message
	 * @return its kind
	 */
	public static MessageKind of(ClusterMessage message) {
		for (MessageKind kind : KINDS) {
			if (kind.type.isInstance(message)) {
				return kind;
			}
		}
		throw new IllegalArgumentException("No kind for " + message.getClass().getName());
	}

	/**
	 * The kind that a code on the wire marks.
	 * @param code the code
	 * @return the kind
	 * @throws MalformedMessageException if no kind has that code
	 */
	static MessageKind ofCode(byte code) {
		MessageKind kind = (code > 0 && code < BY_CODE.length) ? BY_CODE[code] : null;
		if (kind == null) {
			throw new MalformedMessageException("unknown message kind " + code);
		}
		return kind;
	}

	byte code() {
		return this.code;
	}

	private static int highestCode() {
		int highest = 0;
		for (MessageKind kind : KINDS) {
			highest = Math.max(highest, kind.code);
		}
		return highest;
	}

	/**
	 * The name of the kind in metrics tags: lower case, words joined by a hyphen.
	 * @return the name, for example {@code share-complete}
	 */
	public String tagValue() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
