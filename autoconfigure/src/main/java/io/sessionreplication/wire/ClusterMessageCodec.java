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
 * A codec speaks a range of format versions, the {@link #NEWEST_FORMAT newest} and the
 * one before it by default: it decodes each, and encodes in the one it is told, which the
 * replication engine picks so that every member of the view understands it (a rolling
 * upgrade has members of two releases in one view). Format 4 differs from format 3 in one
 * field only: a {@link SessionRemoval} carries until when its sender remembers it.
 * Encoded in format 3, a removal loses that field; every other message encodes the same
 * in both.
 * <p>
 * Decoding trusts nothing: every count and length is checked against the bytes that are
 * really there, and anything unexpected fails with a {@link MalformedMessageException}
 * instead of an allocation or a loop sized by the sender. A message that is well formed
 * but holds values no honest member sends ({@link MessageValidator}) is rejected alone:
 * the other messages of its payload or stream are still delivered.
 */
public final class ClusterMessageCodec {

	/** The wire format version that this release introduced, and sends when it can. */
	public static final int NEWEST_FORMAT = 4;

	/**
	 * The oldest wire format version that this release speaks: that of the release
	 * before, so that both can run in one cluster during a rolling upgrade.
	 */
	public static final int OLDEST_FORMAT = 3;

	/**
	 * The wire format of the releases that did not say which formats they speak: those
	 * before format 4, which spoke format 3 only.
	 */
	public static final int FORMAT_OF_SILENT_RELEASES = 3;

	/** What a payload of one delta takes, about, so that its writer never grows. */
	private static final int INITIAL_CAPACITY = 256;

	/**
	 * What a message of a stream may take besides its attribute values: its ids, names
	 * and index values.
	 */
	private static final int MESSAGE_OVERHEAD = 1024 * 1024;

	/** What {@link #estimatedSize} counts for a message's or an attribute's fields. */
	private static final int ESTIMATED_FIELDS = 64;

	/** The latest instant that milliseconds since the epoch in a long can tell. */
	private static final Instant LATEST_MILLI = Instant.ofEpochMilli(Long.MAX_VALUE);

	/** The end marker of a stream, in place of a message length. */
	private static final int END = 0;

	private static final SessionRemoval.Reason[] REASONS = SessionRemoval.Reason.values();

	private static final Coverage[] COVERAGES = Coverage.values();

	private static final SessionRole[] ROLES = SessionRole.values();

	private static final Rejection.Cause[] CAUSES = Rejection.Cause.values();

	private final MessageLimits limits;

	private final MessageValidator validator;

	private final int oldestFormat;

	private final int newestFormat;

	/**
	 * Create a codec that speaks the formats of this release and accepts what the
	 * {@link MessageLimits#DEFAULTS} allow.
	 */
	public ClusterMessageCodec() {
		this(MessageLimits.DEFAULTS);
	}

	/**
	 * Create a codec that speaks the formats of this release, from {@link #OLDEST_FORMAT}
	 * to {@link #NEWEST_FORMAT}.
	 * @param limits what a received message may hold
	 */
	public ClusterMessageCodec(MessageLimits limits) {
		this(limits, OLDEST_FORMAT, NEWEST_FORMAT);
	}

	/**
	 * Create a codec that speaks some of the formats of this release only: a member that
	 * plays the release before, in a test of a rolling upgrade.
	 * @param limits what a received message may hold
	 * @param oldestFormat the oldest format it decodes and encodes
	 * @param newestFormat the newest format it decodes and encodes
	 */
	public ClusterMessageCodec(MessageLimits limits, int oldestFormat, int newestFormat) {
		Assert.isTrue(OLDEST_FORMAT <= oldestFormat && oldestFormat <= newestFormat && newestFormat <= NEWEST_FORMAT,
				() -> "Formats " + oldestFormat + " to " + newestFormat
						+ " are not within the formats of this release, " + OLDEST_FORMAT + " to " + NEWEST_FORMAT);
		this.limits = limits;
		this.validator = new MessageValidator(limits);
		this.oldestFormat = oldestFormat;
		this.newestFormat = newestFormat;
	}

	/**
	 * The oldest format this codec speaks.
	 * @return the format version
	 */
	public int oldestFormat() {
		return this.oldestFormat;
	}

	/**
	 * The newest format this codec speaks.
	 * @return the format version
	 */
	public int newestFormat() {
		return this.newestFormat;
	}

	/**
	 * Encode a batch of messages into one payload, in the newest format this codec
	 * speaks.
	 * @param messages the messages, at least one
	 * @return the payload
	 */
	public byte[] encode(List<? extends ClusterMessage> messages) {
		return encode(messages, this.newestFormat, MessageTally.NONE);
	}

	/**
	 * Encode a batch of messages into one payload, counting each message.
	 * @param messages the messages, at least one
	 * @param format the format version to encode in, one this codec speaks
	 * @param tally counts each message with the bytes it takes
	 * @return the payload
	 */
	public byte[] encode(List<? extends ClusterMessage> messages, int format, MessageTally tally) {
		Assert.notEmpty(messages, "'messages' must not be empty");
		requireSpoken(format);
		WireWriter out = new WireWriter(INITIAL_CAPACITY);
		out.writeByte(format);
		out.writeInt(messages.size());
		for (ClusterMessage message : messages) {
			write(out, message, format, tally);
		}
		return out.toByteArray();
	}

	/**
	 * Encode messages without the header of a payload, to {@link #join} them with others
	 * later.
	 * @param messages the messages, at least one
	 * @param format the format version to encode in, one this codec speaks
	 * @param tally counts each message with the bytes it takes
	 * @return the encoded messages
	 * @throws IllegalArgumentException if a message cannot be encoded (a string longer
	 * than the format allows)
	 */
	public EncodedMessages encodeMessages(List<? extends ClusterMessage> messages, int format, MessageTally tally) {
		Assert.notEmpty(messages, "'messages' must not be empty");
		requireSpoken(format);
		WireWriter out = new WireWriter(INITIAL_CAPACITY);
		for (ClusterMessage message : messages) {
			write(out, message, format, tally);
		}
		return new EncodedMessages(messages, format, out.toByteArray());
	}

	/**
	 * Put encoded messages into one payload, as {@link #encode(List, int, MessageTally)}
	 * would have made of all of them. Parts encoded in another format than the payload's
	 * (the view changed meanwhile) are encoded again.
	 * @param parts the encoded messages, at least one, in the order to deliver them
	 * @param format the format version of the payload, one this codec speaks
	 * @return the payload
	 */
	public byte[] join(List<EncodedMessages> parts, int format) {
		Assert.notEmpty(parts, "'parts' must not be empty");
		requireSpoken(format);
		int count = 0;
		int length = 5;
		List<byte[]> encoded = new ArrayList<>(parts.size());
		for (EncodedMessages part : parts) {
			EncodedMessages inFormat = (part.format() == format) ? part
					: encodeMessages(part.messages(), format, MessageTally.NONE);
			encoded.add(inFormat.bytes());
			count = Math.addExact(count, part.count());
			length = Math.addExact(length, inFormat.bytes().length);
		}
		WireWriter out = new WireWriter(length);
		out.writeByte(format);
		out.writeInt(count);
		encoded.forEach(out::write);
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
			int format = checkVersion(in.readByte());
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
				ClusterMessage message = read(in, format, tally);
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
	 * Open a stream of messages, as sent during state transfer, and write its header.
	 * @param out the stream
	 * @param format the format version of the stream, one this codec speaks
	 * @return the writer of the stream's messages
	 * @throws IOException if the stream fails
	 */
	public StreamWriter openStream(DataOutput out, int format) throws IOException {
		requireSpoken(format);
		out.writeByte(format);
		return new StreamWriter(out, format);
	}

	/**
	 * Read a stream written by a {@link StreamWriter}, handing each message to
	 * {@code consumer} as it arrives, and fail on a message that the
	 * {@link MessageLimits} reject.
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
	 * Read a stream written by a {@link StreamWriter}, handing each message to
	 * {@code consumer} as it arrives, and each message that the {@link MessageLimits}
	 * reject to {@code rejected} instead. No message may be longer than
	 * {@link #maxMessageSize()}.
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
			int format = checkVersion(data.readByte());
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
				ClusterMessage message = read(reader, format, MessageTally.NONE);
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

	private void write(WireWriter out, ClusterMessage message, int format, MessageTally tally) {
		int start = out.size();
		MessageKind kind = MessageKind.of(message);
		out.writeByte(kind.code());
		if (message instanceof SessionDelta delta) {
			writeDelta(out, delta);
		}
		else if (message instanceof SessionRemoval removal) {
			writeRemoval(out, removal, format);
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

	private void writeRemoval(WireWriter out, SessionRemoval removal, int format) {
		out.writeString(removal.sessionId());
		out.writeByte(removal.reason().ordinal());
		if (format >= 4) {
			Instant rememberUntil = removal.rememberUntil();
			out.writeBoolean(rememberUntil != null);
			if (rememberUntil != null) {
				// a session that never expires is remembered as removed for ever
				out.writeLong(rememberUntil.isBefore(LATEST_MILLI) ? rememberUntil.toEpochMilli() : Long.MAX_VALUE);
			}
		}
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

	private ClusterMessage read(WireReader in, int format, MessageTally tally) {
		int start = in.remaining();
		MessageKind kind = MessageKind.ofCode(in.readByte());
		ClusterMessage message = switch (kind) {
			case DELTA -> readDelta(in);
			case REMOVAL -> readRemoval(in, format);
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

	private SessionRemoval readRemoval(WireReader in, int format) {
		String id = readId(in);
		int reason = in.readByte();
		check(reason >= 0 && reason < REASONS.length, "removal reason", reason);
		Instant rememberUntil = (format >= 4 && in.readBoolean()) ? Instant.ofEpochMilli(in.readLong()) : null;
		return new SessionRemoval(id, REASONS[reason], rememberUntil);
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

	private int checkVersion(byte version) {
		if (version < this.oldestFormat || version > this.newestFormat) {
			throw new MalformedMessageException("unexpected format version " + version + " (this member speaks "
					+ this.oldestFormat + " to " + this.newestFormat + ")");
		}
		return version;
	}

	private void requireSpoken(int format) {
		Assert.isTrue(this.oldestFormat <= format && format <= this.newestFormat, () -> "Format " + format
				+ " is not one this codec speaks, " + this.oldestFormat + " to " + this.newestFormat);
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

	/**
	 * Writes the messages of one stream, in the stream's format, each after its length;
	 * {@link #end} closes the stream.
	 */
	public final class StreamWriter {

		private final DataOutput out;

		private final int format;

		private StreamWriter(DataOutput out, int format) {
			this.out = out;
			this.format = format;
		}

		/**
		 * Write one message of the stream.
		 * @param message the message
		 * @throws IOException if the stream fails
		 */
		public void write(ClusterMessage message) throws IOException {
			WireWriter bytes = new WireWriter(INITIAL_CAPACITY);
			ClusterMessageCodec.this.write(bytes, message, this.format, MessageTally.NONE);
			this.out.writeInt(bytes.size());
			bytes.writeTo(this.out);
		}

		/**
		 * Close the stream with its end marker.
		 * @throws IOException if the stream fails
		 */
		public void end() throws IOException {
			this.out.writeInt(END);
		}

	}

	private static MalformedMessageException malformed(Exception ex) {
		if (ex instanceof MalformedMessageException malformed) {
			return malformed;
		}
		return new MalformedMessageException("truncated or corrupt message: " + ex, ex);
	}

}
