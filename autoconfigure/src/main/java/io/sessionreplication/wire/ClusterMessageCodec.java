package io.sessionreplication.wire;

import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.springframework.util.Assert;

/**
 * The wire format of {@link ClusterMessage}s: a compact binary encoding with a format
 * version, written with a {@link WireWriter} (numbers and strings as {@link DataOutput}
 * writes them). A payload carries a batch of one or more messages; a state transfer is a
 * stream of messages, each after its length, closed by an end marker.
 * <p>
 * Decoding trusts nothing: every count and length is checked against the bytes that are
 * really there, and anything unexpected fails with a {@link MalformedMessageException}
 * instead of an allocation or a loop sized by the sender. A message that is well formed
 * but holds values no honest member sends ({@link MessageValidator}) is rejected alone:
 * the other messages of its payload or stream are still delivered.
 */
public final class ClusterMessageCodec {

	private static final byte FORMAT_VERSION = 3;

	/** What a payload of one delta takes, about, so that its writer never grows. */
	private static final int INITIAL_CAPACITY = 256;

	/**
	 * What a message of a stream may take besides its attribute values: its ids, names
	 * and index values.
	 */
	private static final int MESSAGE_OVERHEAD = 1024 * 1024;

	/** What {@link #estimatedSize} counts for a message's or an attribute's fields. */
	private static final int ESTIMATED_FIELDS = 64;

	/** The end marker of a stream, in place of a message length. */
	private static final int END = 0;

	private static final SessionRemoval.Reason[] REASONS = SessionRemoval.Reason.values();

	private static final Coverage[] COVERAGES = Coverage.values();

	private static final SessionRole[] ROLES = SessionRole.values();

	private static final Rejection.Cause[] CAUSES = Rejection.Cause.values();

	private final MessageLimits limits;

	private final MessageValidator validator;

	/**
	 * Create a codec that accepts what the {@link MessageLimits#DEFAULTS} allow.
	 */
	public ClusterMessageCodec() {
		this(MessageLimits.DEFAULTS);
	}

	/**
	 * Create a codec.
	 * @param limits what a received message may hold
	 */
	public ClusterMessageCodec(MessageLimits limits) {
		this.limits = limits;
		this.validator = new MessageValidator(limits);
	}

	/**
	 * Encode a batch of messages into one payload.
	 * @param messages the messages, at least one
	 * @return the payload
	 */
	public byte[] encode(List<? extends ClusterMessage> messages) {
		return encode(messages, MessageTally.NONE);
	}

	/**
	 * Encode a batch of messages into one payload, counting each message.
	 * @param messages the messages, at least one
	 * @param tally counts each message with the bytes it takes
	 * @return the payload
	 */
	public byte[] encode(List<? extends ClusterMessage> messages, MessageTally tally) {
		Assert.notEmpty(messages, "'messages' must not be empty");
		WireWriter out = new WireWriter(INITIAL_CAPACITY);
		out.writeByte(FORMAT_VERSION);
		out.writeInt(messages.size());
		for (ClusterMessage message : messages) {
			write(out, message, tally);
		}
		return out.toByteArray();
	}

	/**
	 * Encode messages without the header of a payload, to {@link #join} them with others
	 * later.
	 * @param messages the messages, at least one
	 * @param tally counts each message with the bytes it takes
	 * @return the encoded messages
	 * @throws IllegalArgumentException if a message cannot be encoded (a string longer
	 * than the format allows)
	 */
	public EncodedMessages encodeMessages(List<? extends ClusterMessage> messages, MessageTally tally) {
		Assert.notEmpty(messages, "'messages' must not be empty");
		WireWriter out = new WireWriter(INITIAL_CAPACITY);
		for (ClusterMessage message : messages) {
			write(out, message, tally);
		}
		return new EncodedMessages(messages, out.toByteArray());
	}

	/**
	 * Put encoded messages into one payload, as {@link #encode(List)} would have made of
	 * all of them.
	 * @param parts the encoded messages, at least one, in the order to deliver them
	 * @return the payload
	 */
	public byte[] join(List<EncodedMessages> parts) {
		Assert.notEmpty(parts, "'parts' must not be empty");
		int count = 0;
		int length = 5;
		for (EncodedMessages part : parts) {
			count = Math.addExact(count, part.count());
			length = Math.addExact(length, part.bytes().length);
		}
		WireWriter out = new WireWriter(length);
		out.writeByte(FORMAT_VERSION);
		out.writeInt(count);
		for (EncodedMessages part : parts) {
			out.write(part.bytes());
		}
		return out.toByteArray();
	}

