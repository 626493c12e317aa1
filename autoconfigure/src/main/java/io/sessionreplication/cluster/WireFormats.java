package io.sessionreplication.cluster;

import org.springframework.util.Assert;

/**
 * The versions of the wire format that a member speaks, from the oldest to the newest, as
 * its address tells the other members. The transport carries them and knows nothing of
 * what they mean.
 *
 * @param oldest the oldest version the member decodes and encodes
 * @param newest the newest version the member decodes and encodes
 */
public record WireFormats(int oldest, int newest) {

	/** The highest version a member can announce. */
	public static final int MAX_VERSION = 255;

	/**
	 * Check the range.
	 * @param oldest the oldest version
	 * @param newest the newest version
	 */
	public WireFormats {
		Assert.isTrue(0 < oldest && oldest <= newest && newest <= MAX_VERSION,
				() -> "Not a range of wire format versions: " + oldest + " to " + newest);
	}

	/**
	 * Whether the member speaks a version.
	 * @param version the version
	 * @return whether it does
	 */
	public boolean speaks(int version) {
		return this.oldest <= version && version <= this.newest;
	}

	@Override
	public String toString() {
		return (this.oldest == this.newest) ? String.valueOf(this.oldest) : this.oldest + " to " + this.newest;
	}

}
