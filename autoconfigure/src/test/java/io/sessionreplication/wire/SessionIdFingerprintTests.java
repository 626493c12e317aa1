package io.sessionreplication.wire;

import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SessionIdFingerprint}: short, the same wherever and whenever it is
 * computed, different for different ids, and never a part of the id.
 */
class SessionIdFingerprintTests {

	/** Fixed ids, so that a collision cannot make a test fail now and then. */
	private static final List<String> IDS = IntStream.range(0, 1000)
		.mapToObj((i) -> new UUID(i * 0x9E3779B97F4A7C15L, ~i).toString())
		.toList();

	@Test
	void isTheFirstEightHexDigitsOfTheSha256OfTheUtf8Bytes() {
		// printf '%s' 6f1c9a3e-... | sha256sum
		assertThat(SessionIdFingerprint.of("6f1c9a3e-2b7d-4c58-9e41-0d3a7b5c8f21")).isEqualTo("ae0afaeb");
		// printf 'caf\xc3\xa9-session' | sha256sum
		assertThat(SessionIdFingerprint.of("caf\u00e9-session")).isEqualTo("f31ec18a");
	}

	@Test
	void isTheSameEveryTime() {
		assertThat(IDS).allSatisfy((id) -> assertThat(SessionIdFingerprint.of(id))
			.isEqualTo(SessionIdFingerprint.of(new String(id.toCharArray()))));
	}

	@Test
	void isEightLowerCaseHexDigits() {
		assertThat(IDS).allSatisfy((id) -> {
			String fingerprint = SessionIdFingerprint.of(id);
			assertThat(fingerprint).matches("[0-9a-f]{8}");
			assertThat(SessionIdFingerprint.hasShape(fingerprint)).isTrue();
		});
	}

	@Test
	void differsForDifferentIds() {
		assertThat(IDS.stream().map(SessionIdFingerprint::of).distinct()).hasSameSizeAs(IDS);
	}

	@Test
	void isNoPartOfTheIdNorTheIdOfIt() {
		assertThat(IDS).allSatisfy((id) -> {
			String fingerprint = SessionIdFingerprint.of(id);
			assertThat(id).doesNotContain(fingerprint);
			assertThat(fingerprint).doesNotContain(id);
			assertThat(id.replace("-", "")).doesNotContain(fingerprint);
		});
	}

	@Test
	void shapeIsEightLowerCaseHexDigits() {
		assertThat(SessionIdFingerprint.hasShape("0123abcd")).isTrue();
		assertThat(SessionIdFingerprint.hasShape("0123ABCD")).isFalse();
		assertThat(SessionIdFingerprint.hasShape("0123abc")).isFalse();
		assertThat(SessionIdFingerprint.hasShape("0123abcde")).isFalse();
		assertThat(SessionIdFingerprint.hasShape("0123abcg")).isFalse();
		assertThat(SessionIdFingerprint.hasShape(IDS.get(0))).isFalse();
	}

}