	/**
	 * Decode a payload made by {@link #encode(List)}.
	 * @param payload the payload
	 * @return the messages it carries
	 * @throws MalformedMessageException if the payload is not a valid batch
	 */
	public List<ClusterMessage> decode(byte[] payload) {
		return decode(payload, MessageTally.NONE);
	}

	/**
	 * Decode a payload made by {@link #encode(List)}, counting each message, and reject
	 * it whole if any of its messages is rejected.
	 * @param payload the payload
	 * @param tally counts each message with the bytes it takes, as it is decoded
	 * @return the messages it carries
	 * @throws MalformedMessageException if the payload is not a valid batch, or holds a
	 * message that the {@link MessageLimits} reject
	 */
	public List<ClusterMessage> decode(byte[] payload, MessageTally tally) {
		DecodedPayload decoded = decodePayload(payload, tally);
		if (decoded.rejection() != null) {
			throw new MalformedMessageException(decoded.rejection().reason());
		}
		return decoded.messages();
	}

	/**
	 * Decode a payload made by {@link #encode(List)}, counting each message; the messages
	 * that the {@link MessageLimits} reject are left out, and the others kept.
	 * @param payload the payload
	 * @param tally counts each message with the bytes it takes, as it is decoded
	 * @return the messages to deliver, and what was rejected
	 * @throws MalformedMessageException if the payload is not a valid batch
	 */
	public DecodedPayload decodePayload(byte[] payload, MessageTally tally) {
		try {
			WireReader in = new WireReader(payload);
			checkVersion(in.readByte());
			int count = in.readInt();
			// every message takes at least one byte
			check(count > 0 && count <= in.remaining(), "batch size", count);
			List<ClusterMessage> messages = new ArrayList<>(count);
			// positions are kept only once a message is rejected: until then, each
			// message is at its own index
			List<Integer> positions = List.of();
			List<Integer> rejected = null;
			String reason = null;
			for (int i = 0; i < count; i++) {
				ClusterMessage message = read(in, tally);
				String problem = this.validator.problemOf(message);
				if (problem == null) {
					messages.add(message);
					if (rejected != null) {
						positions.add(i);
					}
				}
				else {
					if (rejected == null) {
						rejected = new ArrayList<>();
						positions = new ArrayList<>(count);
						for (int position = 0; position < i; position++) {
							positions.add(position);
						}
					}
					rejected.add(i);
					reason = (reason != null) ? reason : problem;
				}
			}
			check(in.remaining() == 0, "trailing bytes:", in.remaining());
			return new DecodedPayload(messages, positions,
					(rejected != null) ? Rejection.of(Rejection.Cause.INVALID, rejected, reason) : null);
		}
		catch (RuntimeException ex) {
			throw malformed(ex);
		}
	}

	/**
	 * About how many bytes a message takes encoded: its attribute values, plus a little
	 * for each field around them. Cheap enough to call on every message queued.
	 * @param message the message
	 * @return the estimate, in bytes, never less than the encoding's size by more than
	 * its names and index values
	 */
	public static long estimatedSize(ClusterMessage message) {
		long size = ESTIMATED_FIELDS;
		if (message instanceof SessionDelta delta) {
			for (AttributeChange change : delta.attributes()) {
				size += ESTIMATED_FIELDS + ((change.value() != null) ? change.value().bytes().length : 0);
			}
		}
		return size;
	}

	/**
	 * Open a stream of messages, as sent during state transfer.
	 * @param out the stream
	 * @throws IOException if the stream fails
	 */
	public void writeStreamHeader(DataOutput out) throws IOException {
		out.writeByte(FORMAT_VERSION);
	}

	/**
	 * Write one message of a stream.
	 * @param out the stream
	 * @param message the message
	 * @throws IOException if the stream fails
	 */
	public void writeStreamed(DataOutput out, ClusterMessage message) throws IOException {
		WireWriter bytes = new WireWriter(INITIAL_CAPACITY);
		write(bytes, message, MessageTally.NONE);
		out.writeInt(bytes.size());
		bytes.writeTo(out);
	}

	/**
	 * Close a stream of messages.
	 * @param out the stream
	 * @throws IOException if the stream fails
	 */
	public void writeStreamEnd(DataOutput out) throws IOException {
		out.writeInt(END);
	}

	/**
	 * Read a stream written with {@link #writeStreamHeader}, {@link #writeStreamed} and
	 * {@link #writeStreamEnd}, handing each message to {@code consumer} as it arrives,
	 * and fail on a message that the {@link MessageLimits} reject.
	 * @param in the stream
	 * @param consumer what to do with each message
	 * @throws IOException if the stream fails
	 * @throws MalformedMessageException if the stream is not a valid stream of messages,
	 * or holds a message that the limits reject
	 */
	public void readStream(InputStream in, Consumer<ClusterMessage> consumer) throws IOException {
		readStream(in, consumer, (rejection) -> {
			throw new MalformedMessageException(rejection.reason());
		});
	}

