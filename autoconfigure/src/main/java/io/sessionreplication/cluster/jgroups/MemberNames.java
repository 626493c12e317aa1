package io.sessionreplication.cluster.jgroups;

import java.nio.charset.StandardCharsets;

import org.jgroups.Address;
import org.jgroups.stack.AddressGenerator;
import org.jgroups.util.ExtendedUUID;

/**
 * The name of a member, as every member sees it. A member's address carries its name
 * ({@link #addressGenerator}), so a member reads the name of any other from its address
 * ({@link #of}) and never from JGroups' name cache: a member learns a logical name there
 * only once it has heard it, and a coordinator can install a view with a joiner whose
 * name it has not heard yet. Names in views must be the same on every member, since the
 * members of a view decide who owns a session.
 */
final class MemberNames {

	private static final String NAME_KEY = "session-replication.member-name";

	private MemberNames() {
	}

	/**
	 * Makes the address of a member that carries its name.
	 * @param name the member name
	 * @return the address generator, to add to the member's channel
	 */
	static AddressGenerator addressGenerator(String name) {
		byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
		return () -> ExtendedUUID.randomUUID(name).put(NAME_KEY, bytes);
	}

	/**
	 * The name of the member at an address: the name the address carries, else (a member
	 * whose channel was not made by {@link JGroupsChannelFactory}) JGroups' logical name.
	 * @param address the address
	 * @return the member name
	 */
	static String of(Address address) {
		if (address instanceof ExtendedUUID extended) {
			byte[] name = extended.get(NAME_KEY);
			if (name != null) {
				return new String(name, StandardCharsets.UTF_8);
			}
		}
		return address.toString();
	}

}
