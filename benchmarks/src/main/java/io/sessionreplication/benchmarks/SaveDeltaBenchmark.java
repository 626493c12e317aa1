package io.sessionreplication.benchmarks;

import java.util.concurrent.TimeUnit;

import io.sessionreplication.ReplicatedSessionRepository;
import io.sessionreplication.ReplicatedSessionRepository.ReplicatedSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Building and encoding a delta on the member that serves a request: the request
 * increments the counter of a {@link TypicalSession} and saves it through
 * {@link ReplicatedSessionRepository}, which serializes the new value, stamps the change
 * in its store and hands the delta to an {@link EncodingReplicator}, which encodes it in
 * place of sending it. Finding the session is not measured (see
 * {@link RequestOverheadBenchmark}), nor is the network.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class SaveDeltaBenchmark {

	private ReplicatedSessionRepository repository;

	private ReplicatedSession session;

	@Setup
	public void setUp(Blackhole blackhole) {
		this.repository = EncodingReplicator.repository(blackhole::consume);
		this.session = this.repository.findById(TypicalSession.create(this.repository));
	}

	@Benchmark
	public void saveCounterChange() {
		TypicalSession.incrementCounter(this.session);
		this.repository.save(this.session);
	}

}
