package io.sessionreplication.benchmarks;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.sessionreplication.session.ReplicatedSessionRepository;
import io.sessionreplication.session.ReplicatedSessionRepository.ReplicatedSession;
import io.sessionreplication.store.SessionStore;
import io.sessionreplication.wire.ClusterMessage;
import io.sessionreplication.wire.ClusterMessageCodec;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Applying a delta on a replica, as a member does with a payload from the member that
 * served the request: decode the bytes with {@link ClusterMessageCodec}, then
 * {@link SessionStore#apply} each message. The replica already holds the
 * {@link TypicalSession}; the payload is the change of one request (its counter
 * incremented), made and encoded on another member during setup. Attribute values stay
 * serialized on the replica, so nothing is deserialized.
 * <p>
 * Every invocation applies the same payload: from the second one on, the replica's copy
 * already holds that change, so the merge compares the stamps and keeps what it has,
 * where a new change would also replace the counter's entry: one map write more.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class ApplyDeltaBenchmark {

	private final ClusterMessageCodec codec = new ClusterMessageCodec();

	private SessionStore replica;

	private byte[] counterChange;

	@Setup
	public void setUp() {
		List<byte[]> sent = new ArrayList<>();
		ReplicatedSessionRepository origin = EncodingReplicator.repository(sent::add);
		ReplicatedSession session = origin.findById(TypicalSession.create(origin));
		TypicalSession.incrementCounter(session);
		origin.save(session);
		// sent: the new session, whole, then the change of the counter
		this.replica = new SessionStore("member-b");
		this.codec.decode(sent.get(0)).forEach(this.replica::apply);
		this.counterChange = sent.get(1);
	}

	@Benchmark
	public List<ClusterMessage> applyCounterChange() {
		List<ClusterMessage> messages = this.codec.decode(this.counterChange);
		messages.forEach(this.replica::apply);
		return messages;
	}

}
