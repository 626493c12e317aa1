package io.sessionreplication;

/**
 * The replication contract in {@link ReplicationMode#ALL_TO_ALL}.
 */
class AllToAllReplicationTests extends AbstractReplicationContractTests {

}
