/**
 * Spring Boot auto-configuration of the replicated session repository: the
 * {@code session.replication.*} properties, the beans of the engine, the lifecycle that
 * joins the cluster before the application reports ready, and the failure analyzers. Its
 * subpackages wire health, metrics and the actuator endpoint. Nothing in the engine
 * depends on this package.
 */
@NullMarked
package io.sessionreplication.autoconfigure;

import org.jspecify.annotations.NullMarked;