	/**
	 * Read a stream written with {@link #writeStreamHeader}, {@link #writeStreamed} and
	 * {@link #writeStreamEnd}, handing each message to {@code consumer} as it arrives,
	 * and each message that the {@link MessageLimits} reject to {@code rejected} instead.
	 * No message may be longer than {@link #maxMessageSize()}.
	 * @param in the stream
	 * @param consumer what to do with each message
	 * @param rejected what to do with each rejection, of one message
	 * @throws IOException if the stream fails
	 * @throws MalformedMessageException if the stream is not a valid stream of messages
	 */
	public void readStream(InputStream in, Consumer<ClusterMessage> consumer, Consumer<Rejection> rejected)
			throws IOException {
		DataInputStream data = new DataInputStream(in);
		try {
			checkVersion(data.readByte());
			int position = 0;
			for (int length = data.readInt(); length != END; length = data.readInt(), position++) {
				check(length > 0 && length <= maxMessageSize(), "message length", length);
				// readNBytes grows its buffer as bytes arrive, so a forged length cannot
				// make us allocate more than the sender really sent
				byte[] bytes = data.readNBytes(length);
				if (bytes.length != length) {
					throw new EOFException("message truncated at " + bytes.length + " of " + length + " bytes");
				}
				WireReader reader = new WireReader(bytes);
				ClusterMessage message = read(reader, MessageTally.NONE);
				check(reader.remaining() == 0, "trailing bytes in a message:", reader.remaining());
				String problem = this.validator.problemOf(message);
				if (problem == null) {
					consumer.accept(message);
				}
				else {
					rejected.accept(Rejection.of(Rejection.Cause.INVALID, List.of(position), problem));
				}
			}
		}
		catch (EOFException | RuntimeException ex) {
			throw malformed(ex);
		}
	}

	/**
	 * The longest message of a stream: a session of the largest size, with room for the
	 * ids, names and index values around its attribute values.
	 * @return the length in bytes
	 */
	public int maxMessageSize() {
		return (int) Math.min(Integer.MAX_VALUE - 8, this.limits.maxSessionSize() + MESSAGE_OVERHEAD);
	}

	private void write(WireWriter out, ClusterMessage message, MessageTally tally) {
		int start = out.size();
		MessageKind kind = MessageKind.of(message);
		out.writeByte(kind.code());
		if (message instanceof SessionDelta delta) {
			writeDelta(out, delta);
		}
		else if (message instanceof SessionRemoval removal) {
			out.writeString(removal.sessionId());
			out.writeByte(removal.reason().ordinal());
		}
		else if (message instanceof SessionFetch fetch) {
			out.writeString(fetch.sessionId());
		}
		else if (message instanceof SenderView view) {
			out.writeLong(view.fingerprint());
		}
		else if (message instanceof CopyQuery query) {
			out.writeString(query.sessionId());
		}
		else if (message instanceof AccessQuery query) {
			out.writeString(query.sessionId());
		}
		else if (message instanceof CopyReport report) {
			writeReport(out, report);
		}
		else if (message instanceof IndexQuery query) {
			out.writeString(query.indexName());
			out.writeString(query.indexValue());
		}
		else if (message instanceof IndexReport report) {
			out.writeInt(report.sessionIds().size());
			report.sessionIds().forEach(out::writeString);
		}
		else if (message instanceof Rejection rejection) {
			out.writeByte(rejection.cause().ordinal());
			out.writeInt(rejection.positions().size());
			rejection.positions().forEach(out::writeInt);
			out.writeString(rejection.reason());
		}
		else if (message instanceof BucketDigests digests) {
			out.writeLong(digests.scope());
			out.writeInt(digests.digests().size());
			digests.digests().forEach(out::writeLong);
		}
		else if (message instanceof SessionDigests digests) {
			writeSessionDigests(out, digests);
		}
		tally.count(kind, out.size() - start);
	}

