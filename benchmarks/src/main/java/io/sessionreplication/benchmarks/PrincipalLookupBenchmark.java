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

import org.springframework.session.FindByIndexNameSessionRepository;

/**
 * Finding a user's sessions by principal name, as Spring Security's concurrent session
 * control does at each login, on a member that holds {@code sessions} sessions of as many
 * users, two of them the user's. The lookup reads this member's index (all-to-all mode):
 * its time should not grow with the number of sessions. The other members' answers in
 * primary-backup mode are not measured.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Benchmark)
public class PrincipalLookupBenchmark {

	/** How many sessions the member holds. */
	@Param({ "1000", "100000" })
	public int sessions;

	private ReplicatedSessionRepository repository;

	@Setup
	public void setUp() {
		this.repository = EncodingReplicator.repository((payload) -> {
		});
		for (int i = 0; i < this.sessions; i++) {
			ReplicatedSession session = this.repository.createSession();
			session.setAttribute(FindByIndexNameSessionRepository.PRINCIPAL_NAME_INDEX_NAME,
					"user-" + ((i == 0) ? 1 : i));
			this.repository.save(session);
		}
	}

	@Benchmark
	public Map<String, ReplicatedSession> findByPrincipalName() {
		return this.repository.findByPrincipalName("user-1");
	}

}
