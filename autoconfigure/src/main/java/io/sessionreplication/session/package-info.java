/**
 * What the application sees:
 * {@link io.sessionreplication.session.ReplicatedSessionRepository}, a Spring Session
 * {@code FindByIndexNameSessionRepository} whose sessions record what a request changed,
 * hand it to the store and the replicator on {@code save()}, and publish Spring Session's
 * events once in the cluster. It is the API of the engine; it does not decide who
 * receives a change, nor how a change is encoded or sent.
 */
@NullMarked
package io.sessionreplication.session;

import org.jspecify.annotations.NullMarked;
