package io.sessionreplication.testcluster;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sessionreplication.wire.AccessQuery;
import io.sessionreplication.wire.AttributeChange;
import io.sessionreplication.wire.AttributeValue;
import io.sessionreplication.wire.Barrier;
import io.sessionreplication.wire.BucketDigests;
import io.sessionreplication.wire.ChangeStamp;
import io.sessionreplication.wire.ClusterMessage;
import io.sessionreplication.wire.ClusterMessageCodec;
import io.sessionreplication.wire.CopyQuery;
import io.sessionreplication.wire.CopyReport;
import io.sessionreplication.wire.Coverage;
import io.sessionreplication.wire.IndexQuery;
import io.sessionreplication.wire.IndexReport;
import io.sessionreplication.wire.Rejection;
import io.sessionreplication.wire.MessageKind;
import io.sessionreplication.wire.SenderView;
import io.sessionreplication.wire.SessionDelta;
import io.sessionreplication.wire.SessionDigests;
import io.sessionreplication.wire.SessionFetch;
import io.sessionreplication.wire.SessionIndexes;
import io.sessionreplication.wire.SessionRemoval;
import io.sessionreplication.wire.SessionRole;
import io.sessionreplication.wire.ShareComplete;

import org.springframework.session.FindByIndexNameSessionRepository;

/**
 * One valid message of every {@link MessageKind}, each with every optional field it can
 * carry, and what tests of the wire format do with messages: compare them by value and
 * write them as a state-transfer stream. A new kind does not compile here until it has a
 * sample, so that every test built on {@link #oneOfEachKind()} covers it.
 */
public final class SampleMessages {

	/** The creation time of the sample sessions. */
	public static final Instant CREATED = Instant.parse("2025-03-01T09:30:00.123Z");

	private SampleMessages() {
	}

	/**
	 * A valid message of a kind.
	 * @param kind the kind
	 * @return the message, the same for every call
	 */
	public static ClusterMessage of(MessageKind kind) {
		return switch (kind) {
			case DELTA -> new SessionDelta("session-2", "session-1", CREATED, Duration.ofMinutes(30),
					new ChangeStamp(2, "node-b"), CREATED.plusSeconds(5), "n\u00f6de-a",
					List.of(set("user", 3, "node-a", "alice"), removal("cart", 2, "node-b")),
					new SessionIndexes(Map.of(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, "alice"),
							new ChangeStamp(1, "node-a")),
					Coverage.CURRENT_COPY, true);
			case REMOVAL -> new SessionRemoval("session-3", SessionRemoval.Reason.EXPIRED, CREATED.plusSeconds(3600));
			case FETCH -> new SessionFetch("session-4");
			case SHARE_COMPLETE -> new ShareComplete();
			case SENDER_VIEW -> new SenderView(0x0123456789abcdefL);
			case BARRIER -> new Barrier();
			case COPY_QUERY -> new CopyQuery("session-2");
			case COPY_REPORT ->
				new CopyReport("session-2", true, SessionRole.BACKUP, Coverage.STALE_COPY, "0123456789abcdef01234567");
			case INDEX_QUERY -> new IndexQuery("tenant", "caf\u00e9-\u4e2d");
			case INDEX_REPORT -> new IndexReport(List.of("session-2", "session-5"));
			case REJECTION -> Rejection.of(Rejection.Cause.INVALID, List.of(0, 2),
					"version 9007199254740992 of the attribute 'caf\u00e9' is outside");
			case ACCESS_QUERY -> new AccessQuery("session-2");
			case BUCKET_DIGESTS -> new BucketDigests(0x0123456789abcdefL, List.of(-1L, 0L, 0x7edcba9876543210L));
			case SESSION_DIGESTS -> new SessionDigests(0x0123456789abcdefL, 1024, List.of(0, 7, 1023),
					digests("session-3", 0L, "session-2", 0x5a5a5a5a5a5a5a5aL));
		};
	}

	/**
	 * Two digests in the order given, the order of the committed wire corpus.
	 */
	private static Map<String, Long> digests(String firstId, long first, String secondId, long second) {
		Map<String, Long> digests = new LinkedHashMap<>();
		digests.put(firstId, first);
		digests.put(secondId, second);
		return digests;
	}

	/**
	 * A valid message of every kind, in the order of the kinds.
	 * @return the messages
	 */
	public static List<ClusterMessage> oneOfEachKind() {
		return Arrays.stream(MessageKind.values()).map(SampleMessages::of).toList();
	}

	/**
	 * A change that sets an attribute to a string's UTF-8 bytes.
	 * @param name the attribute name
	 * @param version the version of the change
	 * @param origin the member that made it
	 * @param value the string
	 * @return the change
	 */
	public static AttributeChange set(String name, long version, String origin, String value) {
		return new AttributeChange(name, new ChangeStamp(version, origin),
				AttributeValue.ofBytes(value.getBytes(StandardCharsets.UTF_8)));
	}

	/**
	 * A change that removes an attribute.
	 * @param name the attribute name
	 * @param version the version of the change
	 * @param origin the member that made it
	 * @return the change
	 */
	public static AttributeChange removal(String name, long version, String origin) {
		return new AttributeChange(name, new ChangeStamp(version, origin), null);
	}

	/**
	 * Messages in a form that compares by value: an {@link AttributeValue} compares by
	 * identity, so a delta is compared through its fields and its values' bytes.
	 * @param messages the messages
	 * @return objects equal to those of equal messages
	 */
	public static List<Object> comparable(List<? extends ClusterMessage> messages) {
		return messages.stream()
			.map((message) -> (message instanceof SessionDelta delta) ? Delta.of(delta) : message)
			.toList();
	}

	/**
	 * Messages as a state transfer sends them: a stream header, each message after its
	 * length, the end marker.
	 * @param messages the messages
	 * @return the bytes of the stream
	 */
	public static byte[] stream(List<? extends ClusterMessage> messages) {
		ClusterMessageCodec codec = new ClusterMessageCodec();
		try {
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			DataOutputStream out = new DataOutputStream(bytes);
			ClusterMessageCodec.StreamWriter stream = codec.openStream(out, ClusterMessageCodec.NEWEST_FORMAT);
			for (ClusterMessage message : messages) {
				stream.write(message);
			}
			stream.end();
			out.flush();
			return bytes.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/** A {@link SessionDelta} that compares by value. */
	record Delta(String sessionId, String previousId, Instant creationTime, Duration maxInactiveInterval,
			ChangeStamp maxInactiveStamp, Instant lastAccessedTime, String lastAccessedBy, List<Attribute> attributes,
			SessionIndexes indexes, Coverage coverage, boolean created) {

		static Delta of(SessionDelta delta) {
			return new Delta(delta.sessionId(), delta.previousId(), delta.creationTime(), delta.maxInactiveInterval(),
					delta.maxInactiveStamp(), delta.lastAccessedTime(), delta.lastAccessedBy(),
					delta.attributes().stream().map(Attribute::of).toList(), delta.indexes(), delta.coverage(),
					delta.created());
		}

	}

	/** An {@link AttributeChange} that compares by value. */
	record Attribute(String name, ChangeStamp stamp, ByteBuffer value) {

		static Attribute of(AttributeChange change) {
			return new Attribute(change.name(), change.stamp(),
					change.isRemoval() ? null : ByteBuffer.wrap(change.value().bytes()));
		}

	}

}
