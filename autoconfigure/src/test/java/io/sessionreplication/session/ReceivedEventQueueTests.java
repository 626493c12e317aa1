package io.sessionreplication.session;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.sessionreplication.replication.ReplicationMode;
import io.sessionreplication.testcluster.TestCluster;
import io.sessionreplication.testcluster.TestCluster.Member;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.session.events.SessionCreatedEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The bounded queue of the events that changes from other members cause, with real
 * members: when the listeners fall behind by its capacity, new events are dropped,
 * counted and logged once, and replication goes on.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReceivedEventQueueTests {

	@Test
	void eventsBeyondTheCapacityAreDroppedAndCountedWhileReplicationGoesOn(CapturedOutput output)
			throws InterruptedException {
		try (TestCluster cluster = new TestCluster(ReplicationMode.ALL_TO_ALL)) {
			Member a = cluster.start("node-1");
			Member b = cluster.start("node-2");
			CountDownLatch listenerBlocked = new CountDownLatch(1);
			CountDownLatch release = new CountDownLatch(1);
			List<Object> published = new CopyOnWriteArrayList<>();
			b.repository.setPublishEventsOnEveryMember(true);
			b.repository.setEventQueueCapacity(2);
			b.repository.setApplicationEventPublisher((event) -> {
				published.add(event);
				listenerBlocked.countDown();
				awaitLatch(release);
			});

			String first = a.createSession("user", "alice").getId();
			assertThat(listenerBlocked.await(10, TimeUnit.SECONDS)).isTrue();
			for (int i = 0; i < 4; i++) {
				a.createSession("user", "bob-" + i);
			}

			assertThat(b.statistics.getEventsDropped()).isEqualTo(2);
			assertThat(b.store.size()).isEqualTo(5);
			release.countDown();
			await().atMost(Duration.ofSeconds(10)).until(() -> published.size() == 3);
			assertThat(published).allMatch(SessionCreatedEvent.class::isInstance);
			assertThat(((SessionCreatedEvent) published.get(0)).getSessionId()).isEqualTo(first);
			assertThat(output.getAll()).containsOnlyOnce("Dropped a SessionCreatedEvent");
		}
	}

	private static void awaitLatch(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
