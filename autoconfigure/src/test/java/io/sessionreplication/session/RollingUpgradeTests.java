package io.sessionreplication.session;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.sessionreplication.replication.ReplicationMode;
import io.sessionreplication.session.ReplicatedSessionRepository.ReplicatedSession;
import io.sessionreplication.testcluster.TestCluster;
import io.sessionreplication.testcluster.TestCluster.Member;
import io.sessionreplication.wire.ClusterMessageCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of a rolling upgrade on real members in one JVM: members of this release and
 * members that play the release before ({@link TestCluster#startPreviousRelease}: they
 * speak format 3 only and announce nothing) share one cluster. While one of the release
 * before is in the view, every member sends format 3; once none is, they switch to format
 * 4. No payload is rejected on the way, and no session or change is lost.
 */
class RollingUpgradeTests {

	private static final int PREVIOUS = ClusterMessageCodec.OLDEST_FORMAT;

	private static final int CURRENT = ClusterMessageCodec.NEWEST_FORMAT;

	private TestCluster cluster;

	@AfterEach
	void closeCluster() {
		if (this.cluster != null) {
			this.cluster.close();
		}
	}

	@Test
	void everyMemberSendsTheFormatOfTheReleaseBeforeWhileOneIsInTheViewAndTheNewestOnceNoneIs() {
		this.cluster = new TestCluster(ReplicationMode.ALL_TO_ALL);
		Member current = this.cluster.start("node-1");
		assertThat(current.replicator.wireFormat()).isEqualTo(CURRENT);
		Member previous = this.cluster.startPreviousRelease("node-2");
		current.transport.clear();
		previous.transport.clear();

		assertThat(List.of(current.replicator.wireFormat(), previous.replicator.wireFormat())).containsOnly(PREVIOUS);
		ReplicatedSession fromCurrent = current.createSession("user", "alice");
		ReplicatedSession fromPrevious = previous.createSession("user", "bob");
		assertThat(previous.repository.findById(fromCurrent.getId()).<String>getAttribute("user")).isEqualTo("alice");
		assertThat(current.repository.findById(fromPrevious.getId()).<String>getAttribute("user")).isEqualTo("bob");
		current.repository.deleteById(fromCurrent.getId());
		assertThat(previous.repository.findById(fromCurrent.getId())).isNull();
		assertThat(current.transport.sentFormats()).isNotEmpty().containsOnly(PREVIOUS);
		assertThat(previous.transport.sentFormats()).isNotEmpty().containsOnly(PREVIOUS);

		previous.leave();
		this.cluster.awaitView();
		Member upgraded = this.cluster.start("node-2");
		current.transport.clear();
		upgraded.transport.clear();

		assertThat(List.of(current.replicator.wireFormat(), upgraded.replicator.wireFormat())).containsOnly(CURRENT);
		current.update(fromPrevious.getId(), (session) -> session.setAttribute("user", "carol"));
		assertThat(upgraded.repository.findById(fromPrevious.getId()).<String>getAttribute("user")).isEqualTo("carol");
		assertThat(upgraded.repository.findById(fromCurrent.getId())).isNull();
		assertThat(current.transport.sentFormats()).isNotEmpty().containsOnly(CURRENT);
		assertNothingRejected(List.of(current, previous, upgraded));
	}

	@Test
	void memberOfTheReleaseBeforeThatJoinsReceivesEverySessionThenEveryChange() {
		this.cluster = new TestCluster(ReplicationMode.ALL_TO_ALL);
		Member first = this.cluster.start("node-1");
		Member second = this.cluster.start("node-2");
		ReplicatedSession kept = first.createSession("user", "alice");
		ReplicatedSession removed = second.createSession("user", "bob");

		Member previous = this.cluster.startPreviousRelease("node-3");

		assertThat(previous.sessionsArrived).isTrue();
		assertThat(previous.join.complete()).isTrue();
		assertThat(previous.repository.findById(kept.getId()).<String>getAttribute("user")).isEqualTo("alice");
		assertThat(previous.repository.findById(removed.getId()).<String>getAttribute("user")).isEqualTo("bob");
		first.update(kept.getId(), (session) -> session.setAttribute("user", "dave"));
		second.repository.deleteById(removed.getId());
		assertThat(previous.repository.findById(kept.getId()).<String>getAttribute("user")).isEqualTo("dave");
		assertThat(previous.repository.findById(removed.getId())).isNull();
		assertThat(previous.store.remembersRemoval(removed.getId())).isTrue();
		assertNothingRejected(List.of(first, second, previous));
	}

	@ParameterizedTest
	@EnumSource(ReplicationMode.class)
	void rollingUpgradeOfEveryMemberKeepsEverySessionAndEveryChange(ReplicationMode mode) {
		this.cluster = new TestCluster(mode);
		List<Member> members = new ArrayList<>();
		for (String name : List.of("node-1", "node-2", "node-3")) {
			members.add(this.cluster.startPreviousRelease(name));
		}
		Map<String, Integer> counters = new LinkedHashMap<>();
		for (int i = 0; i < 9; i++) {
			counters.put(members.get(i % 3).createSession("counter", 0).getId(), 0);
		}
		List<Member> everyMember = new ArrayList<>(members);

		for (int upgrading = 0; upgrading < members.size(); upgrading++) {
			Member old = members.get(upgrading);
			old.leave();
			this.cluster.awaitView();
			Member upgraded = this.cluster.start(old.name);
			members.set(upgrading, upgraded);
			everyMember.add(upgraded);

			int expected = (upgrading == members.size() - 1) ? CURRENT : PREVIOUS;
			assertThat(members).as("after upgrading %s", old.name)
				.allSatisfy((member) -> assertThat(member.replicator.wireFormat()).isEqualTo(expected));
			int turn = 0;
			for (Map.Entry<String, Integer> counter : counters.entrySet()) {
				Member serving = members.get(turn++ % members.size());
				int next = counter.getValue() + 1;
				serving.update(counter.getKey(), (session) -> session.setAttribute("counter", next));
				counter.setValue(next);
			}
			for (Member member : members) {
				counters.forEach((id, value) -> assertThat(member.repository.findById(id))
					.as("session on %s after upgrading %s", member.name, old.name)
					.isNotNull()
					.satisfies((session) -> assertThat(session.<Integer>getAttribute("counter")).isEqualTo(value)));
			}
		}
		assertNothingRejected(everyMember);
	}

	private void assertNothingRejected(List<Member> members) {
		for (Member member : members) {
			assertThat(member.statistics.getRejectedPayloads()).as("payloads %s rejected", member.name).isZero();
			assertThat(member.statistics.getRejectedMessages()).as("messages %s rejected", member.name).isZero();
			assertThat(member.statistics.getRejectionsReceived()).as("rejections %s received", member.name).isZero();
		}
	}

}
