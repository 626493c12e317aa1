package io.sessionreplication.wire;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for the checks of {@link ClusterMessageCodec} on values that no honest member
 * sends ({@link MessageValidator}): a message that breaks them is rejected alone, and the
 * rest of its payload is delivered.
 */
class MessageValidationTests {

	private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");

	private static final Duration SKEW = Duration.ofMinutes(5);

	private final ClusterMessageCodec codec = new ClusterMessageCodec(
			new MessageLimits(100, 250, SKEW, Clock.fixed(NOW, ZoneOffset.UTC)));

	@Test
	void forgedVersionIsRejectedAloneAndTheRestOfItsPayloadIsDelivered() {
		SessionDelta honest = delta("session-1", NOW, attribute("user", 3, 10));
		SessionDelta forged = delta("session-2", NOW, attribute("user", ChangeStamp.MAX_VERSION + 1, 10));
		SessionRemoval removal = new SessionRemoval("session-3", SessionRemoval.Reason.INVALIDATED);

		DecodedPayload decoded = decode(List.of(honest, forged, removal));

		assertThat(decoded.messages()).hasSize(2);
		assertThat(decoded.messages().get(0)).isInstanceOf(SessionDelta.class);
		assertThat(decoded.messages().get(1)).isEqualTo(removal);
		assertThat(decoded.positions()).containsExactly(0, 2);
		assertThat(decoded.positionOf(1)).isEqualTo(2);
		assertThat(decoded.rejection().cause()).isEqualTo(Rejection.Cause.INVALID);
		assertThat(decoded.rejection().positions()).containsExactly(1);
		assertThat(decoded.rejection().reason())
			.isEqualTo("version 9007199254740992 of the attribute 'user' is outside 0.." + ChangeStamp.MAX_VERSION);
	}

	@Test
	void versionsThatWouldOverflowAreRejectedInEveryStampedField() {
		assertRejected(delta("session-1", NOW, attribute("user", Long.MAX_VALUE, 10)), "of the attribute 'user'");
		assertRejected(delta("session-1", NOW, attribute("user", -5, 10)), "version -5 of the attribute 'user'");
		assertRejected(
				new SessionDelta("session-1", null, NOW, Duration.ofMinutes(30),
						new ChangeStamp(Long.MAX_VALUE, "node-a"), NOW, "node-a", List.of()),
				"of the max inactive interval");
		assertRejected(new SessionDelta("session-1", null, NOW, Duration.ofMinutes(30), ChangeStamp.INITIAL, NOW,
				"node-a", List.of(),
				new SessionIndexes(java.util.Map.of("principal", "alice"), new ChangeStamp(-1, "node-a")),
				Coverage.CHANGES, false), "version -1 of the index values");
	}

	@Test
	void versionTimesUpToTheClockSkewAheadAreAcceptedAndFurtherAheadRejected() {
		long latest = NOW.plus(SKEW).toEpochMilli();
		assertAccepted(delta("session-1", NOW, attribute("user", (latest << ChangeStamp.LOGICAL_BITS) + 511, 10)));
		assertRejected(delta("session-1", NOW, attribute("user", (latest + 1) << ChangeStamp.LOGICAL_BITS, 10)),
				"version time of the attribute 'user' " + Instant.ofEpochMilli(latest + 1) + " is more than " + SKEW
						+ " (max-clock-skew) ahead");
		assertRejected(delta("session-1", NOW, attribute("user", ChangeStamp.MAX_VERSION, 10)),
				"version time of the attribute 'user'");
	}

	@Test
	void highestVersionHasNoNext() {
		ChangeStamp highest = new ChangeStamp(ChangeStamp.MAX_VERSION, "node-a");

		assertThatIllegalStateException().isThrownBy(() -> highest.next("node-b"))
			.withMessageContaining("highest version");
		assertThat(new ChangeStamp(ChangeStamp.MAX_VERSION - 1, "node-a").next("node-b").version())
			.isEqualTo(ChangeStamp.MAX_VERSION);
	}

	@Test
	void timesUpToTheClockSkewAheadAreAcceptedAndFurtherAheadRejected() {
		assertAccepted(delta("session-1", NOW.plus(SKEW), attribute("user", 1, 10)));
		assertRejected(delta("session-1", NOW.plus(SKEW).plusMillis(1), attribute("user", 1, 10)),
				"creation time 2026-12-04T12:05:00.001Z is more than PT5M (max-clock-skew) ahead");
		assertRejected(new SessionDelta("session-1", null, NOW, Duration.ofMinutes(30), ChangeStamp.INITIAL,
				Instant.ofEpochMilli(Long.MAX_VALUE), "node-a", List.of()), "last access time");
	}

