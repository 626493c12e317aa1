package io.sessionreplication.wire;

import java.io.DataOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * Writes the fields of the wire format into a byte array that grows as needed: numbers
 * big-endian and strings in modified UTF-8, byte for byte as {@link DataOutput} writes
 * them, but without a stream underneath, so without a lock or a call per byte. It is also
 * an {@link OutputStream}, so that other writers can add to the same bytes.
 * <p>
 * Not thread-safe: a writer belongs to the one thread that encodes a message.
 * {@link WireReader} reads what it writes.
 */
final class WireWriter extends OutputStream {

	/** The most bytes a string with a length takes, as {@link DataOutput#writeUTF}. */
	static final int MAX_STRING_BYTES = 0xFFFF;

	private byte[] bytes;

	private int size;

	/**
	 * Create an empty writer.
	 * @param initialCapacity how many bytes it holds before it first grows
	 */
	WireWriter(int initialCapacity) {
		this.bytes = new byte[initialCapacity];
	}

	@Override
	public void write(int value) {
		ensureCapacity(1);
		this.bytes[this.size++] = (byte) value;
	}

	@Override
	public void write(byte[] source) {
		write(source, 0, source.length);
	}

	@Override
	public void write(byte[] source, int offset, int length) {
		ensureCapacity(length);
		System.arraycopy(source, offset, this.bytes, this.size, length);
		this.size += length;
	}

	void writeByte(int value) {
		write(value);
	}

	void writeBoolean(boolean value) {
		write(value ? 1 : 0);
	}

	void writeInt(int value) {
		ensureCapacity(4);
		byte[] bytes = this.bytes;
		int position = this.size;
		bytes[position] = (byte) (value >>> 24);
		bytes[position + 1] = (byte) (value >>> 16);
		bytes[position + 2] = (byte) (value >>> 8);
		bytes[position + 3] = (byte) value;
		this.size = position + 4;
	}

	void writeLong(long value) {
		writeInt((int) (value >>> 32));
		writeInt((int) value);
	}

	/**
	 * Write a string as {@link DataOutput#writeUTF} does: the length of its encoding on
	 * two bytes, then its modified UTF-8.
	 * @param value the string
	 * @throws IllegalArgumentException if its encoding takes more than
	 * {@link #MAX_STRING_BYTES}
	 */
	void writeString(String value) {
		int start = this.size;
		ensureCapacity(2);
		this.size += 2;
		int length = writeModifiedUtf8(value);
		if (length > MAX_STRING_BYTES) {
			this.size = start;
			throw new IllegalArgumentException("A string of " + length
					+ " bytes in modified UTF-8 is longer than the wire format allows (" + MAX_STRING_BYTES + ")");
		}
		putShort(start, length);
	}

	/**
	 * Write a string in modified UTF-8, without its length: every {@code char} in one
	 * byte (U+0001 to U+007F), two or three, as {@link DataOutput#writeUTF} does, so that
	 * any string, unpaired surrogates included, reads back equal.
	 * @param value the string
	 * @return how many bytes were written
	 */
	int writeModifiedUtf8(String value) {
		int start = this.size;
		int length = value.length();
		ensureCapacity(length);
		byte[] bytes = this.bytes;
		// one pass for what is ASCII, as ids and names usually are
		int ascii = 0;
		while (ascii < length && isOneByte(value.charAt(ascii))) {
			bytes[start + ascii] = (byte) value.charAt(ascii);
			ascii++;
		}
		this.size = start + ascii;
		if (ascii < length) {
			writeModifiedUtf8(value, ascii);
		}
		return this.size - start;
	}

	private void writeModifiedUtf8(String value, int from) {
		int length = value.length();
		long encodedLength = 0;
		for (int i = from; i < length; i++) {
			char c = value.charAt(i);
			encodedLength += isOneByte(c) ? 1 : (c < 0x800) ? 2 : 3;
		}
		ensureCapacity(Math.toIntExact(encodedLength));
		byte[] bytes = this.bytes;
		int position = this.size;
		for (int i = from; i < length; i++) {
			char c = value.charAt(i);
			if (isOneByte(c)) {
				bytes[position++] = (byte) c;
			}
			else if (c < 0x800) {
				bytes[position++] = (byte) (0xC0 | (c >> 6));
				bytes[position++] = (byte) (0x80 | (c & 0x3F));
			}
			else {
				bytes[position++] = (byte) (0xE0 | (c >> 12));
				bytes[position++] = (byte) (0x80 | ((c >> 6) & 0x3F));
				bytes[position++] = (byte) (0x80 | (c & 0x3F));
			}
		}
		this.size = position;
	}

	private static boolean isOneByte(char c) {
		return c != 0 && c < 0x80;
	}

	/**
	 * How many bytes were written.
	 * @return the count
	 */
	int size() {
		return this.size;
	}

	/**
	 * A copy of what was written.
	 * @return the bytes
	 */
	byte[] toByteArray() {
		return Arrays.copyOf(this.bytes, this.size);
	}

	/**
	 * Write what was written to {@code out}.
	 * @param out where the bytes go
	 * @throws IOException if {@code out} fails
	 */
	void writeTo(DataOutput out) throws IOException {
		out.write(this.bytes, 0, this.size);
	}

	private void putShort(int position, int value) {
		this.bytes[position] = (byte) (value >>> 8);
		this.bytes[position + 1] = (byte) value;
	}

	private void ensureCapacity(int more) {
		int needed = Math.addExact(this.size, more);
		if (needed > this.bytes.length) {
			int doubled = (int) Math.min(2L * this.bytes.length, Integer.MAX_VALUE - 8);
			this.bytes = Arrays.copyOf(this.bytes, Math.max(needed, doubled));
		}
	}

}
