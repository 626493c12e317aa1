package io.sessionreplication.wire;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 digest of a text, in hex: what the fingerprints of this package are made
 * of.
 */
final class Sha256 {

	private Sha256() {
	}

	/**
	 * The first bytes of the SHA-256 digest of a text's UTF-8 bytes.
	 * @param text the text
	 * @param bytes how many bytes of the digest to keep, at most 32
	 * @return those bytes as lower-case hex digits, two per byte
	 */
	static String hexPrefix(String text, int bytes) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
			return HexFormat.of().formatHex(digest, 0, bytes);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
		}
	}

}
