package io.sessionreplication;

import java.util.Locale;

/**
 * The kinds of {@link ClusterMessage}, with the code that marks each on the wire and the
 * name that metrics tag it with.
 */
public enum MessageKind {

	/** A {@link SessionDelta}: a change of a session, or a whole session. */
	DELTA(1),

	/** A {@link SessionRemoval}: an invalidation or an expiry. */
	REMOVAL(2),

	/** A {@link SessionFetch}: a request for a member's copy of a session. */
	FETCH(3),

	/**
	 * A {@link ShareComplete}: a member sent a joining member its share of the sessions.
	 */
	SHARE_COMPLETE(4),

	/** A {@link SenderView}: the view the sender chose the recipients by. */
	SENDER_VIEW(5),

	/** A {@link Barrier}: nothing but the wait for its acknowledgement. */
	BARRIER(6);

	private static final MessageKind[] BY_CODE = new MessageKind[7];

	static {
		for (MessageKind kind : values()) {
			BY_CODE[kind.code] = kind;
		}
	}

	private final byte code;

	MessageKind(int code) {
		this.code = (byte) code;
	}

	/**
	 * The kind of a message.
	 * @param message the message
	 * @return its kind
	 */
	public static MessageKind of(ClusterMessage message) {
		if (message instanceof SessionDelta) {
			return DELTA;
		}
		if (message instanceof SessionRemoval) {
			return REMOVAL;
		}
		if (message instanceof SessionFetch) {
			return FETCH;
		}
		if (message instanceof ShareComplete) {
			return SHARE_COMPLETE;
		}
		if (message instanceof SenderView) {
			return SENDER_VIEW;
		}
		if (message instanceof Barrier) {
			return BARRIER;
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

	/**
	 * The name of the kind in metrics tags: lower case, words joined by a hyphen.
	 * @return the name, for example {@code share-complete}
	 */
	public String tagValue() {
		return name().toLowerCase(Locale.ROOT).replace('_', '-');
	}

}
