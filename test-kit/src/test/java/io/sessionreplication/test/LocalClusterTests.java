package io.sessionreplication.test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.sessionreplication.test.counter.CounterApplication;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The kit on members in this JVM: real JGroups channels, real HTTP. Faults are made in
 * JGroups (see {@link InJvmMember}).
 */
class LocalClusterTests {

	private static final Duration QUIET = Duration.ofSeconds(20);

	@Test
	void alternatingAndStickyUsersKeepEveryUpdateThroughACrashAndAPartition() {
		try (LocalCluster cluster = LocalCluster.inJvm(CounterApplication.class).start(3)) {
			List<Browser> users = new ArrayList<>();
			AcknowledgedUpdates<String> counters = new AcknowledgedUpdates<>();
			for (int i = 0; i < 4; i++) {
				users.add(cluster.browser((i % 2 == 0) ? Routing.ALTERNATING : Routing.STICKY));
			}
			count(users, counters, 3);
			checkAtRest(cluster, users, counters);

			cluster.member(0).crash();
			cluster.awaitView();
			assertThat(cluster.servingMembers()).extracting(ClusterMember::name)
				.containsExactly("member-2", "member-3");
			count(users, counters, 2);
			checkAtRest(cluster, users, counters);

			cluster.member(0).start();
			cluster.member(0).awaitReady();
			cluster.awaitView();
			checkAtRest(cluster, users, counters);

			cluster.partition(List.of(cluster.member(2)));
			cluster.member(2).pause(); // users go to the majority side only
			cluster.awaitView(); // once it excluded member-3, no change waits for it
			count(users, counters, 2);
			cluster.member(2).resume();
			cluster.heal();
			cluster.awaitView();
			checkAtRest(cluster, users, counters);
		}
	}

	@Test
	void attributeCheckNamesAValueThatAMemberCannotRead() {
		try (LocalCluster cluster = LocalCluster.inJvm(CounterApplication.class).build()) {
			cluster.startMember();
			ClusterMember strict = cluster
				.addMember(Map.of("session.replication.serialization.denied-classes", "java.util.ArrayList"));
			strict.start();
			strict.awaitReady();
			cluster.awaitView();
			Browser user = cluster.browser(Routing.STICKY);
			assertThat(user.post("/cart?item=book").isSuccessful()).isTrue();
			assertThat(user.lastMember()).isSameAs(cluster.member(0));
			ClusterAssertions.assertCopiesAgree(cluster, List.of(user), QUIET);
			assertThatExceptionOfType(AssertionError.class)
				.isThrownBy(() -> ClusterAssertions.assertAttributesReadable(cluster, List.of(user)))
				.withMessageContaining("on member-2: attribute 'cart'")
				.withMessageContaining("cannot be deserialized")
				.withMessageNotContaining("book");
		}
	}

	@Test
	void copiesThatDifferAreReportedWithTheMemberThatMissedTheChange() {
		try (LocalCluster cluster = LocalCluster.inJvm(CounterApplication.class)
			.property("session.replication.delivery", "async")
			.property("session.replication.ack-timeout", "1s")
			.start(2)) {
			Browser user = cluster.browser(Routing.STICKY);
			user.post("/counter");
			ClusterAssertions.assertCopiesAgree(cluster, List.of(user), QUIET);
			// member-2 stops hearing member-1, which does not know yet
			((InJvmMember) cluster.member(1)).cutFrom(List.of((InJvmMember) cluster.member(0)));
			assertThat(user.post("/counter").member()).isSameAs(cluster.member(0));
			assertThatExceptionOfType(AssertionError.class)
				.isThrownBy(() -> ClusterAssertions.assertCopiesAgree(cluster, List.of(user), Duration.ofSeconds(2)))
				.withMessageContaining("did not agree")
				.withMessageContaining("member-2");
		}
	}

	@Test
	void aLostUpdateIsReportedWithTheUserAndTheMember() {
		try (LocalCluster cluster = LocalCluster.inJvm(CounterApplication.class).start(2)) {
			Browser user = cluster.browser(Routing.ALTERNATING);
			AcknowledgedUpdates<String> counters = new AcknowledgedUpdates<>();
			counters.acknowledged(user, user.post("/counter").body());
			counters.assertNoneLost(cluster, LocalClusterTests::readCounter);
			// a state the application never acknowledged stands for a lost update
			counters.acknowledged(user, "2");
			assertThatExceptionOfType(AssertionError.class)
				.isThrownBy(() -> counters.assertNoneLost(cluster, LocalClusterTests::readCounter))
				.withMessageContaining("on member-1: acknowledged 2, served 1")
				.withMessageContaining("on member-2: acknowledged 2, served 1");
		}
	}

	@Test
	void processMembersCannotBePartitionedAndNoRequestGoesToAClusterThatDoesNotServe() {
		LocalCluster cluster = LocalCluster.processes(CounterApplication.class).build();
		cluster.addMember();
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> cluster.partition(List.of(cluster.member(0))))
			.withMessageContaining("use LocalCluster.inJvm");
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(() -> cluster.browser(Routing.STICKY).get("/counter"))
			.withMessageContaining("No member of the cluster serves");
		cluster.close();
	}

	/** Each user counts {@code requests} times, each answer one above the last. */
	private static void count(List<Browser> users, AcknowledgedUpdates<String> counters, int requests) {
		for (int i = 0; i < requests; i++) {
			for (Browser user : users) {
				Reply reply = user.post("/counter");
				String previous = counters.lastAcknowledged(user);
				int expected = (previous != null) ? Integer.parseInt(previous) + 1 : 1;
				assertThat(reply.isSuccessful()).as(reply::toString).isTrue();
				assertThat(reply.body()).as(() -> user + ": " + reply).isEqualTo(String.valueOf(expected));
				counters.acknowledged(user, reply.body());
			}
		}
	}

	private static void checkAtRest(LocalCluster cluster, List<Browser> users, AcknowledgedUpdates<String> counters) {
		ClusterAssertions.assertCopiesAgree(cluster, users, QUIET);
		ClusterAssertions.assertAttributesReadable(cluster, users);
		counters.assertNoneLost(cluster, LocalClusterTests::readCounter);
	}

	private static String readCounter(Browser user, ClusterMember member) {
		return user.getFrom(member, "/counter").body();
	}

}