	@Test
	void timesBefore1970AreRejected() {
		assertRejected(delta("session-1", Instant.ofEpochMilli(-1), attribute("user", 1, 10)),
				"creation time 1969-12-31T23:59:59.999Z is before 1970");
	}

	@Test
	void attributeLargerThanTheLimitIsRejected() {
		assertAccepted(delta("session-1", NOW, attribute("small", 1, 100)));
		assertRejected(delta("session-1", NOW, attribute("large", 1, 101)),
				"attribute 'large' of 101 bytes exceeds max-attribute-size (100 bytes)");
	}

	@Test
	void attributesLargerTogetherThanTheSessionLimitAreRejected() {
		assertAccepted(delta("session-1", NOW, attribute("a", 1, 100), attribute("b", 1, 100), attribute("c", 1, 50)));
		assertRejected(delta("session-1", NOW, attribute("a", 1, 100), attribute("b", 1, 100), attribute("c", 1, 51)),
				"attribute values of 251 bytes exceed max-session-size (250 bytes)");
	}

	@Test
	void strictDecodeRejectsAPayloadWithARejectedMessage() {
		byte[] payload = this.codec.encode(List.of(delta("session-1", Instant.ofEpochMilli(-1))));

		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> this.codec.decode(payload))
			.withMessageContaining("before 1970");
	}

	@Test
	void streamDeliversTheSessionsAroundARejectedOne() throws IOException {
		SessionDelta forged = delta("session-2", NOW.plus(Duration.ofDays(365)));
		List<ClusterMessage> read = new ArrayList<>();
		List<Rejection> rejected = new ArrayList<>();

		this.codec.readStream(
				new ByteArrayInputStream(stream(delta("session-1", NOW), forged, delta("session-3", NOW))), read::add,
				rejected::add);

		assertThat(read).extracting((message) -> ((SessionDelta) message).sessionId())
			.containsExactly("session-1", "session-3");
		assertThat(rejected).singleElement().satisfies((rejection) -> {
			assertThat(rejection.positions()).containsExactly(1);
			assertThat(rejection.reason()).contains("creation time").doesNotContain("session-2");
		});
	}

	@Test
	void rejectionReasonIsCutAndFreeOfControlCharacters() {
		Rejection rejection = Rejection.of(Rejection.Cause.INVALID, List.of(0),
				"line\nbreak\u001b[31m" + "x".repeat(500));

		assertThat(rejection.reason()).hasSize(Rejection.MAX_REASON).startsWith("line?break?[31m");
	}

	private DecodedPayload decode(List<ClusterMessage> messages) {
		return this.codec.decodePayload(this.codec.encode(messages), MessageTally.NONE);
	}

	private void assertAccepted(SessionDelta delta) {
		DecodedPayload decoded = decode(List.of(delta, delta));
		assertThat(decoded.positionOf(1)).isOne();
		decoded = decode(List.of(delta));

		assertThat(decoded.rejection()).isNull();
		assertThat(decoded.messages()).hasSize(1);
	}

	private void assertRejected(SessionDelta delta, String reason) {
		DecodedPayload decoded = decode(List.of(delta));

		assertThat(decoded.messages()).isEmpty();
		assertThat(decoded.rejection()).isNotNull();
		assertThat(decoded.rejection().reason()).contains(reason).doesNotContain(delta.sessionId());
	}

	private byte[] stream(ClusterMessage... messages) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		DataOutputStream out = new DataOutputStream(bytes);
		ClusterMessageCodec.StreamWriter stream = this.codec.openStream(out, ClusterMessageCodec.NEWEST_FORMAT);
		for (ClusterMessage message : messages) {
			stream.write(message);
		}
		stream.end();
		return bytes.toByteArray();
	}

	private static SessionDelta delta(String id, Instant created, AttributeChange... attributes) {
		return new SessionDelta(id, null, created, Duration.ofMinutes(30), ChangeStamp.INITIAL, created, "node-a",
				List.of(attributes));
	}

	private static AttributeChange attribute(String name, long version, int size) {
		return new AttributeChange(name, new ChangeStamp(version, "node-a"), AttributeValue.ofBytes(new byte[size]));
	}

}
