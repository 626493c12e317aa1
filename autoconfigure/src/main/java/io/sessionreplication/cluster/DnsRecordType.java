package io.sessionreplication.cluster;

/**
 * The DNS records that name the members, in {@link MemberDiscovery#DNS DNS discovery}:
 * the values of {@code session.replication.dns.record-type}.
 */
public enum DnsRecordType {

	/**
	 * The addresses of the name's A records, each on the ports of the cluster's port
	 * range.
	 */
	A,

	/**
	 * The targets of the name's SRV records, each on the port its record gives.
	 */
	SRV

}
