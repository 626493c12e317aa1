/**
 * The replication engine: a Spring Session {@code SessionRepository} whose sessions are
 * copied to the other members of a cluster as deltas. Nothing in this package knows the
 * group-communication library underneath; it talks to the cluster through
 * {@link io.sessionreplication.ClusterTransport}.
 */
@NullMarked
package io.sessionreplication;

import org.jspecify.annotations.NullMarked;
