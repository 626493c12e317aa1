package io.sessionreplication.wire;

/**
 * Which view the sender chose the recipients of the messages that follow by: a
 * fingerprint of its members. A receiver whose view differs knows the sender may have
 * missed an owner that its own view has, and forwards the change to it.
 *
 * @param fingerprint the fingerprint of the sender's view
 */
public record SenderView(long fingerprint) implements ClusterMessage {

}
