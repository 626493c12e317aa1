/**
 * A test kit for applications that use session replication: it runs several members of
 * the application as a cluster ({@link io.sessionreplication.test.LocalCluster}), in one
 * JVM or as processes, sends users with cookie jars to them
 * ({@link io.sessionreplication.test.Browser}), makes faults (crash, pause, partition,
 * rolling restart) and checks that no session was lost
 * ({@link io.sessionreplication.test.ClusterAssertions}).
 */
@NullMarked
package io.sessionreplication.test;

import org.jspecify.annotations.NullMarked;
