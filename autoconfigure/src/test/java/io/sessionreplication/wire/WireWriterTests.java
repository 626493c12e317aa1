package io.sessionreplication.wire;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link WireWriter}: it writes what {@link java.io.DataOutput} writes, byte
 * for byte, and grows as needed.
 */
class WireWriterTests {

	/** ASCII, Latin-1, CJK, a surrogate pair, NUL and an unpaired surrogate. */
	static final List<String> STRINGS = List.of("", "session-1", "caf\u00e9", "\u4e2d\u6587", "smile \ud83d\ude00",
			"nul \u0000 inside", "lone \udc00 surrogate", "x".repeat(WireWriter.MAX_STRING_BYTES));

	@Test
	void writesNumbersAndStringsAsDataOutputDoes() throws IOException {
		WireWriter writer = new WireWriter(1);
		ByteArrayOutputStream expected = new ByteArrayOutputStream();
		DataOutputStream out = new DataOutputStream(expected);

		for (long number : new long[] { 0, 1, -1, 255, 65_536, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE }) {
			writer.writeByte((int) number);
			out.writeByte((int) number);
			writer.writeBoolean(number > 0);
			out.writeBoolean(number > 0);
			writer.writeInt((int) number);
			out.writeInt((int) number);
			writer.writeLong(number);
			out.writeLong(number);
		}
		for (String string : STRINGS) {
			writer.writeString(string);
			out.writeUTF(string);
		}

		assertThat(writer.toByteArray()).isEqualTo(expected.toByteArray());
		assertThat(writer.size()).isEqualTo(expected.size());
	}

	@Test
	void writesModifiedUtf8OfAnyLengthWithoutALength() throws IOException {
		String string = "\u00e9\u4e2d".repeat(WireWriter.MAX_STRING_BYTES);
		WireWriter writer = new WireWriter(16);

		int length = writer.writeModifiedUtf8(string);

		assertThat(length).isEqualTo(5 * WireWriter.MAX_STRING_BYTES);
		assertThat(new WireReader(writer.toByteArray()).readModifiedUtf8(length)).isEqualTo(string);
	}

	@Test
	void stringLongerThanTheWireFormatAllowsIsRejectedAndNothingIsWritten() {
		WireWriter writer = new WireWriter(16);
		writer.writeByte(7);

		assertThatIllegalArgumentException()
			.isThrownBy(() -> writer.writeString("\u00e9".repeat(WireWriter.MAX_STRING_BYTES / 2 + 1)))
			.withMessageContaining("65536 bytes");
		assertThat(writer.toByteArray()).containsExactly(7);
	}

}
