package io.sessionreplication.wire;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for what the {@link ClusterMessage}s show of themselves, in log lines and
 * assertion messages: a session by its id's fingerprint, never the id, and no attribute
 * value.
 */
class ClusterMessageTests {

	private static final String ID = "6f1c9a3e-2b7d-4c58-9e41-0d3a7b5c8f21";

	private static final String PREVIOUS_ID = "0b8e47d2-5a13-4f6c-8d90-7e2c1f4a3b65";

	private static final Instant CREATED = Instant.parse("2025-03-01T09:30:00.123Z");

	@Test
	void everyKindNamesSessionsByTheFingerprintsOfTheirIdsOnly() {
		SessionDelta delta = new SessionDelta(ID, PREVIOUS_ID, CREATED, Duration.ofMinutes(30),
				new ChangeStamp(2, "node-b"), CREATED, "node-a",
				List.of(new AttributeChange("user", new ChangeStamp(1, "node-a"),
						AttributeValue.ofBytes("alice".getBytes(StandardCharsets.UTF_8)))));
		Map<ClusterMessage, List<String>> sessionsNamed = Map.ofEntries(Map.entry(delta, List.of(ID, PREVIOUS_ID)),
				Map.entry(new SessionRemoval(ID, SessionRemoval.Reason.EXPIRED), List.of(ID)),
				Map.entry(new SessionFetch(ID), List.of(ID)), Map.entry(new CopyQuery(ID), List.of(ID)),
				Map.entry(new AccessQuery(ID), List.of(ID)),
				Map.entry(CopyReport.of(ID, delta, SessionRole.PRIMARY), List.of(ID)),
				Map.entry(new IndexReport(List.of(ID, PREVIOUS_ID)), List.of(ID, PREVIOUS_ID)),
				Map.entry(new IndexQuery("principal", "bob"), List.of()), Map.entry(new ShareComplete(), List.of()),
				Map.entry(new SenderView(42), List.of()), Map.entry(new Barrier(), List.of()),
				Map.entry(Rejection.of(Rejection.Cause.INVALID, List.of(0),
						"attribute 'user' of 2000000 bytes exceeds max-attribute-size"), List.of()),

				Map.entry(new BucketDigests(42, List.of(1L, 2L)), List.of()),
				Map.entry(new SessionDigests(42, 1024, List.of(3), Map.of(ID, 5L, PREVIOUS_ID, 0L)),
						List.of(ID, PREVIOUS_ID)));
		assertThat(sessionsNamed.keySet()).extracting(MessageKind::of).containsExactlyInAnyOrder(MessageKind.values());

		sessionsNamed.forEach((message, ids) -> {
			String shown = message.toString();
			assertThat(shown).as(shown).doesNotContain(ID, PREVIOUS_ID, "alice");
			ids.forEach((id) -> assertThat(shown).as(shown).contains(SessionIdFingerprint.of(id)));
		});
	}

	@Test
	void changeNamesItsAttributes() {
		SessionDelta delta = new SessionDelta(ID, null, CREATED, Duration.ofMinutes(30), ChangeStamp.INITIAL, CREATED,
				"node-a", List.of(new AttributeChange("cart", new ChangeStamp(1, "node-a"), null)));

		assertThat(delta).hasToString("the change of session " + SessionIdFingerprint.of(ID) + " (attributes [cart])");
	}

}
