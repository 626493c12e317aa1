package io.sessionreplication.wire;

/**
 * Asks a member which of the sessions it holds have an index value; it answers with an
 * {@link IndexReport}.
 *
 * @param indexName the index name
 * @param indexValue the index value
 */
public record IndexQuery(String indexName, String indexValue) implements ClusterMessage {

}
