package io.sessionreplication.wire;

/**
 * Asks a member what it holds of one session; it answers with a {@link CopyReport}.
 *
 * @param sessionId the session id
 */
public record CopyQuery(String sessionId) implements ClusterMessage {

}
