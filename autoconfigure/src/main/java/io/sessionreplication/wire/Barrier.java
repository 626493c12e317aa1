package io.sessionreplication.wire;

/**
 * Carries nothing: its acknowledgement tells the sender that every message it sent before
 * on the same path has arrived. A member that leaves in {@code DeliveryMode.ASYNC} sends
 * one last, since what the others have not received when it leaves is lost with it.
 */
public record Barrier() implements ClusterMessage {

}
