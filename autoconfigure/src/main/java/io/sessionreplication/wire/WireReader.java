package io.sessionreplication.wire;

import java.io.DataInput;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads the fields that {@link WireWriter} writes, from a byte array: numbers big-endian
 * and strings in modified UTF-8, as {@link DataInput} reads them, but without a stream
 * underneath.
 * <p>
 * It trusts nothing: a field that runs past the end of the array, or a string that is not
 * valid modified UTF-8, fails with a {@link MalformedMessageException} that says where,
 * and no length read from the bytes makes it allocate more than the array holds. Not
 * thread-safe.
 */
final class WireReader {

	private final byte[] bytes;

	private int position;

	/**
	 * Create a reader of the whole array, from its first byte.
	 * @param bytes the bytes to read, which the caller does not modify meanwhile
	 */
	WireReader(byte[] bytes) {
		this.bytes = bytes;
	}

	byte readByte() {
		require(1);
		return this.bytes[this.position++];
	}

	boolean readBoolean() {
		return readByte() != 0;
	}

	int readInt() {
		require(4);
		byte[] bytes = this.bytes;
		int position = this.position;
		this.position = position + 4;
		return (bytes[position] << 24) | ((bytes[position + 1] & 0xFF) << 16) | ((bytes[position + 2] & 0xFF) << 8)
				| (bytes[position + 3] & 0xFF);
	}

	long readLong() {
		return ((long) readInt() << 32) | (readInt() & 0xFFFFFFFFL);
	}

	/**
	 * Read a string written by {@link WireWriter#writeString}, or by
	 * {@link java.io.DataOutput#writeUTF}.
	 * @return the string
	 */
	String readString() {
		require(2);
		int length = ((this.bytes[this.position] & 0xFF) << 8) | (this.bytes[this.position + 1] & 0xFF);
		this.position += 2;
		return readModifiedUtf8(length);
	}

	/**
	 * Read a string written by {@link WireWriter#writeModifiedUtf8}.
	 * @param length how many bytes its encoding takes
	 * @return the string
	 */
	String readModifiedUtf8(int length) {
		require(length);
		int start = this.position;
		int end = start + length;
		int ascii = start;
		while (ascii < end && this.bytes[ascii] >= 0) {
			ascii++;
		}
		String value = (ascii == end) ? new String(this.bytes, start, length, StandardCharsets.ISO_8859_1)
				: decodeModifiedUtf8(start, end);
		this.position = end;
		return value;
	}

	private String decodeModifiedUtf8(int start, int end) {
		char[] chars = new char[end - start];
		int count = 0;
		int position = start;
		while (position < end) {
			int first = this.bytes[position] & 0xFF;
			if (first < 0x80) {
				chars[count++] = (char) first;
				position++;
			}
			else if ((first & 0xE0) == 0xC0) {
				chars[count++] = (char) (((first & 0x1F) << 6) | continuation(position + 1, end));
				position += 2;
			}
			else if ((first & 0xF0) == 0xE0) {
				chars[count++] = (char) (((first & 0x0F) << 12) | (continuation(position + 1, end) << 6)
						| continuation(position + 2, end));
				position += 3;
			}
			else {
				throw invalidString(position);
			}
		}
		return new String(chars, 0, count);
	}

	private int continuation(int position, int end) {
		if (position >= end || (this.bytes[position] & 0xC0) != 0x80) {
			throw invalidString(position);
		}
		return this.bytes[position] & 0x3F;
	}

	private MalformedMessageException invalidString(int position) {
		return new MalformedMessageException("unexpected byte in a modified UTF-8 string at offset " + position);
	}

	/**
	 * Read the next {@code length} bytes.
	 * @param length how many
	 * @return a copy of them
	 */
	byte[] readBytes(int length) {
		require(length);
		byte[] copy = Arrays.copyOfRange(this.bytes, this.position, this.position + length);
		this.position += length;
		return copy;
	}

	/**
	 * How many bytes are left to read.
	 * @return the count
	 */
	int remaining() {
		return this.bytes.length - this.position;
	}

	private void require(int count) {
		if (count < 0 || count > remaining()) {
			throw new MalformedMessageException("truncated or corrupt: " + count + " bytes needed at offset "
					+ this.position + " of " + this.bytes.length);
		}
	}

}
