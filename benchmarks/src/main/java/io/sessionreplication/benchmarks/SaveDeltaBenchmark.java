package io.sessionreplication.benchmarks;

import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.sessionreplication.session.ReplicatedSessionRepository;
import io.sessionreplication.session.ReplicatedSessionRepository.ReplicatedSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
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
 * <p>
 * {@code index} compares the repository's default index resolver, which looks for a
 * principal name in the session at each save that changed attributes, with none.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class SaveDeltaBenchmark {

	/** {@code principal-name}: the default index resolver; {@code none}: no index. */
	@Param({ "principal-name", "none" })
	public String index;

	private ReplicatedSessionRepository repository;

	private ReplicatedSession session;

	@Setup
	public void setUp(Blackhole blackhole) {
		this.repository = EncodingReplicator.repository(blackhole::consume);
		if (this.index.equals("none")) {
			this.repository.setIndexResolver((session) -> Map.of());
		}
		this.session = this.repository.findById(TypicalSession.create(this.repository));
	}

	@Benchmark
	public void saveCounterChange() {
		TypicalSession.incrementCounter(this.session);
		this.repository.save(this.session);
	}

}
