package io.sessionreplication.benchmarks;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import io.sessionreplication.session.ReplicatedSessionRepository;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

import org.springframework.session.MapSessionRepository;
import org.springframework.session.Session;
import org.springframework.session.SessionRepository;

/**
 * What the session costs a request, on {@link ReplicatedSessionRepository} and on Spring
 * Session's {@link MapSessionRepository} (in memory, one JVM, nothing replicated), side
 * by side so that the ratio comes from one run: find the {@link TypicalSession},
 * increment its counter, save it. The same sequence on both; on the replicated repository
 * the save includes serializing the counter and encoding the delta, in an
 * {@link EncodingReplicator} that stands in for the network.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class RequestOverheadBenchmark {

	private ReplicatedSessionRepository replicated;

	private String replicatedSessionId;

	private MapSessionRepository map;

	private String mapSessionId;

	@Setup
	public void setUp(Blackhole blackhole) {
		this.replicated = EncodingReplicator.repository(blackhole::consume);
		this.replicatedSessionId = TypicalSession.create(this.replicated);
		this.map = new MapSessionRepository(new ConcurrentHashMap<>());
		this.mapSessionId = TypicalSession.create(this.map);
	}

	@Benchmark
	public Session replicatedSessionRepository() {
		return request(this.replicated, this.replicatedSessionId);
	}

	@Benchmark
	public Session mapSessionRepository() {
		return request(this.map, this.mapSessionId);
	}

	private static <S extends Session> S request(SessionRepository<S> repository, String sessionId) {
		S session = repository.findById(sessionId);
		TypicalSession.incrementCounter(session);
		repository.save(session);
		return session;
	}

}
