/**
 * What travels, byte by byte: the {@link io.sessionreplication.wire.ClusterMessage}
 * records (a session's change, its removal, the queries between members), the parts they
 * are made of (change stamps, attribute values and their serialized forms), and the
 * {@link io.sessionreplication.wire.ClusterMessageCodec} that turns them into payloads
 * and back, bounding every length it reads. It knows neither who receives a message nor
 * how.
 * <p>
 * Internal: these types are public only for the other packages of session-replication and
 * may change in any release.
 */
@NullMarked
package io.sessionreplication.wire;

import org.jspecify.annotations.NullMarked;
