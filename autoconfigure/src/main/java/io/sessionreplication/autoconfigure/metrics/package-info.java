/**
 * Auto-configuration of the Micrometer metrics of session replication.
 */
@NullMarked
package io.sessionreplication.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
