package io.sessionreplication.wire;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Tests for {@link AttributeSerializer}: every value reads back equal and of the same
 * class, the common JDK types in a compact form, and bytes that are not a value fail with
 * an error naming the attribute.
 */
class AttributeSerializerTests {

	private final AttributeSerializer serializer = new AttributeSerializer(getClass().getClassLoader(),
			AttributeClassFilter.allowing("io.sessionreplication.**"));

	@Test
	void stringsIntegersLongsAndBooleansRoundTripInACompactForm() {
		List<Object> values = List.of("", "alice", "caf\u00e9 \u4e2d \ud83d\ude00 \u0000 \udc00",
				"\u00e9".repeat(WireWriter.MAX_STRING_BYTES), 0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0L,
				Long.MIN_VALUE, Long.MAX_VALUE, true, false);

		for (Object value : values) {
			assertThat(roundTrip(value)).isEqualTo(value).hasSameClassAs(value);
		}
		assertThat(this.serializer.serialize("counter", 4711).bytes()).hasSize(5);
		assertThat(this.serializer.serialize("id", 4711L).bytes()).hasSize(9);
		assertThat(this.serializer.serialize("flag", true).bytes()).hasSize(2);
		assertThat(this.serializer.serialize("user", "alice").bytes()).hasSize(6);
	}

	@Test
	void otherSerializableValuesRoundTripThroughJavaSerialization() {
		List<Object> values = List.of(new Greeting("hello"), new ArrayList<>(List.of("a", 1, 2L)), 1.5d, 'c',
				(short) 7);

		for (Object value : values) {
			assertThat(roundTrip(value)).isEqualTo(value).hasSameClassAs(value);
		}
	}

	@Test
	void serializedValueKeepsTheObjectItWasMadeFrom() {
		Greeting greeting = new Greeting("hello");

		assertThat(this.serializer.serialize("greeting", greeting).get("greeting", this.serializer)).isSameAs(greeting);
	}

	@Test
	void valueThatIsNotSerializableIsRejectedNamingTheAttributeAndTheClass() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.serializer.serialize("user", new Object()))
			.withMessageContaining("'user'")
			.withMessageContaining("java.lang.Object");
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.serializer.serialize("holder", new ArrayList<>(List.of(new Object()))))
			.withMessageContaining("'holder'")
			.withMessageContaining("java.lang.Object");
	}

	@Test
	void bytesThatAreNotAValueFailNamingTheAttributeAndAreCounted() {
		byte[] javaSerializedGreeting = this.serializer.serialize("greeting", new Greeting("hello")).bytes();
		byte[][] invalid = { {}, { 9 }, { 2, 0, 0, 1 }, { 2, 0, 0, 0, 1, 0 }, { 3, 1 }, { 4, 2 }, { 4 },
				{ 1, (byte) 0xc3 }, { 0 }, { 0, 1, 2, 3 }, copyWithFirstByte(javaSerializedGreeting, 1) };

		for (byte[] bytes : invalid) {
			assertThatIllegalStateException().isThrownBy(() -> this.serializer.deserialize("counter", bytes))
				.withMessageStartingWith("Session attribute 'counter' cannot be deserialized");
		}
		assertThat(this.serializer.getDeserializationFailures()).isEqualTo(invalid.length);
	}

	@Test
	void aValueThatCannotBeReadIsTriedOnceAndThenFailsAtOnce() {
		AttributeValue corrupt = AttributeValue.ofBytes(new byte[] { 0, 1, 2, 3 });

		UnreadableAttributeException first = catchThrowableOfType(UnreadableAttributeException.class,
				() -> corrupt.get("cart", this.serializer));
		UnreadableAttributeException second = catchThrowableOfType(UnreadableAttributeException.class,
				() -> corrupt.get("cart", this.serializer));

		assertThat(first.getAttributeName()).isEqualTo("cart");
		assertThat(second).isSameAs(first);
		assertThat(this.serializer.getDeserializationFailures()).isOne();
	}

	@Test
	void aReadObjectThatOverflowsTheStackIsAnUnreadableValue() {
		byte[] bytes = this.serializer.serialize("deep", new Overflowing()).bytes();

		assertThatExceptionOfType(UnreadableAttributeException.class)
			.isThrownBy(() -> this.serializer.deserialize("deep", bytes))
			.withMessageContaining("'deep'")
			.withCauseInstanceOf(StackOverflowError.class);
	}

	private Object roundTrip(Object value) {
		return this.serializer.deserialize("attribute", this.serializer.serialize("attribute", value).bytes());
	}

	private static byte[] copyWithFirstByte(byte[] bytes, int first) {
		byte[] copy = bytes.clone();
		copy[0] = (byte) first;
		return copy;
	}

	record Greeting(String text) implements Serializable {
	}

	/** Its {@code readObject} recurses until the stack overflows. */
	static final class Overflowing implements Serializable {

		private static final long serialVersionUID = 1L;

		private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
			in.defaultReadObject();
			recurse(0);
		}

		private static int recurse(int depth) {
			return recurse(depth + 1) + 1;
		}

	}

}
