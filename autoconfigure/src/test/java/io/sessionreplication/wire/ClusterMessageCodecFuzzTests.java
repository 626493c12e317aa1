package io.sessionreplication.wire;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import io.sessionreplication.testcluster.SampleMessages;
import io.sessionreplication.wire.DecodingCheck.Format;
import io.sessionreplication.wire.WireMutator.Input;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import static io.sessionreplication.testcluster.SampleMessages.comparable;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seeded fuzz test of {@link ClusterMessageCodec}: variants of valid payloads and
 * streams of every {@link MessageKind} (see {@link WireMutator}), and random bytes, each
 * checked by a {@link DecodingCheck}; each input that the codec rejects as a batch also
 * goes to a real member's replicator, which must change nothing
 * ({@link RejectionWitness}). A stream that the codec rejects is not: a state transfer
 * keeps what arrived before the bad bytes.
 * <p>
 * The inputs of {@code wire/fuzz-corpus/} are checked the same way on every run, and must
 * be rejected: inputs that once failed, and hand-made hostile ones. A file holds one
 * input and is named {@code batch-*.hex} or {@code stream-*.hex} after how it is read: a
 * line after a {@code #} that says what it found or why it is there, then the bytes in
 * hex.
 * <p>
 * The same seed makes the same inputs; a failure names the seed, the input's number, how
 * it was made and its bytes in hex, which is what a corpus file holds.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ClusterMessageCodecFuzzTests {

	private static final long SEED = 0x5E55_10_4E_2025L;

	private static final int INPUTS = 120_000;

	/** How many failures end a run, each described. */
	private static final int FAILURES_SHOWN = 5;

	private final ClusterMessageCodec codec = new ClusterMessageCodec();

	private final DecodingCheck check = new DecodingCheck();

	@Test
	void variantsOfEveryKindOfMessageAndRandomBytesAreRejectedOnlyAsMalformedCheaplyAndChangeNothing() {
		List<byte[]> batches = batches();
		List<byte[]> streams = streams();
		Random random = new Random(SEED);
		WireMutator mutator = new WireMutator(random, concat(batches, streams));
		List<String> failures = new ArrayList<>();
		Set<MessageKind> decoded = EnumSet.noneOf(MessageKind.class);
		int inputs = 0;
		int rejected = 0;
		long start = System.nanoTime();
		try (RejectionWitness witness = new RejectionWitness()) {
			for (int i = 0; i < INPUTS && failures.size() < FAILURES_SHOWN; i++) {
				inputs++;
				Format format = (random.nextInt(5) < 3) ? Format.BATCH : Format.STREAM;
				List<byte[]> valid = (format == Format.BATCH) ? batches : streams;
				byte[] original = valid.get(random.nextInt(valid.size()));
				Input input = (random.nextInt(16) == 0) ? mutator.random(original) : mutator.mutate(original);
				try {
					DecodedPayload payload = this.check.check(format, input.bytes());
					if (payload == null || payload.messages().isEmpty()) {
						rejected++;
						if (format == Format.BATCH) {
							witness.assertRejectedWithoutChange(input.bytes(), payload == null);
						}
					}
					else {
						payload.messages().forEach((message) -> decoded.add(MessageKind.of(message)));
					}
				}
				catch (AssertionError failure) {
					failures.add("seed " + SEED + ", input " + i + ": " + describe(format, input, failure));
				}
			}
		}
		System.out.printf("%d fuzzed inputs, %d rejected, at most %d bytes allocated for one, in %d ms%n", inputs,
				rejected, this.check.maxAllocated(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
		assertThat(failures).as("inputs that failed").isEmpty();
		assertThat(decoded).as("kinds of message decoded from variants").containsExactly(MessageKind.values());
		assertThat(rejected).as("inputs rejected").isBetween(INPUTS / 2, INPUTS - INPUTS / 20);
	}

	@Test
	void theInputsOfTheCorpusAreRejectedOnlyAsMalformedCheaplyAndChangeNothing() throws IOException {
		Resource[] corpus = new PathMatchingResourcePatternResolver().getResources("classpath*:wire/fuzz-corpus/*.hex");
		assertThat(corpus).as("the corpus").hasSizeGreaterThanOrEqualTo(10);
		List<String> failures = new ArrayList<>();
		try (RejectionWitness witness = new RejectionWitness()) {
			for (Resource file : corpus) {
				Format format = file.getFilename().startsWith("stream-") ? Format.STREAM : Format.BATCH;
				Input input = new Input(hex(file), file.getFilename());
				try {
					assertThat(this.check.check(format, input.bytes())).as("what decoded from " + input.how()).isNull();
					if (format == Format.BATCH) {
						witness.assertRejectedWithoutChange(input.bytes(), true);
					}
				}
				catch (AssertionError failure) {
					failures.add(describe(format, input, failure));
				}
			}
		}
		assertThat(failures).as("corpus inputs that failed").isEmpty();
	}

	@Test
	void theSamplesOfEveryKindDecodeAsTheyWereInEveryForm() throws IOException {
		List<ClusterMessage> samples = SampleMessages.oneOfEachKind();
		List<ClusterMessage> streamed = new ArrayList<>();
		this.codec.readStream(new ByteArrayInputStream(SampleMessages.stream(samples)), streamed::add);

		assertThat(comparable(this.codec.decode(this.codec.encode(samples)))).isEqualTo(comparable(samples));
		assertThat(comparable(streamed)).isEqualTo(comparable(samples));
		assertThat(batches()).hasSizeGreaterThan(MessageKind.values().length);
		assertThat(streams()).hasSizeGreaterThan(MessageKind.values().length);
	}

	/**
	 * Valid payloads: one of each kind of message alone, one of all, and one of each kind
	 * followed by the next kind.
	 */
	private List<byte[]> batches() {
		List<ClusterMessage> samples = SampleMessages.oneOfEachKind();
		List<byte[]> batches = new ArrayList<>();
		for (int i = 0; i < samples.size(); i++) {
			batches.add(this.codec.encode(List.of(samples.get(i))));
			batches.add(this.codec.encode(List.of(samples.get(i), samples.get((i + 1) % samples.size()))));
		}
		batches.add(this.codec.encode(samples));
		return batches;
	}

	/** Valid streams: of each kind of message alone, of all, and of none. */
	private static List<byte[]> streams() {
		List<ClusterMessage> samples = SampleMessages.oneOfEachKind();
		List<byte[]> streams = new ArrayList<>();
		samples.forEach((sample) -> streams.add(SampleMessages.stream(List.of(sample))));
		streams.add(SampleMessages.stream(samples));
		streams.add(SampleMessages.stream(List.of()));
		return streams;
	}

	private static String describe(Format format, Input input, AssertionError failure) {
		StringWriter trace = new StringWriter();
		failure.printStackTrace(new PrintWriter(trace));
		return format + " made by " + input.how() + ", " + input.bytes().length + " bytes:\n"
				+ HexFormat.of().formatHex(input.bytes()) + "\n" + trace;
	}

	/**
	 * The bytes of a corpus file: hex digits, whitespace, and comment lines after a #.
	 */
	private static byte[] hex(Resource file) throws IOException {
		String text = file.getContentAsString(StandardCharsets.US_ASCII);
		String digits = text.lines()
			.filter((line) -> !line.startsWith("#"))
			.map((line) -> line.replaceAll("\\s", ""))
			.reduce("", String::concat);
		return HexFormat.of().parseHex(digits);
	}

	private static List<byte[]> concat(List<byte[]> first, List<byte[]> second) {
		List<byte[]> both = new ArrayList<>(first);
		both.addAll(second);
		return both;
	}

}
