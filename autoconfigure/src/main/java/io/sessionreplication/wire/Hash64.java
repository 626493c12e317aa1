package io.sessionreplication.wire;

/**
 * A fast 64-bit hash of strings and numbers, the same on every member: FNV-1a over a
 * string's characters, spread by the SplitMix64 finalizer. Not a cryptographic hash: it
 * places sessions and sums up their copies, where a collision costs a missed comparison,
 * never a wrong value.
 */
public final class Hash64 {

	private static final long FNV_OFFSET = 0xcbf29ce484222325L;

	private static final long FNV_PRIME = 0x100000001b3L;

	private Hash64() {
	}

	/**
	 * The hash of a string.
	 * @param text the string
	 * @return its hash
	 */
	public static long of(String text) {
		long hash = FNV_OFFSET;
		for (int i = 0; i < text.length(); i++) {
			hash ^= text.charAt(i);
			hash *= FNV_PRIME;
		}
		return mix(hash);
	}

	/**
	 * The SplitMix64 finalizer: every bit of the value moves about half the bits of the
	 * result, so that weak low bits, or values close to each other, hash far apart.
	 * @param value the value
	 * @return the mixed value
	 */
	public static long mix(long value) {
		long z = value;
		z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
		z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
		return z ^ (z >>> 31);
	}

}
