package io.sessionreplication.wire;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Makes hostile variants of valid wire bytes, as a fuzzer does: bit flips, bytes, shorts
 * (string lengths), ints (counts and lengths) and longs replaced with values at the edges
 * of their range, truncations, insertions, deletions and duplications of ranges, and
 * splices of two inputs, one to three of them on top of each other; and inputs of random
 * bytes. Everything comes from the {@link Random} it is given, so a seed makes the same
 * inputs every run.
 */
final class WireMutator {

	private static final byte[] BYTES = { 0, 1, -1, 0x7F, (byte) 0x80, (byte) 0xC0, (byte) 0xE0 };

	/** String lengths, which are unsigned shorts. */
	private static final int[] SHORTS = { 0, 1, 0x7F, 0x80, 0x7FFF, 0x8000, 0xFFFF };

	private static final int[] INTS = { 0, 1, -1, -2, 0x7F, 0x80, 0xFF, 0xFFFF, 0x10000, Integer.MAX_VALUE,
			Integer.MAX_VALUE - 8, Integer.MAX_VALUE / 3, Integer.MAX_VALUE / 4, Integer.MAX_VALUE / 16,
			Integer.MIN_VALUE, Integer.MIN_VALUE + 1 };

	private static final long[] LONGS = { 0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 32, -(1L << 32),
			Long.MAX_VALUE / 1000, Long.MIN_VALUE / 1000 };

	private final Random random;

	private final List<byte[]> others;

	/**
	 * Create a mutator.
	 * @param random where every choice comes from
	 * @param others inputs to splice with
	 */
	WireMutator(Random random, List<byte[]> others) {
		this.random = random;
		this.others = others;
	}

	/**
	 * A variant of valid bytes: one to three mutations on top of each other.
	 * @param valid the valid bytes, left as they are
	 * @return the variant, with what was done
	 */
	Input mutate(byte[] valid) {
		byte[] bytes = valid.clone();
		StringBuilder how = new StringBuilder();
		int mutations = 1 + this.random.nextInt(3);
		for (int i = 0; i < mutations; i++) {
			bytes = mutateOnce(bytes, how.append((i > 0) ? ", " : ""));
		}
		return new Input(bytes, how.toString());
	}

	/**
	 * Random bytes, after the first bytes of a valid input half of the time, so that they
	 * get past the format version and the count.
	 * @param valid a valid input
	 * @return the random input
	 */
	Input random(byte[] valid) {
		int kept = this.random.nextBoolean() ? Math.min(valid.length, 1 + this.random.nextInt(6)) : 0;
		byte[] bytes = Arrays.copyOf(valid, kept + this.random.nextInt(96));
		for (int i = kept; i < bytes.length; i++) {
			bytes[i] = (byte) this.random.nextInt(256);
		}
		return new Input(bytes, "random after " + kept + " valid bytes");
	}

	private byte[] mutateOnce(byte[] bytes, StringBuilder how) {
		if (bytes.length == 0) {
			how.append("insertion into nothing");
			return insert(bytes, 0, randomBytes(1 + this.random.nextInt(8)));
		}
		int at = this.random.nextInt(bytes.length);
		switch (this.random.nextInt(10)) {
			case 0 -> {
				int bit = this.random.nextInt(8);
				bytes[at] ^= (byte) (1 << bit);
				how.append("bit ").append(bit).append(" flipped at ").append(at);
			}
			case 1 -> {
				bytes[at] = pick(BYTES);
				how.append("byte ").append(bytes[at]).append(" at ").append(at);
			}
			case 2 -> {
				int value = SHORTS[this.random.nextInt(SHORTS.length)];
				put(bytes, at, value, 2);
				how.append("short ").append(value).append(" at ").append(at);
			}
			case 3 -> {
				int value = interestingInt(bytes.length);
				put(bytes, at, value, 4);
				how.append("int ").append(value).append(" at ").append(at);
			}
			case 4 -> {
				long value = LONGS[this.random.nextInt(LONGS.length)];
				put(bytes, at, value, 8);
				how.append("long ").append(value).append(" at ").append(at);
			}
			case 5 -> {
				how.append("cut at ").append(at);
				return Arrays.copyOf(bytes, at);
			}
			case 6 -> {
				byte[] inserted = this.random.nextBoolean() ? randomBytes(1 + this.random.nextInt(16))
						: new byte[] { pick(BYTES) };
				how.append(inserted.length).append(" bytes inserted at ").append(at);
				return insert(bytes, at, inserted);
			}
			case 7 -> {
				int end = at + 1 + this.random.nextInt(Math.min(bytes.length - at, 64));
				int to = this.random.nextInt(bytes.length + 1);
				how.append("bytes ").append(at).append(" to ").append(end).append(" repeated at ").append(to);
				return insert(bytes, to, Arrays.copyOfRange(bytes, at, end));
			}
			case 8 -> {
				int end = at + 1 + this.random.nextInt(Math.min(bytes.length - at, 16));
				how.append("bytes ").append(at).append(" to ").append(end).append(" removed");
				return concat(Arrays.copyOf(bytes, at), Arrays.copyOfRange(bytes, end, bytes.length));
			}
			default -> {
				byte[] other = this.others.get(this.random.nextInt(this.others.size()));
				int from = this.random.nextInt(other.length);
				how.append("spliced at ").append(at).append(" with bytes from ").append(from).append(" of another");
				return concat(Arrays.copyOf(bytes, at), Arrays.copyOfRange(other, from, other.length));
			}
		}
		return bytes;
	}

	/** A count or length at the edge of a range, or just about the size of the input. */
	private int interestingInt(int length) {
		return switch (this.random.nextInt(4)) {
			case 0 -> length - this.random.nextInt(8);
			case 1 -> length + this.random.nextInt(8);
			default -> INTS[this.random.nextInt(INTS.length)];
		};
	}

	private byte pick(byte[] values) {
		return values[this.random.nextInt(values.length)];
	}

	private byte[] randomBytes(int count) {
		byte[] bytes = new byte[count];
		this.random.nextBytes(bytes);
		return bytes;
	}

	/** Write a big-endian value over the bytes from {@code at}, as far as they go. */
	private static void put(byte[] bytes, int at, long value, int size) {
		for (int i = 0; i < size && at + i < bytes.length; i++) {
			bytes[at + i] = (byte) (value >>> (8 * (size - 1 - i)));
		}
	}

	private static byte[] insert(byte[] bytes, int at, byte[] inserted) {
		return concat(concat(Arrays.copyOf(bytes, at), inserted), Arrays.copyOfRange(bytes, at, bytes.length));
	}

	private static byte[] concat(byte[] first, byte[] second) {
		byte[] both = Arrays.copyOf(first, first.length + second.length);
		System.arraycopy(second, 0, both, first.length, second.length);
		return both;
	}

	/**
	 * An input for the codec.
	 *
	 * @param bytes the bytes
	 * @param how how they were made
	 */
	record Input(byte[] bytes, String how) {

	}

}
