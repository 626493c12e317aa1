package io.sessionreplication.wire;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.sessionreplication.testcluster.SampleMessages;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that this build reads the committed {@link WireCorpus corpus}: every kind of
 * message in every format it speaks decodes to the message that was encoded, this build
 * encodes each to the very same bytes (what it sends to a member of the release before is
 * what that member decodes).
 */
class WireCorpusTests {

	private static final Path CORPUS = Path.of("src/test/resources/io/sessionreplication/wire/corpus");

	private final ClusterMessageCodec codec = new ClusterMessageCodec();

	@Test
	void everyFormatThisReleaseSpeaksHasAPayloadOfEveryKindAndAStream() {
		for (int format = ClusterMessageCodec.OLDEST_FORMAT; format <= ClusterMessageCodec.NEWEST_FORMAT; format++) {
			Path folder = WireCorpus.folder(CORPUS, format);
			for (MessageKind kind : MessageKind.values()) {
				assertThat(WireCorpus.payloadFile(folder, kind)).isRegularFile();
			}
			assertThat(folder.resolve(WireCorpus.STREAM)).isRegularFile();
		}
	}

	@Test
	void everyPayloadDecodesToItsSampleAsItsFormatCarriesIt() throws IOException {
		for (int format = ClusterMessageCodec.OLDEST_FORMAT; format <= ClusterMessageCodec.NEWEST_FORMAT; format++) {
			for (MessageKind kind : MessageKind.values()) {
				byte[] payload = Files.readAllBytes(WireCorpus.payloadFile(WireCorpus.folder(CORPUS, format), kind));

				assertThat(payload[0]).as("format of %s in format %d", kind, format).isEqualTo((byte) format);
				assertThat(SampleMessages.comparable(this.codec.decode(payload))).as("%s in format %d", kind, format)
					.isEqualTo(SampleMessages.comparable(List.of(WireCorpus.expected(kind, format))));
			}
		}
	}

	@Test
	void thisBuildEncodesEverySampleToTheBytesOfTheCorpus() throws IOException {
		for (int format = ClusterMessageCodec.OLDEST_FORMAT; format <= ClusterMessageCodec.NEWEST_FORMAT; format++) {
			for (MessageKind kind : MessageKind.values()) {
				byte[] committed = Files.readAllBytes(WireCorpus.payloadFile(WireCorpus.folder(CORPUS, format), kind));

				assertThat(this.codec.encode(List.of(SampleMessages.of(kind)), format, MessageTally.NONE))
					.as("%s in format %d", kind, format)
					.isEqualTo(committed);
			}
		}
	}

	@Test
	void everyStreamReadsToEverySampleAsItsFormatCarriesIt() throws IOException {
		for (int format = ClusterMessageCodec.OLDEST_FORMAT; format <= ClusterMessageCodec.NEWEST_FORMAT; format++) {
			byte[] committed = Files.readAllBytes(WireCorpus.folder(CORPUS, format).resolve(WireCorpus.STREAM));
			List<ClusterMessage> read = new ArrayList<>();
			List<ClusterMessage> expected = new ArrayList<>();
			for (MessageKind kind : MessageKind.values()) {
				expected.add(WireCorpus.expected(kind, format));
			}

			try (InputStream in = new ByteArrayInputStream(committed)) {
				this.codec.readStream(in, read::add);
			}

			assertThat(SampleMessages.comparable(read)).as("stream of format %d", format)
				.isEqualTo(SampleMessages.comparable(expected));
			assertThat(WireCorpus.stream(this.codec, format)).as("stream of format %d", format).isEqualTo(committed);
		}
	}

}