	private void writeDelta(WireWriter out, SessionDelta delta) {
		out.writeString(delta.sessionId());
		out.writeBoolean(delta.previousId() != null);
		if (delta.previousId() != null) {
			out.writeString(delta.previousId());
		}
		out.writeLong(delta.creationTime().toEpochMilli());
		out.writeLong(delta.maxInactiveInterval().toMillis());
		writeStamp(out, delta.maxInactiveStamp());
		out.writeLong(delta.lastAccessedTime().toEpochMilli());
		out.writeString(delta.lastAccessedBy());
		out.writeInt(delta.attributes().size());
		for (AttributeChange change : delta.attributes()) {
			out.writeString(change.name());
			writeStamp(out, change.stamp());
			AttributeValue value = change.value();
			if (value == null) {
				out.writeInt(-1);
			}
			else {
				out.writeInt(value.bytes().length);
				out.write(value.bytes());
			}
		}
		writeIndexes(out, delta.indexes());
		out.writeByte(delta.coverage().ordinal());
		out.writeBoolean(delta.created());
	}

	private void writeIndexes(WireWriter out, SessionIndexes indexes) {
		writeStamp(out, indexes.stamp());
		out.writeInt(indexes.values().size());
		indexes.values().forEach((name, value) -> {
			out.writeString(name);
			out.writeString(value);
		});
	}

	private void writeReport(WireWriter out, CopyReport report) {
		out.writeString(report.sessionId());
		out.writeBoolean(report.held());
		out.writeByte((report.role() != null) ? report.role().ordinal() : -1);
		out.writeByte((report.coverage() != null) ? report.coverage().ordinal() : -1);
		out.writeBoolean(report.fingerprint() != null);
		if (report.fingerprint() != null) {
			out.writeString(report.fingerprint());
		}
	}

	private void writeSessionDigests(WireWriter out, SessionDigests digests) {
		out.writeLong(digests.scope());
		out.writeInt(digests.bucketCount());
		out.writeInt(digests.buckets().size());
		digests.buckets().forEach(out::writeInt);
		out.writeInt(digests.digests().size());
		digests.digests().forEach((sessionId, digest) -> {
			out.writeString(sessionId);
			out.writeLong(digest);
		});
	}

	private void writeStamp(WireWriter out, ChangeStamp stamp) {
		out.writeLong(stamp.version());
		out.writeString(stamp.origin());
	}

	private ClusterMessage read(WireReader in, MessageTally tally) {
		int start = in.remaining();
		MessageKind kind = MessageKind.ofCode(in.readByte());
		ClusterMessage message = switch (kind) {
			case DELTA -> readDelta(in);
			case REMOVAL -> readRemoval(in);
			case FETCH -> new SessionFetch(readId(in));
			case SHARE_COMPLETE -> new ShareComplete();
			case SENDER_VIEW -> new SenderView(in.readLong());
			case BARRIER -> new Barrier();
			case COPY_QUERY -> new CopyQuery(readId(in));
			case COPY_REPORT -> readReport(in);
			case INDEX_QUERY -> new IndexQuery(in.readString(), in.readString());
			case INDEX_REPORT -> readIndexReport(in);
			case REJECTION -> readRejection(in);
			case ACCESS_QUERY -> new AccessQuery(readId(in));
			case BUCKET_DIGESTS -> readBucketDigests(in);
			case SESSION_DIGESTS -> readSessionDigests(in);
		};
		tally.count(kind, start - in.remaining());
		return message;
	}

	private CopyReport readReport(WireReader in) {
		String id = readId(in);
		boolean held = in.readBoolean();
		int role = in.readByte();
		check(role >= -1 && role < ROLES.length, "role", role);
		int coverage = in.readByte();
		check(coverage >= -1 && coverage < COVERAGES.length, "coverage", coverage);
		String fingerprint = in.readBoolean() ? in.readString() : null;
		return new CopyReport(id, held, (role >= 0) ? ROLES[role] : null, (coverage >= 0) ? COVERAGES[coverage] : null,
				fingerprint);
	}

