package io.sessionreplication.session;

import java.util.List;
import java.util.UUID;

import io.sessionreplication.replication.ReplicationMode;
import io.sessionreplication.session.ReplicatedSessionRepository.ReplicatedSession;
import io.sessionreplication.testcluster.TestCluster;
import io.sessionreplication.testcluster.TestCluster.Member;
import io.sessionreplication.wire.ClusterMessageCodec;
import io.sessionreplication.wire.SessionIdFingerprint;
import io.sessionreplication.wire.SessionRemoval;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for the warnings and errors that concern one session, with real members: they
 * name it by its id's fingerprint and never print the id, a bearer credential. The test
 * logging configuration prints INFO and above, all of which is captured.
 */
@ExtendWith(OutputCaptureExtension.class)
class SessionIdLoggingTests {

	private final TestCluster cluster = new TestCluster(ReplicationMode.ALL_TO_ALL);

	@AfterEach
	void closeCluster() {
		this.cluster.close();
	}

	@Test
	void changesThatAMemberDoesNotAcknowledgeAreLoggedByFingerprint(CapturedOutput output) {
		List<Member> members = this.cluster.start(2);
		Member a = members.get(0);
		Member b = members.get(1);
		String id = a.createSession("user", "alice").getId();
		String newId;

		b.ignore(a);
		try {
			ReplicatedSession session = a.repository.findById(id);
			newId = session.changeSessionId();
			a.repository.save(session);
			a.repository.deleteById(newId);
		}
		finally {
			b.reconnect();
		}

		assertThat(a.statistics.getAckTimeouts()).isEqualTo(2);
		assertThat(output.getAll()).doesNotContain(id, newId)
			.contains("did not acknowledge the change of session " + SessionIdFingerprint.of(newId) + ", formerly "
					+ SessionIdFingerprint.of(id))
			.contains("did not acknowledge the removal of session " + SessionIdFingerprint.of(newId));
	}

	@Test
	void listenerThatFailsIsLoggedWithTheFingerprint(CapturedOutput output) {
		Member a = this.cluster.start("node-1");
		a.repository.setApplicationEventPublisher((event) -> {
			throw new IllegalStateException("listener failed");
		});

		String id = a.createSession("user", "alice").getId();
		a.repository.deleteById(id);

		assertThat(output.getAll()).doesNotContain(id)
			.contains("A listener of SessionCreatedEvent failed for session " + SessionIdFingerprint.of(id))
			.contains("A listener of SessionDeletedEvent failed for session " + SessionIdFingerprint.of(id));
	}

	@Test
	void rejectedPayloadIsLoggedOncePerSenderWithoutTheSessionIdItCarries(CapturedOutput output) {
		List<Member> members = this.cluster.start(2);
		String id = UUID.randomUUID().toString();
		byte[] payload = new ClusterMessageCodec()
			.encode(List.of(new SessionRemoval(id, SessionRemoval.Reason.INVALIDATED)));
		// the byte before the last (whether the removal says how long to remember it) is
		// the reason of the removal: no reason has this code
		payload[payload.length - 2] = 42;

		members.get(0).transport.sendAndAwait(payload, TestCluster.ACK_TIMEOUT);
		members.get(0).transport.sendAndAwait(payload, TestCluster.ACK_TIMEOUT);

		assertThat(members.get(1).statistics.getRejectedPayloads()).isEqualTo(2);
		assertThat(output.getAll()).containsOnlyOnce("Rejected a replication payload of 46 bytes from member node-1")
			.doesNotContain(id);
	}

}
