/**
 * Micrometer metrics of session replication: a {@code MeterBinder} whose meters read the
 * replication statistics, the session counts and the cluster view when they are scraped.
 * The meter names and tags are API, listed in the README; the classes are internal,
 * public only for the auto-configuration. Their wiring into a Spring Boot application
 * lives in {@code autoconfigure.metrics}.
 */
@NullMarked
package io.sessionreplication.metrics;

import org.jspecify.annotations.NullMarked;
