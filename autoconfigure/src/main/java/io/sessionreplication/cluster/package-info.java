/**
 * How payloads travel: the {@link io.sessionreplication.cluster.ClusterTransport}
 * contract (membership, sending, acknowledgements, requests) and the
 * {@link io.sessionreplication.cluster.ClusterReceiver} it delivers to. It moves bytes
 * and knows nothing of sessions; its JGroups implementation lives in {@code jgroups}.
 * <p>
 * Internal: these types are public only for the other packages of session-replication and
 * may change in any release, except {@code MemberDiscovery} and {@code DnsRecordType},
 * the values of {@code session.replication.discovery} and
 * {@code session.replication.dns.record-type}.
 */
@NullMarked
package io.sessionreplication.cluster;

import org.jspecify.annotations.NullMarked;
