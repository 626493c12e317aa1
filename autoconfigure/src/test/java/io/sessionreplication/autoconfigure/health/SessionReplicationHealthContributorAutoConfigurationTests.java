package io.sessionreplication.autoconfigure.health;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.sessionreplication.autoconfigure.SessionReplicationAutoConfiguration;
import io.sessionreplication.cluster.ClusterTransport;
import io.sessionreplication.replication.SessionReplicator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static io.sessionreplication.autoconfigure.MemberContexts.awaitMembers;
import static io.sessionreplication.autoconfigure.MemberContexts.createSessions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link SessionReplicationHealthContributorAutoConfiguration} and
 * {@link SessionReplicationHealthIndicator}, with real members in one JVM.
 */
class SessionReplicationHealthContributorAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(SessionReplicationAutoConfiguration.class,
				SessionAutoConfiguration.class, SessionReplicationHealthContributorAutoConfiguration.class))
		.withPropertyValues("session.replication.jgroups.config=classpath:test-stack.xml",
				"session.replication.cluster-name=health-" + UUID.randomUUID());

	@Test
	void indicatorIsAbsentWhenDisabled() {
		this.contextRunner.withPropertyValues("management.health.sessionreplication.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(SessionReplicationHealthIndicator.class));
	}

	@Test
	void aMemberAloneIsUpAndSaysThatItsSessionsHaveNoCopyElsewhere() {
		this.contextRunner.run((context) -> {
			createSessions(context, 3);
			Health health = health(context);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(health.getDetails()).containsKey("alone")
				.containsEntry("mode", "all-to-all")
				.containsEntry("members", List.of(context.getBean(ClusterTransport.class).localMember()))
				.containsEntry("sessions", Map.of("replica", 3))
				.containsEntry("sessionsShortOfBackups", 3);
			assertThat(stateTransfer(health)).containsEntry("outcome", "first-member");
		});
	}

	@Test
	void aJoiningMemberReportsTheSessionsItReceivedAndBothAgreeOnTheView() {
		this.contextRunner.run((first) -> {
			createSessions(first, 5);
			this.contextRunner.run((second) -> {
				awaitMembers(first, 2);
				Health joined = health(second);
				assertThat(joined.getStatus()).isEqualTo(Status.UP);
				assertThat(joined.getDetails()).doesNotContainKey("alone")
					.containsEntry("sessions", Map.of("replica", 5))
					.containsEntry("sessionsShortOfBackups", 0)
					.containsEntry("copiesBehind", 0L)
					.containsEntry("view", health(first).getDetails().get("view"));
				assertThat(stateTransfer(joined)).containsEntry("outcome", "complete")
					.containsEntry("sessions", 5)
					.hasEntrySatisfying("bytes", (bytes) -> assertThat((long) bytes).isPositive());
				assertThat(health(first).getDetails()).doesNotContainKey("alone")
					.containsEntry("sessionsShortOfBackups", 0);
				createSessions(first, 2);
				assertThat(health(first).getDetails()).containsEntry("changes",
						Map.of("applied", 2L, "rejected", 0L, "missing", 0L));
			});
		});
	}

	@Test
	void aJoinWhoseStateTransferTimesOutIsReportedIncomplete() {
		this.contextRunner.run((first) -> {
			// far more than a millisecond's worth of state
			createSessions(first, 20_000);
			this.contextRunner.withPropertyValues("session.replication.state-transfer-timeout=1ms").run((second) -> {
				awaitMembers(first, 2);
				Health joined = health(second);
				assertThat(joined.getStatus()).isEqualTo(Status.UP);
				assertThat(stateTransfer(joined)).containsEntry("outcome", "incomplete");
			});
		});
	}

	@Test
	void primaryBackupCountsEachSessionOnceAsPrimaryAndOnceAsBackupAcrossTheMembers() {
		WebApplicationContextRunner runner = this.contextRunner
			.withPropertyValues("session.replication.mode=primary-backup");
		runner.run((first) -> runner.run((second) -> runner.run((third) -> {
			awaitMembers(first, 3);
			awaitMembers(third, 3);
			await().atMost(Duration.ofSeconds(15))
				.until(() -> List.of(first, second, third)
					.stream()
					.noneMatch((member) -> member.getBean(SessionReplicator.class).isRebalancing()));
			createSessions(first, 30);
			List<Health> healths = List.of(health(first), health(second), health(third));
			assertThat(healths).allSatisfy((health) -> {
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("mode", "primary-backup")
					.containsEntry("sessionsShortOfBackups", 0)
					.containsEntry("rebalancing", false);
			});
			assertThat(healths.stream().mapToInt((health) -> held(health, "primary")).sum()).isEqualTo(30);
			assertThat(healths.stream().mapToInt((health) -> held(health, "backup")).sum()).isEqualTo(30);
		})));
	}

	@Test
	void aPrimaryAloneCountsItsSessionsAsShortOfBackups() {
		this.contextRunner.withPropertyValues("session.replication.mode=primary-backup").run((context) -> {
			createSessions(context, 4);
			assertThat(health(context).getDetails()).containsEntry("sessionsShortOfBackups", 4)
				.containsEntry("sessions", Map.of("primary", 4, "backup", 0, "spare", 0));
		});
	}

	@Test
	void aMemberThatLeftTheClusterIsDown() {
		this.contextRunner.run((context) -> {
			assertThat(health(context).getStatus()).isEqualTo(Status.UP);
			context.getBean(ClusterTransport.class).leave();
			assertThat(health(context).getStatus()).isEqualTo(Status.DOWN);
		});
	}

	private static Health health(AssertableWebApplicationContext context) {
		return context.getBean(SessionReplicationHealthIndicator.class).health();
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> stateTransfer(Health health) {
		return (Map<String, Object>) health.getDetails().get("stateTransfer");
	}

	@SuppressWarnings("unchecked")
	private static int held(Health health, String role) {
		return ((Map<String, Integer>) health.getDetails().get("sessions")).get(role);
	}

}
