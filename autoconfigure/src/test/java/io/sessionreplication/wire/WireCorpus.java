package io.sessionreplication.wire;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.sessionreplication.testcluster.SampleMessages;

/**
 * The committed corpus of encoded messages: for each wire format version, one payload per
 * {@link MessageKind} holding its {@link SampleMessages sample}, and one state-transfer
 * stream of every sample, in
 * {@code src/test/resources/io/sessionreplication/wire/corpus/format-<version>/}. Every
 * later build must decode them ({@code WireCorpusTests}), so that a release keeps
 * understanding the release before it in a rolling upgrade.
 * <p>
 * {@link #main} writes the files of the newest format that are missing, and never
 * overwrites one: run it once when a new format version or a new kind is introduced, from
 * the {@code autoconfigure} folder, with
 * {@code ../mvnw -q test-compile exec:java -Dexec.mainClass=io.sessionreplication.wire.WireCorpus -Dexec.classpathScope=test}.
 */
public final class WireCorpus {

	/** Where the corpus lives, from the {@code autoconfigure} folder. */
	static final Path SOURCE = Path.of("src/test/resources/io/sessionreplication/wire/corpus");

	/** The name of the stream file of each format. */
	static final String STREAM = "state-transfer-stream.bin";

	private WireCorpus() {
	}

	/**
	 * The folder of a format version, under a corpus root.
	 * @param root the corpus root
	 * @param format the format version
	 * @return the folder
	 */
	static Path folder(Path root, int format) {
		return root.resolve("format-" + format);
	}

	/**
	 * The file of a kind's payload, in a format's folder.
	 * @param folder the format's folder
	 * @param kind the kind
	 * @return the file
	 */
	static Path payloadFile(Path folder, MessageKind kind) {
		return folder.resolve(kind.name() + ".bin");
	}

	/**
	 * The sample of a kind as a member receives it when it is sent in a format: format 3
	 * carries no {@link SessionRemoval#rememberUntil()}.
	 * @param kind the kind
	 * @param format the format version
	 * @return the message
	 */
	static ClusterMessage expected(MessageKind kind, int format) {
		ClusterMessage sample = SampleMessages.of(kind);
		if (format == 3 && sample instanceof SessionRemoval removal) {
			return new SessionRemoval(removal.sessionId(), removal.reason());
		}
		return sample;
	}

	/**
	 * A stream of every sample, as a state transfer in a format writes it.
	 * @param codec the codec
	 * @param format the format version
	 * @return the bytes of the stream
	 */
	static byte[] stream(ClusterMessageCodec codec, int format) {
		try {
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			DataOutputStream out = new DataOutputStream(bytes);
			ClusterMessageCodec.StreamWriter stream = codec.openStream(out, format);
			for (ClusterMessage message : SampleMessages.oneOfEachKind()) {
				stream.write(message);
			}
			stream.end();
			return bytes.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Write the files of the newest format that are missing.
	 * @param args not used
	 * @throws IOException if a file cannot be written
	 */
	public static void main(String[] args) throws IOException {
		ClusterMessageCodec codec = new ClusterMessageCodec();
		int format = ClusterMessageCodec.NEWEST_FORMAT;
		Path folder = folder(SOURCE, format);
		Files.createDirectories(folder);
		List<Path> written = new ArrayList<>();
		for (MessageKind kind : MessageKind.values()) {
			Path file = payloadFile(folder, kind);
			if (!Files.exists(file)) {
				Files.write(file, codec.encode(List.of(SampleMessages.of(kind)), format, MessageTally.NONE));
				written.add(file);
			}
		}
		Path stream = folder.resolve(STREAM);
		if (!Files.exists(stream)) {
			Files.write(stream, stream(codec, format));
			written.add(stream);
		}
		System.out.println("Wrote " + written.size() + " file(s) of format " + format + ": " + written);
	}

}
