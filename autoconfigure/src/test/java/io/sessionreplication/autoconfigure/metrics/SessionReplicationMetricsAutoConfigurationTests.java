package io.sessionreplication.autoconfigure.metrics;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.sessionreplication.autoconfigure.SessionReplicationAutoConfiguration;
import io.sessionreplication.cluster.ClusterTransport;
import io.sessionreplication.metrics.SessionReplicationMetrics;
import io.sessionreplication.session.ReplicatedSessionRepository;
import io.sessionreplication.session.ReplicatedSessionRepository.ReplicatedSession;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.session.autoconfigure.SessionAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static io.sessionreplication.autoconfigure.MemberContexts.awaitMembers;
import static io.sessionreplication.autoconfigure.MemberContexts.createSessions;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link SessionReplicationMetricsAutoConfiguration} and
 * {@link SessionReplicationMetrics}, with real members in one JVM and the registry that
 * Spring Boot configures.
 */
class SessionReplicationMetricsAutoConfigurationTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(SessionReplicationAutoConfiguration.class, SessionAutoConfiguration.class,
						MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
						SimpleMetricsExportAutoConfiguration.class, SessionReplicationMetricsAutoConfiguration.class))
		.withPropertyValues("session.replication.jgroups.config=classpath:test-stack.xml",
				"session.replication.cluster-name=metrics-" + UUID.randomUUID());

	@Test
	void metricsAreAbsentWithoutARegistry() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(SessionReplicationAutoConfiguration.class,
					SessionAutoConfiguration.class, SessionReplicationMetricsAutoConfiguration.class))
			.withPropertyValues("session.replication.jgroups.config=classpath:test-stack.xml",
					"session.replication.cluster-name=metrics-" + UUID.randomUUID())
			.run((context) -> assertThat(context).doesNotHaveBean(SessionReplicationMetrics.class));
	}

	@Test
	void sessionsAndTrafficAreCountedOnBothMembersBySessionRoleAndMessageKind() {
		this.contextRunner.run((first) -> this.contextRunner.run((second) -> {
			awaitMembers(first, 2);
			List<String> ids = createSessions(first, 5);
			first.getBean(ReplicatedSessionRepository.class).deleteById(ids.get(0));
			MeterRegistry sender = first.getBean(MeterRegistry.class);
			MeterRegistry receiver = second.getBean(MeterRegistry.class);

			assertThat(count(sender, "session.replication.sessions.created")).isEqualTo(5);
			assertThat(count(sender, "session.replication.sessions.invalidated")).isEqualTo(1);
			assertThat(count(receiver, "session.replication.sessions.created")).isZero();
			assertThat(count(sender, "session.replication.messages.sent", "kind", "delta")).isEqualTo(5);
			assertThat(count(sender, "session.replication.messages.sent", "kind", "removal")).isEqualTo(1);
			assertThat(count(receiver, "session.replication.messages.received", "kind", "delta")).isEqualTo(5);
			assertThat(count(sender, "session.replication.bytes.sent", "kind", "delta")).isPositive()
				.isEqualTo(count(receiver, "session.replication.bytes.received", "kind", "delta"));
			double payloads = count(sender, "session.replication.payloads.sent");
			assertThat(payloads).isEqualTo(6);
			assertThat(sender.get("session.replication.ack.latency").timer().count()).isEqualTo(6);
			assertThat(sender.get("session.replication.attribute.size").summary().count()).isEqualTo(5);
			assertThat(sender.get("session.replication.session.size").summary().totalAmount()).isPositive();
			for (MeterRegistry registry : List.of(sender, receiver)) {
				assertThat(gauge(registry, "session.replication.sessions", "role", "replica")).isEqualTo(4);
				assertThat(gauge(registry, "session.replication.sessions.short.of.backups")).isZero();
				assertThat(gauge(registry, "session.replication.members")).isEqualTo(2);
			}
			assertThat(first.getBean(ClusterTransport.class)
				.sendAndAwait(new byte[] { 42 }, Duration.ofSeconds(3))
				.missing()).isEmpty();
			assertThat(count(receiver, "session.replication.payloads.rejected")).isEqualTo(1);
		}));
	}

	@Test
	void aJoiningMemberRecordsItsStateTransfer() {
		this.contextRunner.run((first) -> {
			createSessions(first, 7);
			this.contextRunner.run((second) -> {
				MeterRegistry registry = second.getBean(MeterRegistry.class);
				assertThat(gauge(registry, "session.replication.state.transfer.sessions")).isEqualTo(7);
				assertThat(gauge(registry, "session.replication.state.transfer.size")).isPositive();
				assertThat(registry.get("session.replication.state.transfer.duration").timeGauge().value())
					.isPositive();
			});
		});
	}

	@Test
	void primaryBackupSessionsAreGaugedByRoleAndAPrimaryAloneIsShortOfBackups() {
		this.contextRunner.withPropertyValues("session.replication.mode=primary-backup").run((context) -> {
			createSessions(context, 3);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(gauge(registry, "session.replication.sessions", "role", "primary")).isEqualTo(3);
			assertThat(gauge(registry, "session.replication.sessions", "role", "backup")).isZero();
			assertThat(gauge(registry, "session.replication.sessions", "role", "spare")).isZero();
			assertThat(registry.find("session.replication.sessions").tag("role", "replica").gauge()).isNull();
			assertThat(gauge(registry, "session.replication.sessions.short.of.backups")).isEqualTo(3);
		});
	}

	@Test
	void anExpiredSessionIsCountedOnTheMemberThatLastUsedIt() {
		this.contextRunner.run((context) -> {
			ReplicatedSessionRepository repository = context.getBean(ReplicatedSessionRepository.class);
			ReplicatedSession session = repository.createSession();
			session.setMaxInactiveInterval(Duration.ofMillis(100));
			repository.save(session);
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
				repository.cleanUpExpiredSessions();
				assertThat(count(registry, "session.replication.sessions.expired")).isEqualTo(1);
			});
		});
	}

	private static double count(MeterRegistry registry, String name, String... tags) {
		return registry.get(name).tags(tags).functionCounter().count();
	}

	private static double gauge(MeterRegistry registry, String name, String... tags) {
		return registry.get(name).tags(tags).gauge().value();
	}

}
