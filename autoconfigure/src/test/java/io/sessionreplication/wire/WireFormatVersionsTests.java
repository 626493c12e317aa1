package io.sessionreplication.wire;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.sessionreplication.testcluster.SampleMessages;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Tests for the wire format versions of {@link ClusterMessageCodec}: a codec decodes
 * every format it speaks, encodes in the one it is told, and refuses the others by name.
 */
class WireFormatVersionsTests {

	private static final Instant REMEMBER_UNTIL = Instant.parse("2025-03-01T11:00:00.456Z");

	private final ClusterMessageCodec codec = new ClusterMessageCodec();

	private final ClusterMessageCodec previousRelease = new ClusterMessageCodec(MessageLimits.DEFAULTS,
			ClusterMessageCodec.OLDEST_FORMAT, ClusterMessageCodec.OLDEST_FORMAT);

	@Test
	void thisReleaseSpeaksItsFormatAndTheOneBefore() {
		assertThat(this.codec.newestFormat()).isEqualTo(ClusterMessageCodec.NEWEST_FORMAT).isEqualTo(4);
		assertThat(this.codec.oldestFormat()).isEqualTo(ClusterMessageCodec.OLDEST_FORMAT).isEqualTo(3);
	}

	@Test
	void removalKeepsUntilWhenItsSenderRemembersItInFormat4() {
		SessionRemoval removal = new SessionRemoval("session-1", SessionRemoval.Reason.RESENT, REMEMBER_UNTIL);

		byte[] payload = this.codec.encode(List.of(removal), 4, MessageTally.NONE);

		assertThat(payload[0]).isEqualTo((byte) 4);
		assertThat(this.codec.decode(payload)).containsExactly(removal);
	}

	@Test
	void removalLosesUntilWhenItsSenderRemembersItInFormat3AndTheReleaseBeforeReadsIt() {
		SessionRemoval removal = new SessionRemoval("session-1", SessionRemoval.Reason.RESENT, REMEMBER_UNTIL);

		byte[] payload = this.codec.encode(List.of(removal), 3, MessageTally.NONE);

		assertThat(payload[0]).isEqualTo((byte) 3);
		SessionRemoval withoutUntil = new SessionRemoval("session-1", SessionRemoval.Reason.RESENT);
		assertThat(this.previousRelease.decode(payload)).containsExactly(withoutUntil);
		assertThat(this.codec.decode(payload)).containsExactly(withoutUntil);
	}

	@Test
	void removalOfASessionThatNeverExpiresIsRememberedForEver() {
		SessionRemoval removal = new SessionRemoval("session-1", SessionRemoval.Reason.RESENT, Instant.MAX);

		List<ClusterMessage> decoded = this.codec.decode(this.codec.encode(List.of(removal)));

		assertThat(decoded).singleElement()
			.isInstanceOfSatisfying(SessionRemoval.class,
					(received) -> assertThat(received.rememberUntil()).isEqualTo(Instant.ofEpochMilli(Long.MAX_VALUE)));
	}

	@Test
	void everyOtherKindEncodesTheSameInBothFormats() {
		for (ClusterMessage message : SampleMessages.oneOfEachKind()) {
			if (message instanceof SessionRemoval) {
				continue;
			}
			byte[] format3 = this.codec.encode(List.of(message), 3, MessageTally.NONE);
			byte[] format4 = this.codec.encode(List.of(message), 4, MessageTally.NONE);

			assertThat(format4).as(message.getClass().getSimpleName()).startsWith(4).hasSameSizeAs(format3);
			format4[0] = 3;
			assertThat(format4).as(message.getClass().getSimpleName()).isEqualTo(format3);
		}
	}

	@Test
	void theReleaseBeforeRefusesFormat4NamingTheVersions() {
		byte[] payload = this.codec.encode(SampleMessages.oneOfEachKind());

		assertThatThrownBy(() -> this.previousRelease.decode(payload)).isInstanceOf(MalformedMessageException.class)
			.hasMessage("unexpected format version 4 (this member speaks 3 to 3)");
	}

	@Test
	void formatsOutsideTheRangeAreRefusedNamingTheVersions() {
		byte[] payload = this.codec.encode(List.of(SampleMessages.of(MessageKind.FETCH)));
		for (byte version : new byte[] { 2, 5, -1 }) {
			payload[0] = version;

			assertThatThrownBy(() -> this.codec.decode(payload)).isInstanceOf(MalformedMessageException.class)
				.hasMessage("unexpected format version " + version + " (this member speaks 3 to 4)");
		}
	}

	@Test
	void encodingInAFormatTheCodecDoesNotSpeakFails() {
		List<ClusterMessage> messages = List.of(SampleMessages.of(MessageKind.FETCH));

		assertThatIllegalArgumentException()
			.isThrownBy(() -> this.previousRelease.encode(messages, 4, MessageTally.NONE))
			.withMessage("Format 4 is not one this codec speaks, 3 to 3");
		assertThatIllegalArgumentException().isThrownBy(() -> this.codec.encodeMessages(messages, 5, MessageTally.NONE))
			.withMessage("Format 5 is not one this codec speaks, 3 to 4");
	}

	@Test
	void codecOfFormatsThisReleaseDoesNotHaveCannotBeMade() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new ClusterMessageCodec(MessageLimits.DEFAULTS, 2, ClusterMessageCodec.NEWEST_FORMAT))
			.withMessage("Formats 2 to 4 are not within the formats of this release, 3 to 4");
	}

	@Test
	void joinEncodesAgainThePartsOfAnotherFormat() {
		SessionRemoval removal = new SessionRemoval("session-1", SessionRemoval.Reason.RESENT, REMEMBER_UNTIL);
		EncodedMessages inFormat4 = this.codec.encodeMessages(List.of(removal), 4, MessageTally.NONE);
		EncodedMessages inFormat3 = this.codec.encodeMessages(List.of(SampleMessages.of(MessageKind.FETCH)), 3,
				MessageTally.NONE);

		byte[] payload = this.codec.join(List.of(inFormat4, inFormat3), 3);

		assertThat(this.previousRelease.decode(payload)).containsExactly(
				new SessionRemoval("session-1", SessionRemoval.Reason.RESENT), SampleMessages.of(MessageKind.FETCH));
		assertThat(this.codec.decode(this.codec.join(List.of(inFormat4, inFormat3), 4))).containsExactly(removal,
				SampleMessages.of(MessageKind.FETCH));
	}

	@Test
	void streamInFormat3IsReadByTheReleaseBefore() throws IOException {
		SessionRemoval removal = new SessionRemoval("session-1", SessionRemoval.Reason.RESENT, REMEMBER_UNTIL);
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		DataOutputStream out = new DataOutputStream(bytes);
		ClusterMessageCodec.StreamWriter stream = this.codec.openStream(out, 3);
		stream.write(removal);
		stream.end();

		List<ClusterMessage> read = new ArrayList<>();
		this.previousRelease.readStream(new ByteArrayInputStream(bytes.toByteArray()), read::add);

		assertThat(read).containsExactly(new SessionRemoval("session-1", SessionRemoval.Reason.RESENT));
	}

}
