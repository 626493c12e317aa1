/**
 * Actuator support of session replication: the {@code sessionreplication} endpoint.
 */
@NullMarked
package io.sessionreplication.autoconfigure.actuate;

import org.jspecify.annotations.NullMarked;
