/**
 * The cluster on JGroups: the only package that uses JGroups. It builds the channel from
 * the shipped stack (or the user's own) and implements
 * {@link io.sessionreplication.cluster.ClusterTransport} on it.
 * <p>
 * Internal: these types are public only for the other packages of session-replication and
 * may change in any release.
 */
@NullMarked
package io.sessionreplication.cluster.jgroups;

import org.jspecify.annotations.NullMarked;