	private IndexReport readIndexReport(WireReader in) {
		int count = in.readInt();
		// each id takes at least three bytes on the wire
		check(count >= 0 && count <= in.remaining() / 3, "session id count", count);
		List<String> ids = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			ids.add(readId(in));
		}
		return new IndexReport(ids);
	}

	private BucketDigests readBucketDigests(WireReader in) {
		long scope = in.readLong();
		int count = in.readInt();
		check(count > 0 && count <= in.remaining() / 8, "bucket count", count);
		List<Long> digests = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			digests.add(in.readLong());
		}
		return new BucketDigests(scope, digests);
	}

	private SessionDigests readSessionDigests(WireReader in) {
		long scope = in.readLong();
		int bucketCount = in.readInt();
		check(bucketCount >= 0, "bucket count", bucketCount);
		int count = in.readInt();
		check(count >= 0 && count <= in.remaining() / 4, "count of buckets compared", count);
		List<Integer> buckets = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			int bucket = in.readInt();
			check(bucket >= 0 && bucket < bucketCount, "bucket", bucket);
			buckets.add(bucket);
		}
		int sessions = in.readInt();
		// each session takes at least eleven bytes on the wire: its id, then its digest
		check(sessions >= 0 && sessions <= in.remaining() / 11, "session count", sessions);
		Map<String, Long> digests = new LinkedHashMap<>(sessions * 2);
		for (int i = 0; i < sessions; i++) {
			check(digests.put(readId(in), in.readLong()) == null, "session id given twice");
		}
		return new SessionDigests(scope, bucketCount, buckets, digests);
	}

	private Rejection readRejection(WireReader in) {
		int cause = in.readByte();
		check(cause >= 0 && cause < CAUSES.length, "rejection cause", cause);
		int count = in.readInt();
		check(count >= 0 && count <= in.remaining() / 4, "rejected message count", count);
		List<Integer> positions = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			int position = in.readInt();
			check(position >= 0, "rejected message position", position);
			positions.add(position);
		}
		String reason = in.readString();
		check(reason.length() <= Rejection.MAX_REASON, "length of a rejection reason", reason.length());
		return (count > 0) ? Rejection.of(CAUSES[cause], positions, reason) : Rejection.malformed(reason);
	}

	private SessionRemoval readRemoval(WireReader in) {
		String id = readId(in);
		int reason = in.readByte();
		check(reason >= 0 && reason < REASONS.length, "removal reason", reason);
		return new SessionRemoval(id, REASONS[reason]);
	}

	private SessionDelta readDelta(WireReader in) {
		String id = readId(in);
		String previousId = in.readBoolean() ? readId(in) : null;
		Instant creationTime = Instant.ofEpochMilli(in.readLong());
		Duration maxInactiveInterval = Duration.ofMillis(in.readLong());
		ChangeStamp maxInactiveStamp = readStamp(in);
		Instant lastAccessedTime = Instant.ofEpochMilli(in.readLong());
		String lastAccessedBy = in.readString();
		int count = in.readInt();
		// each attribute takes at least 16 bytes on the wire
		check(count >= 0 && count <= in.remaining() / 16, "attribute count", count);
		List<AttributeChange> attributes = new ArrayList<>(count);
		for (int i = 0; i < count; i++) {
			String name = in.readString();
			ChangeStamp stamp = readStamp(in);
			int length = in.readInt();
			check(length >= -1, "attribute length", length);
			attributes.add(new AttributeChange(name, stamp,
					(length < 0) ? null : AttributeValue.ofBytes(in.readBytes(length))));
		}
		SessionIndexes indexes = readIndexes(in);
		return new SessionDelta(id, previousId, creationTime, maxInactiveInterval, maxInactiveStamp, lastAccessedTime,
				lastAccessedBy, attributes, indexes, readCoverage(in), in.readBoolean());
	}

	private SessionIndexes readIndexes(WireReader in) {
		ChangeStamp stamp = readStamp(in);
		int count = in.readInt();
		// each index takes at least four bytes on the wire
		check(count >= 0 && count <= in.remaining() / 4, "index count", count);
		Map<String, String> values = new LinkedHashMap<>(count * 2);
		for (int i = 0; i < count; i++) {
			String name = in.readString();
			// the name is the sender's: it stays out of the message, which is logged
			check(values.put(name, in.readString()) == null, "index name given twice");
		}
		return new SessionIndexes(values, stamp);
	}

	private Coverage readCoverage(WireReader in) {
		int coverage = in.readByte();
		check(coverage >= 0 && coverage < COVERAGES.length, "coverage", coverage);
		return COVERAGES[coverage];
	}

	private String readId(WireReader in) {
		String id = in.readString();
		check(!id.isEmpty(), "empty session id");
		return id;
	}

	private ChangeStamp readStamp(WireReader in) {
		return new ChangeStamp(in.readLong(), in.readString());
	}

	private void checkVersion(byte version) {
		if (version != FORMAT_VERSION) {
			throw new MalformedMessageException(
					"unexpected format version " + version + " (this member speaks " + FORMAT_VERSION + ")");
		}
	}

	private static void check(boolean condition, String what) {
		if (!condition) {
			throw new MalformedMessageException("unexpected " + what);
		}
	}

	/** Like {@link #check(boolean, String)}, building the message only on a failure. */
	private static void check(boolean condition, String what, long value) {
		if (!condition) {
			throw new MalformedMessageException("unexpected " + what + " " + value);
		}
	}

	private static MalformedMessageException malformed(Exception ex) {
		if (ex instanceof MalformedMessageException malformed) {
			return malformed;
		}
		return new MalformedMessageException("truncated or corrupt message: " + ex, ex);
	}

}
