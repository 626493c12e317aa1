package io.sessionreplication.store;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import io.sessionreplication.wire.AttributeClassFilter;
import io.sessionreplication.wire.AttributeSerializer;
import io.sessionreplication.wire.AttributeValue;
import io.sessionreplication.wire.SessionIdFingerprint;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for what a {@link LocalChange} shows of itself: the session by its id's
 * fingerprint, never the id, nor attribute or index values.
 */
class LocalChangeTests {

	@Test
	void namesTheSessionByTheFingerprintOfItsIdAndNoValue() {
		String id = "6f1c9a3e-2b7d-4c58-9e41-0d3a7b5c8f21";
		String previousId = "0b8e47d2-5a13-4f6c-8d90-7e2c1f4a3b65";
		Map<String, AttributeValue> attributes = new HashMap<>();
		attributes.put("user", new AttributeSerializer(getClass().getClassLoader(),
				AttributeClassFilter.allowing("io.sessionreplication.**"))
			.serialize("user", "alice"));
		Instant now = Instant.now();
		LocalChange change = new LocalChange(id, previousId, false, now, now, Duration.ofMinutes(30), attributes,
				Map.of("principal", "bob"));

		assertThat(change.toString()).doesNotContain(id, previousId, "alice", "bob")
			.contains(SessionIdFingerprint.of(id), SessionIdFingerprint.of(previousId), "user");
	}

}
