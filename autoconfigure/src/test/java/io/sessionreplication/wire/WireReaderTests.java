package io.sessionreplication.wire;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link WireReader}: it reads what {@link java.io.DataOutput} writes, and
 * rejects bytes that run short or are not modified UTF-8.
 */
class WireReaderTests {

	@Test
	void readsNumbersAndStringsAsDataOutputWritesThem() throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		DataOutputStream out = new DataOutputStream(bytes);
		out.writeByte(-7);
		out.writeBoolean(true);
		out.writeInt(Integer.MIN_VALUE);
		out.writeLong(-2);
		for (String string : WireWriterTests.STRINGS) {
			out.writeUTF(string);
		}

		WireReader reader = new WireReader(bytes.toByteArray());

		assertThat(reader.readByte()).isEqualTo((byte) -7);
		assertThat(reader.readBoolean()).isTrue();
		assertThat(reader.readInt()).isEqualTo(Integer.MIN_VALUE);
		assertThat(reader.readLong()).isEqualTo(-2);
		for (String string : WireWriterTests.STRINGS) {
			assertThat(reader.readString()).isEqualTo(string);
		}
		assertThat(reader.remaining()).isZero();
	}

	@Test
	void readingPastTheEndIsMalformed() {
		WireReader reader = new WireReader(new byte[] { 1, 2, 3 });

		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(reader::readInt)
			.withMessageContaining("4 bytes needed at offset 0 of 3");
		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> reader.readBytes(-1))
			.withMessageContaining("-1 bytes");
		assertThat(reader.readBytes(3)).containsExactly(1, 2, 3);
	}

	@Test
	void stringLongerThanTheBytesLeftIsMalformed() {
		WireReader reader = new WireReader(new byte[] { 0, 5, 'a', 'b' });

		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(reader::readString)
			.withMessageContaining("5 bytes needed at offset 2 of 4");
	}

	@Test
	void bytesThatAreNotModifiedUtf8AreMalformed() {
		// a lone continuation byte, a two-byte and a three-byte sequence cut short, an
		// invalid continuation, a four-byte lead
		byte[][] invalid = { { (byte) 0x80 }, { 'a', (byte) 0xc3 }, { (byte) 0xe4, (byte) 0xb8 }, { (byte) 0xc3, 'a' },
				{ (byte) 0xf0, (byte) 0x9f, (byte) 0x98, (byte) 0x80 } };

		for (byte[] bytes : invalid) {
			assertThatExceptionOfType(MalformedMessageException.class)
				.isThrownBy(() -> new WireReader(bytes).readModifiedUtf8(bytes.length))
				.withMessageContaining("modified UTF-8");
		}
	}

}
