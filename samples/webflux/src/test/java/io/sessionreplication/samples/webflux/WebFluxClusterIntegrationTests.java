/*
 * Copyright 2026 the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */
package io.sessionreplication.samples.webflux;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.sessionreplication.test.AcknowledgedUpdates;
import io.sessionreplication.test.Browser;
import io.sessionreplication.test.ClusterAssertions;
import io.sessionreplication.test.ClusterMember;
import io.sessionreplication.test.LocalCluster;
import io.sessionreplication.test.Reply;
import io.sessionreplication.test.Routing;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end test of the WebFlux sample on Netty, with the test kit: two processes of its
 * jar, users whose requests alternate between them, then a {@code kill -9} of one: every
 * answer is one above the last the user was told (no stale read, no lost update), the
 * restarted instance has every session when it is ready, and health, metrics and the
 * endpoint answer on a reactive application as on a servlet one.
 */
class WebFluxClusterIntegrationTests {

	private static final Pattern COUNTER = Pattern.compile("\"counter\":(\\d+)");

	private static final Duration QUIET = Duration.ofSeconds(30);

	@Test
	void alternatingRequestsSurviveTheKillOfAnInstance() throws Exception {
		try (LocalCluster cluster = LocalCluster.processes(sampleJar())
			.property("management.endpoints.web.exposure.include", "health,sessionreplication,metrics")
			.start(2)) {
			List<Browser> users = new ArrayList<>();
			for (int i = 0; i < 4; i++) {
				users.add(cluster.browser(Routing.ALTERNATING));
			}
			AcknowledgedUpdates<Integer> counters = new AcknowledgedUpdates<>();
			count(users, counters, 4);
			checkAtRest(cluster, users, counters);
			for (ClusterMember member : cluster.members()) {
				assertThat(get(member, "/actuator/health")).contains("\"sessionReplication\":{\"status\":\"UP\"");
				assertThat(get(member, "/actuator/metrics/session.replication.members")).contains("\"value\":2.0");
			}

			cluster.member(0).crash(); // kill -9
			count(users, counters, 3);
			checkAtRest(cluster, users, counters);

			cluster.member(0).start();
			cluster.member(0).awaitReady();
			cluster.awaitView();
			// ready means it holds every session: read there first
			counters.assertNoneLost(cluster, WebFluxClusterIntegrationTests::current);
			count(users, counters, 2);
			checkAtRest(cluster, users, counters);
		}
	}

	/** Each user counts {@code requests} times; each answer is one above the last. */
	private static void count(List<Browser> users, AcknowledgedUpdates<Integer> counters, int requests) {
		for (int i = 0; i < requests; i++) {
			for (Browser user : users) {
				Reply reply = user.get("/counter");
				Integer previous = counters.lastAcknowledged(user);
				assertThat(reply.isSuccessful()).as(reply::toString).isTrue();
				assertThat(counter(reply)).as(() -> user + ": " + reply + " (a stale read or a lost update)")
					.isEqualTo((previous != null) ? previous + 1 : 1);
				counters.acknowledged(user, counter(reply));
			}
		}
	}

	private static void checkAtRest(LocalCluster cluster, List<Browser> users, AcknowledgedUpdates<Integer> counters) {
		ClusterAssertions.assertCopiesAgree(cluster, users, QUIET);
		ClusterAssertions.assertAttributesReadable(cluster, users);
		counters.assertNoneLost(cluster, WebFluxClusterIntegrationTests::current);
	}

	private static Integer current(Browser user, ClusterMember member) {
		return counter(user.getFrom(member, "/counter/current"));
	}

	private static int counter(Reply reply) {
		Matcher matcher = COUNTER.matcher(reply.body());
		if (!matcher.find()) {
			throw new AssertionError("No counter in " + reply);
		}
		return Integer.parseInt(matcher.group(1));
	}

	private static String get(ClusterMember member, String path) throws IOException, InterruptedException {
		HttpClient http = HttpClient.newHttpClient();
		HttpResponse<String> response = http.send(
				HttpRequest.newBuilder(member.uri(path)).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
		assertThat(response.statusCode()).as(() -> path + " on " + member + ": " + response.body()).isEqualTo(200);
		return response.body();
	}

	private static Path sampleJar() throws IOException {
		try (Stream<Path> files = Files.list(Path.of("target"))) {
			return files.filter((file) -> {
				String name = file.getFileName().toString();
				return name.startsWith("session-replication-sample-webflux-") && name.endsWith(".jar");
			})
				.max(Comparator.comparing((file) -> file.toFile().lastModified()))
				.orElseThrow(() -> new AssertionError(
						"No session-replication-sample-webflux-*.jar in target: build it first (./mvnw verify runs this test after package)"));
		}
	}

}
