/**
 * Micrometer metrics of session replication.
 */
@NullMarked
package io.sessionreplication.metrics;

import org.jspecify.annotations.NullMarked;
