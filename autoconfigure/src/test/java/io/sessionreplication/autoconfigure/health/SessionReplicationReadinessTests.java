package io.sessionreplication.autoconfigure.health;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import io.sessionreplication.replication.ReplicationStatistics;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static io.sessionreplication.autoconfigure.MemberContexts.createSessions;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that a joining member's readiness waits for its state transfer, and that the
 * health endpoint shows the {@code sessionReplication} contributor and the
 * {@code sessionreplication} endpoint lists every member's copy over HTTP: two real
 * applications with an embedded Tomcat on 127.0.0.1.
 */
class SessionReplicationReadinessTests {

	private final String clusterName = "readiness-" + UUID.randomUUID();

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Test
	void aJoiningMemberRefusesTrafficUntilItHoldsTheSessionsAndThenShowsThemInItsHealth() throws Exception {
		try (ConfigurableApplicationContext first = start()) {
			String id = createSessions(first, 3).get(0);
			try (ConfigurableApplicationContext second = start()) {
				assertThat(second.getBean(ReadinessRecorder.class).changes).containsExactly(
						"REFUSING_TRAFFIC while the state transfer is in-progress",
						"ACCEPTING_TRAFFIC after the state transfer was complete");
				HttpResponse<String> readiness = get(second, "/actuator/health/readiness");
				assertThat(readiness.statusCode()).isEqualTo(200);
				assertThat(readiness.body()).contains("\"UP\"");
				HttpResponse<String> health = get(second, "/actuator/health/sessionReplication");
				assertThat(health.statusCode()).isEqualTo(200);
				assertThat(health.body().replace(" ", "")).contains("\"status\":\"UP\"")
					.contains("\"sessions\":{\"replica\":3}")
					.contains("\"outcome\":\"complete\"");
				HttpResponse<String> copies = get(second, "/actuator/sessionreplication/" + id + "?cluster=true");
				assertThat(copies.statusCode()).isEqualTo(200);
				assertThat(copies.body().replace(" ", "").split("\"answered\":true,\"held\":true,\"role\":\"replica\""))
					.as("the members' answers in %s", copies.body())
					.hasSize(3);
			}
		}
	}

	private ConfigurableApplicationContext start() {
		return new SpringApplicationBuilder(TestApplication.class)
			.properties("server.address=127.0.0.1", "server.port=0",
					"session.replication.jgroups.config=classpath:test-stack.xml",
					"session.replication.cluster-name=" + this.clusterName,
					"management.endpoint.health.probes.enabled=true", "management.endpoint.health.show-details=always",
					"management.endpoints.web.exposure.include=health,sessionreplication")
			.run();
	}

	private HttpResponse<String> get(ConfigurableApplicationContext context, String path) throws Exception {
		int port = ((WebServerApplicationContext) context).getWebServer().getPort();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(10))
			.build();
		return this.client.send(request, BodyHandlers.ofString());
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class TestApplication {

		@Bean
		ReadinessRecorder readinessRecorder(ObjectProvider<ReplicationStatistics> statistics) {
			return new ReadinessRecorder(statistics);
		}

	}

	/** Records each readiness change with the state transfer's outcome at that moment. */
	static class ReadinessRecorder implements ApplicationListener<AvailabilityChangeEvent<ReadinessState>> {

		final List<String> changes = new CopyOnWriteArrayList<>();

		private final ObjectProvider<ReplicationStatistics> statistics;

		ReadinessRecorder(ObjectProvider<ReplicationStatistics> statistics) {
			this.statistics = statistics;
		}

		@Override
		public void onApplicationEvent(AvailabilityChangeEvent<ReadinessState> event) {
			String outcome = this.statistics.getObject()
				.getStateTransfer()
				.outcome()
				.name()
				.toLowerCase(Locale.ROOT)
				.replace('_', '-');
			this.changes.add(event.getState() + ((event.getState() == ReadinessState.ACCEPTING_TRAFFIC)
					? " after the state transfer was " : " while the state transfer is ") + outcome);
		}

	}

}
