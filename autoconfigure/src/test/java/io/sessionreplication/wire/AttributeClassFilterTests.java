package io.sessionreplication.wire;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.net.URL;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.sessionreplication.testcluster.Canary;
import io.sessionreplication.testcluster.SeparateJvm;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContextImpl;
import org.springframework.security.core.userdetails.User;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for the {@link AttributeClassFilter} of an {@link AttributeSerializer}: what it
 * lets through by default, what it refuses when a value is set, and what it refuses when
 * bytes from another member are read: a class outside the list (whose {@code readObject}
 * must never run), a deeply nested value, an array that declares more elements than a
 * value may have; and that a JVM-wide filter ({@code jdk.serialFilter}) still rejects
 * what it rejects.
 */
class AttributeClassFilterTests {

	private final AttributeSerializer serializer = new AttributeSerializer(getClass().getClassLoader(),
			AttributeClassFilter.of(List.of(), List.of(),
					new AttributeClassFilter.Limits(100, 1_000_000, 1_000_000, 16 * 1024 * 1024)));

	@BeforeEach
	void resetCanary() {
		Canary.runs.set(0);
	}

	@Test
	void theDefaultsLetTheJdksTypesAndSpringSecuritysContextThrough() {
		SecurityContextImpl context = new SecurityContextImpl(UsernamePasswordAuthenticationToken.authenticated(
				User.withUsername("alice").password("{noop}x").roles("USER").build(), null,
				List.of(new SimpleGrantedAuthority("ROLE_USER"))));
		Map<String, Object> map = new HashMap<>(Map.of("when", Instant.EPOCH, "where", Locale.GERMANY, "who",
				UUID.nameUUIDFromBytes(new byte[] { 1 }), "count", new AtomicInteger(3)));
		List<Object> values = List.of(context, map, new ArrayList<>(List.of(1.5d, new int[] { 1, 2 })), 'c');

		for (Object value : values) {
			Object read = this.serializer.deserialize("value", this.serializer.serialize("value", value).bytes());
			assertThat(read).hasSameClassAs(value);
		}
	}

	@Test
	void aValueThatHoldsAClassOutsideTheListIsRefusedWhenItIsSet() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.serializer.serialize("cart", new ArrayList<>(List.of(new Canary()))))
			.withMessageContaining("'cart'")
			.withMessageContaining(Canary.class.getName())
			.withMessageContaining("session.replication.serialization.allowed-classes");
	}

	@Test
	void aClassOutsideTheListIsNeverInstantiatedWhenItIsRead() {
		byte[] bytes = javaSerialized(new ArrayList<>(List.of("x", new Canary())));

		assertThatExceptionOfType(UnreadableAttributeException.class)
			.isThrownBy(() -> this.serializer.deserialize("cart", bytes))
			.withMessageContaining("'cart'")
			.withMessageContaining("class " + Canary.class.getName())
			.withRootCauseInstanceOf(InvalidClassException.class);
		assertThat(Canary.runs).hasValue(0);
	}

	@Test
	void aKnownGadgetStaysRefusedWhenItsPackageIsAllowed() throws Exception {
		AttributeSerializer allowingNet = new AttributeSerializer(getClass().getClassLoader(),
				AttributeClassFilter.allowing("java.net.*"));
		URL url = new URL("http://example.invalid/");

		assertThatIllegalArgumentException().isThrownBy(() -> allowingNet.serialize("link", url))
			.withMessageContaining("java.net.URL");
		assertThatExceptionOfType(UnreadableAttributeException.class)
			.isThrownBy(() -> allowingNet.deserialize("link", javaSerialized(url)));
	}

	@Test
	void aDeniedPatternWinsOverAnAllowedOne() {
		AttributeSerializer denying = new AttributeSerializer(getClass().getClassLoader(),
				AttributeClassFilter.of(List.of("io.sessionreplication.**"), List.of(Canary.class.getName()),
						AttributeClassFilter.Limits.DEFAULTS));

		assertThatIllegalArgumentException().isThrownBy(() -> denying.serialize("canary", new Canary()));
		assertThat(denying.serialize("greeting", new Greeting("hi")).bytes()).isNotEmpty();
	}

	@Test
	void aDeeplyNestedValueFailsWithoutOverflowingTheStack() {
		List<Object> outer = new ArrayList<>();
		List<Object> inner = outer;
		for (int i = 0; i < 10_000; i++) {
			List<Object> next = new ArrayList<>();
			inner.add(next);
			inner = next;
		}
		byte[] bytes = onALargeStack(() -> javaSerialized(outer));

		assertThatExceptionOfType(UnreadableAttributeException.class)
			.isThrownBy(() -> this.serializer.deserialize("deep", bytes))
			.withMessageContaining("beyond the limits")
			.withRootCauseInstanceOf(InvalidClassException.class);
	}

	@Test
	void anArrayThatDeclaresTooManyElementsFailsBeforeAnythingIsAllocated() {
		byte[] bytes = javaSerialized(new byte[3]);
		// the declared length stands just before the three elements
		int length = bytes.length - 3 - 4;
		bytes[length] = 0x7f;
		bytes[length + 1] = (byte) 0xff;
		bytes[length + 2] = (byte) 0xff;
		bytes[length + 3] = (byte) 0xf7;

		assertThatExceptionOfType(UnreadableAttributeException.class)
			.isThrownBy(() -> this.serializer.deserialize("huge", bytes))
			.withMessageContaining("array length " + (Integer.MAX_VALUE - 8));
	}

	@Test
	void aClassThatTheJvmWideFilterRejectsStaysUnreadableWhereTheListAllowsIt() throws Exception {
		SeparateJvm.assertProbeSucceeds(JvmWideAttributeFilterProbe.class, "-Djdk.serialFilter=!java.util.ArrayList");
	}

	@Test
	void aPatternThatIsNotAClassPatternIsRefusedSayingWhy() {
		for (String pattern : List.of("!com.example.*", "maxdepth=5", "a;b", " ", "com/example/*")) {
			assertThatIllegalArgumentException().isThrownBy(() -> ClassPatterns.requirePattern(pattern))
				.withMessageContaining("not a class pattern");
		}
	}

	/**
	 * Java serialization without any filter, as a member that does not check would send.
	 */
	private static byte[] javaSerialized(Object value) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		bytes.write(0);
		try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
			out.writeObject(value);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return bytes.toByteArray();
	}

	/** Writing 10,000 nested lists takes a deeper stack than a test thread has. */
	private static byte[] onALargeStack(Supplier<byte[]> writer) {
		AtomicReference<byte[]> result = new AtomicReference<>();
		Thread thread = new Thread(null, () -> result.set(writer.get()), "large-stack", 256L * 1024 * 1024);
		thread.start();
		try {
			thread.join(30_000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		assertThat(result.get()).as("written within 30 s").isNotNull();
		return result.get();
	}

	/** A value of the test's own package, which the test allows. */
	record Greeting(String text) implements Serializable {
	}

}
