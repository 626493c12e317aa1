/**
 * JMH microbenchmarks of the replication engine's hot paths, each on one member in one
 * JVM: no network, no other member. Run them with {@code benchmarks/run-jmh.sh}; the
 * build only compiles them.
 */
@NullMarked
package io.sessionreplication.benchmarks;

import org.jspecify.annotations.NullMarked;
