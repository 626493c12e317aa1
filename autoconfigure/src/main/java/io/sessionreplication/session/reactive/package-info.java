/**
 * What a Spring WebFlux application sees:
 * {@link io.sessionreplication.session.reactive.ReactiveReplicatedSessionRepository}, a
 * Spring Session {@code ReactiveSessionRepository} over the same engine as the servlet
 * one, whose calls that may wait for other members run on threads of its own, so that no
 * event-loop thread waits on the cluster.
 */
@NullMarked
package io.sessionreplication.session.reactive;

import org.jspecify.annotations.NullMarked;
