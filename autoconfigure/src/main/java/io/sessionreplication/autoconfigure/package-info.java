/**
 * Spring Boot auto-configuration of the replicated session repository.
 */
@NullMarked
package io.sessionreplication.autoconfigure;

import org.jspecify.annotations.NullMarked;
