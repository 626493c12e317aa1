package io.sessionreplication.wire;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import com.sun.management.ThreadMXBean;
import org.assertj.core.api.AbstractThrowableAssert;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.session.FindByIndexNameSessionRepository;

import static io.sessionreplication.testcluster.SampleMessages.CREATED;
import static io.sessionreplication.testcluster.SampleMessages.comparable;
import static io.sessionreplication.testcluster.SampleMessages.removal;
import static io.sessionreplication.testcluster.SampleMessages.set;
import static io.sessionreplication.testcluster.SampleMessages.stream;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link ClusterMessageCodec}: what is encoded decodes to the same messages,
 * and hostile bytes fail with a {@link MalformedMessageException}, cheaply.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClusterMessageCodecTests {

	/** Far more than decoding a few hundred bytes needs, far less than a forged size. */
	private static final long MAX_ALLOCATION = 16 * 1024 * 1024;

	private final ClusterMessageCodec codec = new ClusterMessageCodec();

	@Test
	void deltaRoundTrips() {
		assertRoundTrip(List.of(delta("session-1", null, set("user", 1, "node-a", "alice"))));
	}

	@Test
	void deltaWithPreviousIdRoundTrips() {
		SessionDelta delta = delta("session-2", "session-1", set("user", 3, "node-b", "alice"));

		List<ClusterMessage> decoded = assertRoundTrip(List.of(delta));

		assertThat(decoded).singleElement()
			.isInstanceOfSatisfying(SessionDelta.class,
					(decodedDelta) -> assertThat(decodedDelta.previousId()).isEqualTo("session-1"));
	}

	@Test
	void removalOfAnAttributeRoundTrips() {
		List<ClusterMessage> decoded = assertRoundTrip(
				List.of(delta("session-1", null, removal("cart", 4, "node-c"), set("user", 1, "node-a", "alice"))));

		assertThat(decoded).singleElement()
			.isInstanceOfSatisfying(SessionDelta.class,
					(delta) -> assertThat(delta.attributes())
						.extracting(AttributeChange::name, AttributeChange::isRemoval)
						.containsExactly(tuple("cart", true), tuple("user", false)));
	}

	@Test
	void deltaWithManyAttributesRoundTrips() {
		List<AttributeChange> attributes = new ArrayList<>();
		for (int i = 0; i < 2000; i++) {
			attributes.add((i % 7 == 0) ? removal("attribute-" + i, i, "node-b")
					: set("attribute-" + i, i, "node-a", "value-" + i));
		}

		assertRoundTrip(List.of(delta("session-1", null, attributes.toArray(AttributeChange[]::new))));
	}

	@Test
	void deltaWithoutAttributesRoundTrips() {
		assertRoundTrip(List.of(delta("session-1", null)));
	}

	@Test
	void largeValueRoundTrips() {
		byte[] large = new byte[1024 * 1024];
		new Random(42).nextBytes(large);
		AttributeChange change = new AttributeChange("large", new ChangeStamp(1, "node-a"),
				AttributeValue.ofBytes(large));

		List<ClusterMessage> decoded = assertRoundTrip(List.of(delta("session-1", null, change)));

		assertThat(decoded).singleElement()
			.isInstanceOfSatisfying(SessionDelta.class,
					(delta) -> assertThat(delta.attributes().get(0).value().bytes()).isEqualTo(large));
	}

	@Test
	void sessionThatNeverExpiresRoundTrips() {
		SessionDelta delta = new SessionDelta("session-1", null, CREATED, Duration.ofSeconds(-1),
				new ChangeStamp(1, "node-a"), CREATED, "node-a", List.of());

		assertRoundTrip(List.of(delta));
	}

	@Test
	void everyKindOfMessageRoundTripsInOneBatch() {
		SessionDelta whole = new SessionDelta("session-6", null, CREATED, Duration.ofMinutes(30), ChangeStamp.INITIAL,
				CREATED, "node-a", List.of(set("user", 1, "node-a", "bob")), Coverage.STALE_COPY);
		List<ClusterMessage> batch = List.of(delta("session-1", null, set("user", 1, "node-a", "alice")),
				new SessionRemoval("session-2", SessionRemoval.Reason.INVALIDATED),
				delta("session-3", "session-4", removal("cart", 2, "node-b")),
				new SessionRemoval("session-5", SessionRemoval.Reason.EXPIRED), whole, new SessionFetch("session-7"),
				new ShareComplete(), new SenderView(42), new Barrier(),
				Rejection.of(Rejection.Cause.REMOVED, List.of(1, 3), "the session is removed"),
				Rejection.malformed("unexpected removal reason 42"));

		List<ClusterMessage> decoded = assertRoundTrip(batch);

		assertThat(decoded).hasSize(11);
		assertThat(decoded.get(4)).isInstanceOfSatisfying(SessionDelta.class,
				(delta) -> assertThat(delta.coverage()).isEqualTo(Coverage.STALE_COPY));
	}

	@Test
	void newSessionWithIndexesRoundTrips() {
		SessionDelta created = new SessionDelta("session-1", null, CREATED, Duration.ofMinutes(30), ChangeStamp.INITIAL,
				CREATED, "node-a", List.of(set("user", 1, "node-a", "alice")),
				new SessionIndexes(
						Map.of(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME, "alice", "tenant", "acme"),
						new ChangeStamp(1, "node-a")),
				Coverage.CURRENT_COPY, true);

		List<ClusterMessage> decoded = assertRoundTrip(List.of(created));

		assertThat(decoded).singleElement().isInstanceOfSatisfying(SessionDelta.class, (delta) -> {
			assertThat(delta.created()).isTrue();
			assertThat(delta.indexes()).isEqualTo(created.indexes());
		});
	}

	@Test
	void indexQueryAndReportRoundTrip() {
		List<ClusterMessage> batch = List.of(new IndexQuery("principal", "alice"),
				new IndexReport(List.of("session-1", "session-2")), new IndexReport(List.of()),
				new SessionRemoval("session-3", SessionRemoval.Reason.RENAMED),
				new SessionRemoval("session-4", SessionRemoval.Reason.RESENT));

		assertThat(assertRoundTrip(batch)).isEqualTo(batch);
	}

	@Test
	void hugeIndexReportCountIsMalformed() {
		assertMalformed(new Bytes().version().count(1).kind(10).integer(1000).utf("session-1").toArray())
			.hasMessageContaining("session id count 1000");
	}

	@Test
	void indexNamedTwiceIsMalformed() {
		byte[] payload = new Bytes().version()
			.count(1)
			.kind(1)
			.deltaHeader("session-1", 0)
			.stamp(1, "node-a")
			.integer(2)
			.utf("tenant")
			.utf("acme")
			.utf("tenant")
			.utf("other")
			.raw(0, 0)
			.toArray();

		assertMalformed(payload).hasMessageContaining("index name given twice");
	}

	@Test
	void hugeIndexCountIsMalformed() {
		byte[] payload = new Bytes().version()
			.count(1)
			.kind(1)
			.deltaHeader("session-1", 0)
			.stamp(1, "node-a")
			.integer(Integer.MAX_VALUE)
			.raw(0, 0)
			.toArray();

		assertMalformed(payload).hasMessageContaining("index count");
	}

	@Test
	void digestsOfBucketsAndSessionsRoundTrip() {
		List<ClusterMessage> batch = List.of(new BucketDigests(-7, List.of(Long.MIN_VALUE, 0L, Long.MAX_VALUE)),
				new SessionDigests(-7, 1024, List.of(0, 1023), Map.of("session-1", 3L, "session-2", 0L)),
				new SessionDigests(0, 0, List.of(), Map.of()));

		assertThat(assertRoundTrip(batch)).isEqualTo(batch);
	}

	@Test
	void hugeBucketDigestCountIsMalformed() {
		assertMalformed(new Bytes().version().count(1).kind(30).longValue(0).integer(1000).longValue(1).toArray())
			.hasMessageContaining("bucket count 1000");
	}

	@Test
	void bucketOutsideTheBucketCountIsMalformed() {
		assertMalformed(new Bytes().version().count(1).sessionDigests(1024, 1024).integer(0).toArray())
			.hasMessageContaining("bucket 1024");
	}

	@Test
	void hugeSessionDigestCountIsMalformed() {
		assertMalformed(
				new Bytes().version().count(1).sessionDigests(0).integer(1000).utf("session-1").longValue(1).toArray())
			.hasMessageContaining("session count 1000");
	}

	@Test
	void sessionDigestGivenTwiceIsMalformed() {
		assertMalformed(new Bytes().version()
			.count(1)
			.sessionDigests(0)
			.integer(2)
			.utf("session-1")
			.longValue(1)
			.utf("session-1")
			.longValue(2)
			.toArray()).hasMessageContaining("session id given twice");
	}

	@Test
	void unknownCoverageIsRejected() {
		byte[] payload = this.codec.encode(List.of(delta("session-1", null)));
		// the coverage, before the created flag
		payload[payload.length - 2] = 9;

		assertThatExceptionOfType(MalformedMessageException.class).isThrownBy(() -> this.codec.decode(payload))
			.withMessageContaining("coverage 9");
	}

	@Test
	void streamRoundTrips() throws IOException {
		List<ClusterMessage> messages = validMessages();
		List<ClusterMessage> read = new ArrayList<>();

		this.codec.readStream(new ByteArrayInputStream(stream(messages)), read::add);

		assertThat(comparable(read)).isEqualTo(comparable(messages));
	}

	@Test
	void emptyStreamRoundTrips() throws IOException {
		List<ClusterMessage> read = new ArrayList<>();

		this.codec.readStream(new ByteArrayInputStream(stream(List.of())), read::add);

		assertThat(read).isEmpty();
	}

	@Test
	void streamStopsReadingAtTheEndMarker() throws IOException {
		byte[] stream = stream(validMessages());
		ByteArrayInputStream in = new ByteArrayInputStream(concat(stream, new byte[] { 9, 9, 9 }));

		this.codec.readStream(in, (message) -> {
		});

		assertThat(in.available()).isEqualTo(3);
	}

	@Test
	void emptyPayloadIsMalformed() {
		assertMalformed(new byte[0]);
	}

	@Test
	void payloadOfAnotherFormatVersionIsMalformed() {
		byte[] payload = this.codec.encode(validMessages());
		payload[0] = 1;

		assertMalformed(payload).hasMessageContaining("format version 1");
	}

	@Test
	void copyQueriesAndReportsRoundTrip() {
		List<ClusterMessage> batch = List.of(new CopyQuery("session-1"),
				new CopyReport("session-1", true, SessionRole.PRIMARY, Coverage.CURRENT_COPY,
						"0123456789abcdef01234567"),
				new CopyReport("session-2", false, SessionRole.BACKUP, null, null),
				new CopyReport("session-3", false, null, null, null));

		assertThat(assertRoundTrip(batch)).hasSize(4);
	}

	@Test
	void copyReportWithAnUnknownRoleIsMalformed() {
		byte[] payload = this.codec.encode(List.of(new CopyReport("s", false, SessionRole.SPARE, null, null)));
		// the role is the byte after the kind, the id (2 length bytes and "s") and held
		payload[5 + 1 + 3 + 1] = 42;
		assertMalformed(payload).hasMessageContaining("role 42");
	}

	@Test
	void tallyCountsEachMessageByKindWithTheBytesItTakesBothWays() {
		List<ClusterMessage> batch = List.of(delta("session-1", null, set("user", 1, "node-a", "alice")),
				new SessionRemoval("session-2", SessionRemoval.Reason.INVALIDATED), new Barrier(),
				delta("session-3", null, set("cart", 1, "node-a", "book")));
		Map<MessageKind, int[]> encoded = new EnumMap<>(MessageKind.class);
		Map<MessageKind, int[]> decoded = new EnumMap<>(MessageKind.class);

		byte[] payload = this.codec.encode(batch, ClusterMessageCodec.NEWEST_FORMAT, tallyInto(encoded));
		this.codec.decode(payload, tallyInto(decoded));

		assertThat(encoded.keySet()).containsExactlyInAnyOrder(MessageKind.DELTA, MessageKind.REMOVAL,
				MessageKind.BARRIER);
		assertThat(encoded.get(MessageKind.DELTA)[0]).isEqualTo(2);
		assertThat(encoded.get(MessageKind.REMOVAL)[0]).isEqualTo(1);
		assertThat(encoded.get(MessageKind.BARRIER)).containsExactly(1, 1);
		// the payload's own header: the format version and the message count
		assertThat(encoded.values().stream().mapToInt((counts) -> counts[1]).sum()).isEqualTo(payload.length - 5);
		assertThat(decoded).allSatisfy((kind, counts) -> assertThat(counts).containsExactly(encoded.get(kind)));
		assertThat(decoded.keySet()).isEqualTo(encoded.keySet());
	}

	private static MessageTally tallyInto(Map<MessageKind, int[]> counts) {
		return (kind, bytes) -> {
			int[] count = counts.computeIfAbsent(kind, (key) -> new int[2]);
			count[0]++;
			count[1] += bytes;
		};
	}

	@Test
	void unknownMessageKindIsMalformed() {
		assertMalformed(new Bytes().version().count(1).kind(12).raw(0, 0, 0, 0).toArray())
			.hasMessageContaining("message kind 12");
	}

	@Test
	void batchOfNoMessagesIsMalformed() {
		assertMalformed(new Bytes().version().count(0).raw(0, 0, 0, 0).toArray()).hasMessageContaining("batch size 0");
	}

	@Test
	void negativeBatchCountIsMalformed() {
		assertMalformed(new Bytes().version().count(-1).removal("session-1").toArray())
			.hasMessageContaining("batch size -1");
		assertMalformed(new Bytes().version().count(Integer.MIN_VALUE).removal("session-1").toArray())
			.hasMessageContaining("batch size");
	}

	@Test
	void hugeBatchCountIsMalformed() {
		assertMalformed(new Bytes().version().count(Integer.MAX_VALUE).removal("session-1").toArray())
			.hasMessageContaining("batch size");
		assertMalformed(new Bytes().version().count(3).removal("session-1").toArray());
	}

	@Test
	void hugeAttributeLengthWithFewBytesBehindItIsMalformed() {
		byte[] payload = new Bytes().version()
			.count(1)
			.kind(1)
			.deltaHeader("session-1", 1)
			.utf("large")
			.stamp(1, "node-a")
			.raw(0x7f, 0xff, 0xff, 0xf7)
			.raw(1, 2, 3, 4, 5, 6, 7, 8)
			.toArray();

		assertMalformed(payload);
	}

	@Test
	void hugeAttributeCountWithFewBytesBehindItIsMalformed() {
		byte[] payload = new Bytes().version()
			.count(1)
			.kind(1)
			.deltaHeader("session-1", Integer.MAX_VALUE / 16)
			.utf("user")
			.stamp(1, "node-a")
			.integer(1)
			.raw(7)
			.toArray();

		assertMalformed(payload);
	}

	@Test
	void negativeAttributeCountIsMalformed() {
		assertMalformed(new Bytes().version().count(1).kind(1).deltaHeader("session-1", -1).toArray())
			.hasMessageContaining("attribute count -1");
	}

	@Test
	void attributeLengthBelowMinusOneIsMalformed() {
		byte[] payload = new Bytes().version()
			.count(1)
			.kind(1)
			.deltaHeader("session-1", 1)
			.utf("user")
			.stamp(1, "node-a")
			.integer(-2)
			.raw(1, 2, 3, 4)
			.toArray();

		assertMalformed(payload).hasMessageContaining("attribute length -2");
	}

	@Test
	void emptySessionIdIsMalformed() {
		assertMalformed(new Bytes().version().count(1).removal("").toArray()).hasMessageContaining("empty session id");
	}

	@Test
	void unknownRemovalReasonIsMalformed() {
		assertMalformed(new Bytes().version().count(1).kind(2).utf("session-1").raw(5).toArray())
			.hasMessageContaining("removal reason 5");
	}

	@Test
	void invalidStringIsMalformed() {
		assertMalformed(new Bytes().version().count(1).kind(2).raw(0, 2, 0xc0, 0x00).raw(0).toArray())
			.hasMessageContaining("modified UTF-8");
	}

	@Test
	void everyTruncationOfAValidPayloadIsMalformed() {
		byte[] payload = this.codec.encode(validMessages());
		assertThat(this.codec.decode(payload)).hasSize(validMessages().size());

		for (int length = 0; length < payload.length; length++) {
			byte[] truncated = Arrays.copyOf(payload, length);
			assertMalformed("payload cut at " + length + " of " + payload.length + " bytes",
					() -> this.codec.decode(truncated));
		}
	}

	@Test
	void trailingBytesAreMalformed() {
		byte[] payload = this.codec.encode(validMessages());

		assertMalformed(concat(payload, new byte[] { 0 })).hasMessageContaining("trailing bytes: 1");
		assertMalformed(concat(payload, payload));
	}

	@Test
	void streamCutShortWithoutTheEndMarkerIsMalformedAndKeepsWhatArrived() {
		List<ClusterMessage> messages = validMessages();
		byte[] stream = stream(messages);
		List<ClusterMessage> read = new ArrayList<>();

		assertMalformed(() -> this.codec.readStream(new ByteArrayInputStream(Arrays.copyOf(stream, stream.length - 1)),
				read::add));

		assertThat(comparable(read)).isEqualTo(comparable(messages));
	}

	@Test
	void everyTruncationOfAStreamIsMalformed() {
		byte[] stream = stream(validMessages());

		for (int length = 0; length < stream.length; length++) {
			byte[] truncated = Arrays.copyOf(stream, length);
			assertMalformed("stream cut at " + length + " of " + stream.length + " bytes",
					() -> this.codec.readStream(new ByteArrayInputStream(truncated), (message) -> {
					}));
		}
	}

	@Test
	void streamOfAnotherFormatVersionIsMalformed() {
		byte[] stream = stream(validMessages());
		stream[0] = 9;
		List<ClusterMessage> read = new ArrayList<>();

		assertMalformed(() -> this.codec.readStream(new ByteArrayInputStream(stream), read::add))
			.hasMessageContaining("format version 9");
		assertThat(read).isEmpty();
	}

	@Test
	void streamWithAnUnknownMessageKindIsMalformed() {
		byte[] stream = new Bytes().version().message(new Bytes().kind(42).raw(0, 0, 0, 0)).end().toArray();

		assertMalformedStream(stream).hasMessageContaining("message kind 42");
	}

	@Test
	void streamWithAHugeAttributeLengthIsMalformed() {
		byte[] stream = new Bytes().version()
			.message(new Bytes().kind(1)
				.deltaHeader("session-1", 1)
				.utf("large")
				.stamp(1, "node-a")
				.raw(0x7f, 0xff, 0xff, 0xf7)
				.raw(1, 2, 3))
			.end()
			.toArray();

		assertMalformedStream(stream);
	}

	@Test
	void streamWithAHugeMessageLengthWithFewBytesBehindItIsMalformed() {
		byte[] stream = new Bytes().version().integer(1024 * 1024).removal("session-1").end().toArray();

		assertMalformedStream(stream).hasMessageContaining("truncated");
	}

	@Test
	void streamWithAMessageLongerThanTheLimitsAllowIsMalformedBeforeItIsRead() {
		int tooLong = this.codec.maxMessageSize() + 1;
		byte[] stream = new Bytes().version().integer(tooLong).removal("session-1").end().toArray();

		assertMalformedStream(stream).hasMessageContaining("message length " + tooLong);
	}

	@Test
	void streamWithANegativeMessageLengthIsMalformed() {
		byte[] stream = new Bytes().version().integer(-1).removal("session-1").end().toArray();

		assertMalformedStream(stream).hasMessageContaining("message length -1");
	}

	@Test
	void streamWithAMessageLongerThanItsContentIsMalformedAndKeepsNothingOfIt() {
		byte[] stream = new Bytes().version().message(new Bytes().removal("session-1").raw(7)).end().toArray();
		List<ClusterMessage> read = new ArrayList<>();

		assertMalformed(() -> this.codec.readStream(new ByteArrayInputStream(stream), read::add))
			.hasMessageContaining("trailing bytes in a message: 1");
		assertThat(read).isEmpty();
	}

	@Test
	void streamWithAnInvalidStringIsMalformed() {
		byte[] stream = new Bytes().version().message(new Bytes().kind(2).raw(0, 2, 0xc0, 0x00).raw(0)).end().toArray();

		assertMalformedStream(stream).hasMessageContaining("modified UTF-8");
	}

	@Test
	void stringsOutsideAsciiRoundTrip() {
		String id = "sessi\u00f6n-\u4e2d-\ud83d\ude00-\u0000-\udc00";

		List<ClusterMessage> decoded = assertRoundTrip(
				List.of(delta(id, "caf\u00e9", set("gr\u00fc\u00dfe", 1, "n\u00f6de-\u00e5", "hello"))));

		assertThat(decoded).singleElement()
			.isInstanceOfSatisfying(SessionDelta.class, (delta) -> assertThat(delta.sessionId()).isEqualTo(id));
	}

	private List<ClusterMessage> assertRoundTrip(List<ClusterMessage> messages) {
		List<ClusterMessage> decoded = this.codec.decode(this.codec.encode(messages));
		assertThat(comparable(decoded)).isEqualTo(comparable(messages));
		return decoded;
	}

	private AbstractThrowableAssert<?, ? extends Throwable> assertMalformed(byte[] payload) {
		return assertMalformed(() -> this.codec.decode(payload));
	}

	private AbstractThrowableAssert<?, ? extends Throwable> assertMalformedStream(byte[] stream) {
		return assertMalformed(() -> this.codec.readStream(new ByteArrayInputStream(stream), (message) -> {
		}));
	}

	/**
	 * Assert that decoding fails as malformed, and allocates no more than decoding a
	 * small message needs, whatever sizes the bytes claim.
	 */
	private AbstractThrowableAssert<?, ? extends Throwable> assertMalformed(ThrowingCallable decoding) {
		return assertMalformed("decoding", decoding);
	}

	private AbstractThrowableAssert<?, ? extends Throwable> assertMalformed(String description,
			ThrowingCallable decoding) {
		ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
		assertThat(threads.isThreadAllocatedMemoryEnabled()).isTrue();
		long before = threads.getCurrentThreadAllocatedBytes();
		Throwable thrown = catchThrowable(decoding);
		long allocated = threads.getCurrentThreadAllocatedBytes() - before;
		assertThat(thrown).as(description).isInstanceOf(MalformedMessageException.class);
		assertThat(allocated).as("bytes allocated while %s", description).isLessThan(MAX_ALLOCATION);
		return assertThat(thrown);
	}

	private List<ClusterMessage> validMessages() {
		return List.of(
				delta("session-2", "session-1", set("user", 1, "node-a", "alice"), removal("cart", 2, "node-b"),
						set("counter", 7, "node-c", "42")),
				new SessionRemoval("session-3", SessionRemoval.Reason.EXPIRED), delta("session-4", null));
	}

	private static SessionDelta delta(String id, String previousId, AttributeChange... attributes) {
		return new SessionDelta(id, previousId, CREATED, Duration.ofMinutes(30), new ChangeStamp(2, "node-b"),
				CREATED.plusSeconds(5), "node-a", List.of(attributes));
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] both = Arrays.copyOf(first, first.length + second.length);
		System.arraycopy(second, 0, both, first.length, second.length);
		return both;
	}

	/**
	 * Hand-made wire bytes, for payloads the codec would never write.
	 */
	private static final class Bytes {

		private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

		private final DataOutputStream out = new DataOutputStream(this.bytes);

		Bytes version() {
			return raw(3);
		}

		Bytes count(int count) {
			return integer(count);
		}

		Bytes kind(int kind) {
			return raw(kind);
		}

		Bytes removal(String id) {
			return kind(2).utf(id).raw(0);
		}

		/** One message of a stream: its length, then its bytes. */
		Bytes message(Bytes message) {
			byte[] bytes = message.toArray();
			integer(bytes.length);
			return write(() -> this.out.write(bytes));
		}

		/** The end marker of a stream. */
		Bytes end() {
			return integer(0);
		}

		/**
		 * Session digests up to and including their buckets: scope 0, then the bucket
		 * count and the buckets compared.
		 */
		Bytes sessionDigests(int bucketCount, int... buckets) {
			kind(31).longValue(0).integer(bucketCount).integer(buckets.length);
			for (int bucket : buckets) {
				integer(bucket);
			}
			return this;
		}

		/** A delta up to and including its attribute count. */
		Bytes deltaHeader(String id, int attributeCount) {
			utf(id).raw(0);
			longValue(CREATED.toEpochMilli()).longValue(Duration.ofMinutes(30).toMillis());
			stamp(0, "");
			longValue(CREATED.toEpochMilli()).utf("node-a");
			return integer(attributeCount);
		}

		Bytes stamp(long version, String origin) {
			return longValue(version).utf(origin);
		}

		Bytes utf(String value) {
			return write(() -> this.out.writeUTF(value));
		}

		Bytes integer(int value) {
			return write(() -> this.out.writeInt(value));
		}

		Bytes longValue(long value) {
			return write(() -> this.out.writeLong(value));
		}

		Bytes raw(int... values) {
			for (int value : values) {
				write(() -> this.out.writeByte(value));
			}
			return this;
		}

		byte[] toArray() {
			return this.bytes.toByteArray();
		}

		private Bytes write(IoAction action) {
			try {
				action.run();
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
			return this;
		}

		private interface IoAction {

			void run() throws IOException;

		}

	}

}
