package io.sessionreplication.wire;

import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import com.sun.management.ThreadMXBean;
import org.jspecify.annotations.Nullable;

import static io.sessionreplication.testcluster.SampleMessages.comparable;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Decodes untrusted bytes with a {@link ClusterMessageCodec}, as a batch payload or as a
 * state-transfer stream, and checks what any input must get: a
 * {@link MalformedMessageException} and nothing else when it is rejected (no other
 * exception, no {@link Error}), no more allocation than a small multiple of its size
 * whatever sizes it claims, and, when it is well formed, messages that encode and decode
 * again to the same messages (its messages that hold values no honest member sends are
 * left out and the {@link Rejection} says how many).
 * <p>
 * The allocation bound is {@link #OVERHEAD} plus {@link #FACTOR} times the input's
 * length. Decoding turns bytes into Java objects, which take more room than the bytes.
 * Measured on HotSpot (with compressed references), beyond the overhead, index values
 * allocate 13 bytes for each byte and a stream of one-byte messages 10: the corpus holds
 * such inputs, large enough for the factor to count. An allocation sized by a count or
 * length that the input claims, rather than by the bytes it holds, is of another order: a
 * forged attribute count of 2^27 would make a list of 512 MiB from a hundred bytes.
 * <p>
 * The first decoding that takes a path loads classes, which allocates on this thread too,
 * once: an input over the bound is decoded a second time, and only that time counts.
 */
final class DecodingCheck {

	/**
	 * What decoding may allocate whatever the input: exceptions with their stack traces
	 * and messages, the reader, a stream's 8 KiB read buffer.
	 */
	static final long OVERHEAD = 64 * 1024;

	/**
	 * What decoding may allocate for each byte of input: more than twice as much as
	 * measured, for other JVMs.
	 */
	static final long FACTOR = 32;

	private final ClusterMessageCodec codec = new ClusterMessageCodec();

	private final ThreadMXBean threads;

	private long maxAllocated;

	DecodingCheck() {
		this.threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
		assertThat(this.threads.isThreadAllocatedMemorySupported())
			.as("this JVM counts the bytes a thread allocates (HotSpot does)")
			.isTrue();
		if (!this.threads.isThreadAllocatedMemoryEnabled()) {
			this.threads.setThreadAllocatedMemoryEnabled(true);
		}
	}

	/**
	 * Decode an input and check what became of it.
	 * @param format how to read the input
	 * @param bytes the input
	 * @return the messages delivered and what was rejected of them, or {@code null} if
	 * the input was rejected as malformed
	 * @throws AssertionError if anything but a {@link MalformedMessageException} escaped,
	 * decoding allocated too much, or what was accepted does not encode again to the same
	 */
	@Nullable DecodedPayload check(Format format, byte[] bytes) {
		long bound = OVERHEAD + FACTOR * bytes.length;
		Decoding decoding = decode(format, bytes);
		if (decoding.allocated() > bound) {
			// the first time a path runs, loading its classes allocates too, once
			decoding = decode(format, bytes);
		}
		Throwable thrown = decoding.thrown();
		if (thrown != null && !(thrown instanceof MalformedMessageException)) {
			throw new AssertionError("decoding threw " + thrown + " (expected only a MalformedMessageException)",
					thrown);
		}
		if (decoding.allocated() > bound) {
			throw new AssertionError("decoding " + bytes.length + " bytes allocated " + decoding.allocated()
					+ " bytes, more than " + OVERHEAD + " + " + FACTOR + " x " + bytes.length + " = " + bound);
		}
		this.maxAllocated = Math.max(this.maxAllocated, decoding.allocated());
		DecodedPayload decoded = decoding.decoded();
		if (decoded != null && !decoded.messages().isEmpty()) {
			List<ClusterMessage> again = this.codec.decode(this.codec.encode(decoded.messages()));
			assertThat(comparable(again)).as("what was decoded, encoded and decoded again")
				.isEqualTo(comparable(decoded.messages()));
		}
		return decoded;
	}

	private Decoding decode(Format format, byte[] bytes) {
		ByteArrayInputStream stream = new ByteArrayInputStream(bytes);
		List<ClusterMessage> streamed = new ArrayList<>();
		List<Rejection> rejections = new ArrayList<>();
		DecodedPayload decoded = null;
		Throwable thrown = null;
		long before = this.threads.getCurrentThreadAllocatedBytes();
		try {
			if (format == Format.BATCH) {
				decoded = this.codec.decodePayload(bytes, MessageTally.NONE);
			}
			else {
				this.codec.readStream(stream, streamed::add, rejections::add);
				decoded = asPayload(streamed, rejections);
			}
		}
		catch (Throwable ex) {
			thrown = ex;
		}
		long allocated = this.threads.getCurrentThreadAllocatedBytes() - before;
		return new Decoding((thrown != null) ? null : decoded, thrown, allocated);
	}

	/** A stream's messages and rejections, as if they had come in one payload. */
	private static DecodedPayload asPayload(List<ClusterMessage> streamed, List<Rejection> rejections) {
		if (rejections.isEmpty()) {
			return new DecodedPayload(streamed, IntStream.range(0, streamed.size()).boxed().toList(), null);
		}
		List<Integer> rejected = rejections.stream().flatMap((rejection) -> rejection.positions().stream()).toList();
		List<Integer> positions = IntStream.range(0, streamed.size() + rejected.size())
			.boxed()
			.filter((position) -> !rejected.contains(position))
			.toList();
		return new DecodedPayload(streamed, positions,
				Rejection.of(Rejection.Cause.INVALID, rejected, rejections.get(0).reason()));
	}

	/**
	 * The most that decoding one input allocated so far.
	 * @return the bytes
	 */
	long maxAllocated() {
		return this.maxAllocated;
	}

	/**
	 * One decoding of an input.
	 *
	 * @param decoded the messages and what was rejected, {@code null} if something was
	 * thrown
	 * @param thrown what was thrown, if anything
	 * @param allocated how many bytes it allocated
	 */
	private record Decoding(@Nullable DecodedPayload decoded, @Nullable Throwable thrown, long allocated) {

	}

	/** How an input is read. */
	enum Format {

		/** A batch payload, with {@link ClusterMessageCodec#decodePayload}. */
		BATCH,

		/** A state-transfer stream, with {@link ClusterMessageCodec#readStream}. */
		STREAM

	}

}
