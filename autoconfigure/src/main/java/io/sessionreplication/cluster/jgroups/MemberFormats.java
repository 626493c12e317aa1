package io.sessionreplication.cluster.jgroups;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sessionreplication.cluster.WireFormats;
import org.jgroups.Address;
import org.jgroups.stack.AddressGenerator;
import org.jgroups.util.ExtendedUUID;
import org.jspecify.annotations.Nullable;

/**
 * The wire formats a member speaks, as its address announces them to every other member:
 * the oldest version and the newest in ASCII, as in {@code 3-4}, readable where JGroups
 * logs an address. Every member of a view reads them from the view's addresses, so they
 * all agree on who speaks what. A release from before the announcements announces
 * nothing.
 */
final class MemberFormats {

	/**
	 * Short, since every message that travels alone carries its sender's address whole
	 * (and a unicast its receiver's): 17 bytes with the value.
	 */
	private static final String FORMATS_KEY = "wire-formats";

	/** The longest announcement: {@code 255-255}. */
	private static final int MAX_LENGTH = 7;

	private static final Pattern RANGE = Pattern.compile("([0-9]{1,3})-([0-9]{1,3})");

	private MemberFormats() {
	}

	/**
	 * Makes addresses that announce formats, to add to a channel besides the generator of
	 * {@link MemberNames}: JGroups merges what both put into one address.
	 * @param formats the formats this member speaks
	 * @return the address generator
	 */
	static AddressGenerator addressGenerator(WireFormats formats) {
		byte[] bytes = (formats.oldest() + "-" + formats.newest()).getBytes(StandardCharsets.US_ASCII);
		return () -> ExtendedUUID.randomUUID().put(FORMATS_KEY, bytes);
	}

	/**
	 * The formats the member at an address announces.
	 * @param address the address
	 * @return the formats, or {@code null} if it announces none, or none that make a
	 * range of versions
	 */
	static @Nullable WireFormats of(Address address) {
		if (address instanceof ExtendedUUID extended) {
			byte[] bytes = extended.get(FORMATS_KEY);
			if (bytes != null && bytes.length <= MAX_LENGTH) {
				Matcher range = RANGE.matcher(new String(bytes, StandardCharsets.US_ASCII));
				if (range.matches()) {
					int oldest = Integer.parseInt(range.group(1));
					int newest = Integer.parseInt(range.group(2));
					if (0 < oldest && oldest <= newest && newest <= WireFormats.MAX_VERSION) {
						return new WireFormats(oldest, newest);
					}
				}
			}
		}
		return null;
	}

}
