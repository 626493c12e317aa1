package io.sessionreplication;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UTFDataFormatException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The wire format of {@link ClusterMessage}s: a compact binary encoding with a format
 * version, written with {@link DataOutput}. A payload carries a batch of one or more
 * messages; a state transfer is a stream of messages closed by an end marker.
 * <p>
 * Decoding trusts nothing: every count and length is checked against the bytes that are
 * really there, and anything unexpected fails with a {@link MalformedMessageException}
 * instead of an allocation or a loop sized by the sender.
 */
public final class ClusterMessageCodec {

	private static final byte FORMAT_VERSION = 1;

	private static final byte END = 0;

	private static final byte DELTA = 1;

	private static final byte REMOVAL = 2;

	private static final byte FETCH = 3;

	private static final byte SHARE_COMPLETE = 4;

	private static final byte SENDER_VIEW = 5;

	private static final byte BARRIER = 6;

	private static final SessionRemoval.Reason[] REASONS = SessionRemoval.Reason.values();

	private static final Coverage[] COVERAGES = Coverage.values();

	/**
	 * Encode a batch of messages into one payload.
	 * @param messages the messages, at least one
	 * @return the payload
	 */
	public byte[] encode(List<? extends ClusterMessage> messages) {
		Assert.notEmpty(messages, "'messages' must not be empty");
		ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
		try {
			DataOutputStream out = new DataOutputStream(bytes);
			out.writeByte(FORMAT_VERSION);
			out.writeInt(messages.size());
			for (ClusterMessage message : messages) {
				write(out, message);
			}
			out.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return bytes.toByteArray();
	}

	/**
	 * Decode a payload made by {@link #encode(List)}.
	 * @param payload the payload
	 * @return the messages it carries
	 * @throws MalformedMessageException if the payload is not a valid batch
	 */
	public List<ClusterMessage> decode(byte[] payload) {
		try {
			DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
			checkVersion(in.readByte());
			int count = in.readInt();
			// every message takes at least one byte
			check(count > 0 && count <= payload.length, "batch size " + count);
			List<ClusterMessage> messages = new ArrayList<>(count);
			for (int i = 0; i < count; i++) {
				ClusterMessage message = read(in, in.readByte());
				check(message != null, "end marker inside a batch");
				messages.add(message);
			}
			check(in.available() == 0, in.available() + " trailing bytes");
			return messages;
		}
		catch (IOException | RuntimeException ex) {
			throw malformed(ex);
		}
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
		write(out, message);
	}

	/**
	 * Close a stream of messages.
	 * @param out the stream
	 * @throws IOException if the stream fails
	 */
	public void writeStreamEnd(DataOutput out) throws IOException {
		out.writeByte(END);
	}

	/**
	 * Read a stream written with {@link #writeStreamHeader}, {@link #writeStreamed} and
	 * {@link #writeStreamEnd}, handing each message to {@code consumer} as it arrives.
	 * @param in the stream
	 * @param consumer what to do with each message
	 * @throws IOException if the stream fails
	 * @throws MalformedMessageException if the stream is not a valid stream of messages
	 */
	public void readStream(InputStream in, java.util.function.Consumer<ClusterMessage> consumer) throws IOException {
		DataInputStream data = new DataInputStream(in);
		try {
			checkVersion(data.readByte());
			for (ClusterMessage message = read(data, data.readByte()); message != null; message = read(data,
					data.readByte())) {
				consumer.accept(message);
			}
		}
		catch (EOFException | UTFDataFormatException | RuntimeException ex) {
			throw malformed(ex);
		}
	}

	private void write(DataOutput out, ClusterMessage message) throws IOException {
		if (message instanceof SessionDelta delta) {
			out.writeByte(DELTA);
			writeDelta(out, delta);
		}
		else if (message instanceof SessionRemoval removal) {
			out.writeByte(REMOVAL);
			out.writeUTF(removal.sessionId());
			out.writeByte(removal.reason().ordinal());
		}
		else if (message instanceof SessionFetch fetch) {
			out.writeByte(FETCH);
			out.writeUTF(fetch.sessionId());
		}
		else if (message instanceof ShareComplete) {
			out.writeByte(SHARE_COMPLETE);
		}
		else if (message instanceof SenderView view) {
			out.writeByte(SENDER_VIEW);
			out.writeLong(view.fingerprint());
		}
		else if (message instanceof Barrier) {
			out.writeByte(BARRIER);
		}
	}

	private void writeDelta(DataOutput out, SessionDelta delta) throws IOException {
		out.writeUTF(delta.sessionId());
		out.writeBoolean(delta.previousId() != null);
		if (delta.previousId() != null) {
			out.writeUTF(delta.previousId());
		}
		out.writeLong(delta.creationTime().toEpochMilli());
		out.writeLong(delta.maxInactiveInterval().toMillis());
		writeStamp(out, delta.maxInactiveStamp());
		out.writeLong(delta.lastAccessedTime().toEpochMilli());
		out.writeUTF(delta.lastAccessedBy());
		out.writeInt(delta.attributes().size());
		for (AttributeChange change : delta.attributes()) {
			out.writeUTF(change.name());
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
		out.writeByte(delta.coverage().ordinal());
	}

	private void writeStamp(DataOutput out, ChangeStamp stamp) throws IOException {
		out.writeLong(stamp.version());
		out.writeUTF(stamp.origin());
	}

	private @Nullable ClusterMessage read(DataInputStream in, byte kind) throws IOException {
		return switch (kind) {
			case END -> null;
			case DELTA -> readDelta(in);
			case REMOVAL -> readRemoval(in);
			case FETCH -> new SessionFetch(readId(in));
			case SHARE_COMPLETE -> new ShareComplete();
			case SENDER_VIEW -> new SenderView(in.readLong());
			case BARRIER -> new Barrier();
			default -> throw new MalformedMessageException("unknown message kind " + kind);
		};
	}

	private SessionRemoval readRemoval(DataInputStream in) throws IOException {
		String id = readId(in);
		int reason = in.readByte();
		check(reason >= 0 && reason < REASONS.length, "removal reason " + reason);
		return new SessionRemoval(id, REASONS[reason]);
	}

	private SessionDelta readDelta(DataInputStream in) throws IOException {
		String id = readId(in);
		String previousId = in.readBoolean() ? readId(in) : null;
		Instant creationTime = Instant.ofEpochMilli(in.readLong());
		Duration maxInactiveInterval = Duration.ofMillis(in.readLong());
		ChangeStamp maxInactiveStamp = readStamp(in);
		Instant lastAccessedTime = Instant.ofEpochMilli(in.readLong());
		String lastAccessedBy = in.readUTF();
		int count = in.readInt();
		// each attribute takes at least 16 bytes on the wire
		check(count >= 0 && count <= Integer.MAX_VALUE / 16, "attribute count " + count);
		List<AttributeChange> attributes = new ArrayList<>(Math.min(count, 64));
		for (int i = 0; i < count; i++) {
			String name = in.readUTF();
			ChangeStamp stamp = readStamp(in);
			int length = in.readInt();
			check(length >= -1, "attribute length " + length);
			attributes.add(new AttributeChange(name, stamp,
					(length < 0) ? null : AttributeValue.ofBytes(readBytes(in, length))));
		}
		return new SessionDelta(id, previousId, creationTime, maxInactiveInterval, maxInactiveStamp, lastAccessedTime,
				lastAccessedBy, attributes, readCoverage(in));
	}

	private Coverage readCoverage(DataInputStream in) throws IOException {
		int coverage = in.readByte();
		check(coverage >= 0 && coverage < COVERAGES.length, "coverage " + coverage);
		return COVERAGES[coverage];
	}

	private String readId(DataInputStream in) throws IOException {
		String id = in.readUTF();
		check(!id.isEmpty(), "empty session id");
		return id;
	}

	private ChangeStamp readStamp(DataInputStream in) throws IOException {
		long version = in.readLong();
		check(version >= 0, "negative version " + version);
		return new ChangeStamp(version, in.readUTF());
	}

	private byte[] readBytes(DataInputStream in, int length) throws IOException {
		// readNBytes grows its buffer as bytes arrive, so a forged length cannot make us
		// allocate more than the sender really sent
		byte[] bytes = in.readNBytes(length);
		if (bytes.length != length) {
			throw new EOFException("attribute value truncated at " + bytes.length + " of " + length + " bytes");
		}
		return bytes;
	}

	private void checkVersion(byte version) {
		check(version == FORMAT_VERSION, "format version " + version + " (this member speaks " + FORMAT_VERSION + ")");
	}

	private static void check(boolean condition, String what) {
		if (!condition) {
			throw new MalformedMessageException("unexpected " + what);
		}
	}

	private static MalformedMessageException malformed(Exception ex) {
		if (ex instanceof MalformedMessageException malformed) {
			return malformed;
		}
		return new MalformedMessageException("truncated or corrupt message: " + ex, ex);
	}

}
