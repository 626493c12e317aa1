package io.sessionreplication.wire;

/**
 * Tells a joining member that the sender has handed it every session it owns in the new
 * view and that the sender held. A joining member is ready once every other member has
 * said so.
 */
public record ShareComplete() implements ClusterMessage {

}
