package io.sessionreplication.wire;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import io.sessionreplication.replication.ReplicationMode;
import io.sessionreplication.testcluster.SampleMessages;
import io.sessionreplication.testcluster.TestCluster;
import io.sessionreplication.testcluster.TestCluster.Member;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;

import static io.sessionreplication.testcluster.SampleMessages.comparable;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real member, alone in its cluster, whose replicator receives payloads that the codec
 * rejects: it must count each as rejected and leave its sessions as they were. It holds a
 * session of every id that the {@link SampleMessages} name, at older versions, so that
 * any sample message applied from a rejected payload would change it. Its warning for
 * each rejected payload is silenced meanwhile: a fuzzer sends thousands.
 */
final class RejectionWitness implements AutoCloseable {

	private static final String REPLICATOR_LOGGER = "io.sessionreplication.replication.RejectionLog";

	private final LoggingSystem logging = LoggingSystem.get(getClass().getClassLoader());

	private final TestCluster cluster = new TestCluster(ReplicationMode.ALL_TO_ALL);

	private final Member member;

	private final State before;

	private long rejected;

	private long rejectedMessages;

	RejectionWitness() {
		this.member = this.cluster.start("witness");
		this.member.createSession("user", "alice");
		List<ClusterMessage> older = SampleMessages.oneOfEachKind()
			.stream()
			.flatMap(RejectionWitness::sessionIds)
			.distinct()
			.<ClusterMessage>map(RejectionWitness::olderCopy)
			.toList();
		this.member.replicator.receive(new ClusterMessageCodec().encode(older), "sender");
		this.before = state();
		assertThat(this.before.sessionIds()).hasSize(older.size() + 1);
		this.rejected = this.member.statistics.getRejectedPayloads();
		this.rejectedMessages = this.member.statistics.getRejectedMessages();
		this.logging.setLogLevel(REPLICATOR_LOGGER, LogLevel.ERROR);
	}

	/**
	 * Hand a payload the codec rejects to the replicator, and assert that it rejected it
	 * too, answered with a negative acknowledgement, counted it and changed nothing.
	 * @param payload the payload
	 * @param malformed whether the codec rejected it whole, as malformed, rather than
	 * each of its messages
	 */
	void assertRejectedWithoutChange(byte[] payload, boolean malformed) {
		byte[] reply = this.member.replicator.receive(payload, "fuzzer").toCompletableFuture().join();
		assertThat(reply).as("the reply to a rejected payload").isNotNull();
		List<ClusterMessage> answer = new ClusterMessageCodec().decode(reply);
		assertThat(answer).as("the reply to a rejected payload").singleElement().isInstanceOf(Rejection.class);
		if (malformed) {
			assertThat(this.member.statistics.getRejectedPayloads()).as("payloads rejected").isEqualTo(++this.rejected);
		}
		else {
			this.rejectedMessages += ((Rejection) answer.get(0)).count();
			assertThat(this.member.statistics.getRejectedMessages()).as("messages rejected")
				.isEqualTo(this.rejectedMessages);
		}
		assertThat(state()).as("the sessions after a rejected payload").isEqualTo(this.before);
	}

	@Override
	public void close() {
		this.logging.setLogLevel(REPLICATOR_LOGGER, null);
		this.cluster.close();
	}

	private State state() {
		List<SessionDelta> sessions = new ArrayList<>();
		this.member.store.exportSessions(sessions::add);
		sessions.sort(Comparator.comparing(SessionDelta::sessionId));
		Set<String> removed = new TreeSet<>();
		this.member.store.exportRemovals((removal) -> removed.add(removal.sessionId()));
		return new State(sessions.stream().map(SessionDelta::sessionId).toList(), comparable(sessions), removed);
	}

	/** The sessions a message would change if it were applied. */
	private static Stream<String> sessionIds(ClusterMessage message) {
		if (message instanceof SessionDelta delta) {
			return Stream.of(delta.sessionId(), delta.previousId()).filter((id) -> id != null);
		}
		if (message instanceof SessionRemoval removal) {
			return Stream.of(removal.sessionId());
		}
		return Stream.empty();
	}

	/** A whole session with an attribute that no sample message has, at version 1. */
	private static SessionDelta olderCopy(String id) {
		return new SessionDelta(id, null, SampleMessages.CREATED, Duration.ofMinutes(30), new ChangeStamp(1, "witness"),
				SampleMessages.CREATED, "witness", List.of(SampleMessages.set("before", 1, "witness", id)),
				Coverage.CURRENT_COPY);
	}

	/**
	 * What the member holds.
	 *
	 * @param sessionIds the ids of its sessions
	 * @param sessions its sessions, whole, in a form that compares by value
	 * @param removed the ids of the sessions it remembers as removed
	 */
	private record State(List<String> sessionIds, List<Object> sessions, Set<String> removed) {

	}

}
