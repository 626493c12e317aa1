package io.sessionreplication.cluster;

/**
 * How a member finds the other members of its cluster when it joins, and after a
 * partition: the values of {@code session.replication.discovery}.
 */
public enum MemberDiscovery {

	/**
	 * Probe the ports of the port range on this member's own bind address: instances on
	 * one host find each other with nothing set.
	 */
	LOCAL,

	/**
	 * Contact the members of a list, given as {@code host:port}.
	 */
	STATIC,

	/**
	 * Ask DNS for the members: the addresses of a name's A records, on the cluster's
	 * ports, or the targets and ports of its SRV records.
	 */
	DNS,

	/**
	 * Ask by IP multicast on the local network; the answers, and everything else, travel
	 * over the transport.
	 */
	MULTICAST

}
