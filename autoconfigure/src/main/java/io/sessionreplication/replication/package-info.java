/**
 * Who receives what, and when: the
 * {@link io.sessionreplication.replication.SessionReplicator} of each
 * {@link io.sessionreplication.replication.ReplicationMode}, ownership of sessions in
 * {@code primary-backup}, the group commit of synchronous changes, the batching of
 * asynchronous ones, state transfer to a joining member, the repair of copies that differ
 * between members, and the statistics of it all. It sends payloads through a
 * {@link io.sessionreplication.cluster.ClusterTransport} and applies what arrives to the
 * {@link io.sessionreplication.store.SessionStore}; it does not know the byte layout of a
 * message nor the group-communication library underneath.
 * <p>
 * Internal: these types are public only for the other packages of session-replication and
 * may change in any release, except {@code ReplicationMode} and {@code DeliveryMode}, the
 * values of {@code session.replication.mode} and {@code session.replication.delivery}.
 */
@NullMarked
package io.sessionreplication.replication;

import org.jspecify.annotations.NullMarked;
