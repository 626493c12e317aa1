/**
 * The cluster underneath, on JGroups: the only package that uses JGroups. It builds the
 * channel from a shipped stack (or the user's own) and implements
 * {@link io.sessionreplication.ClusterTransport} on it.
 */
@NullMarked
package io.sessionreplication.jgroups;

import org.jspecify.annotations.NullMarked;
