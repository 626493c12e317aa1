/**
 * Health of session replication: the {@code sessionReplication} health contributor and
 * its auto-configuration.
 */
@NullMarked
package io.sessionreplication.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
