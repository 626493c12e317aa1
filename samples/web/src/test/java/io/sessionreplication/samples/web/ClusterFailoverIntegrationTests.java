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

package io.sessionreplication.samples.web;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.sessionreplication.samples.web.VirtualUser.Answer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end tests of the web sample as it runs in production: each node is the
 * executable jar in a JVM of its own, clustered with the zero-configuration defaults
 * (only the ports and the cluster name are set, to keep tests apart from each other and
 * from a developer's running cluster). A client sees only HTTP: {@code GET /counter}
 * increments a counter in the session, so every answer tells whether the node that gave
 * it had the latest state. The jar must have been built ({@code package}); failsafe runs
 * these tests in {@code verify}.
 */
class ClusterFailoverIntegrationTests {

	private static final int SESSIONS = 30;

	private static final int ALTERNATIONS = 100;

	private static final Path TARGET = Path.of("target");

	private final List<SampleNode> nodes = new ArrayList<>();

	private final Map<String, Duration> timings = new LinkedHashMap<>();

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	private Path jar;

	private Path logDirectory;

	private String clusterName;

	private int bindPort;

	private String testName;

	@BeforeEach
	void prepare(TestInfo testInfo) {
		this.testName = testInfo.getTestMethod().orElseThrow().getName();
		this.logDirectory = TARGET.resolve("e2e-logs").resolve(this.testName);
		this.clusterName = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
		this.bindPort = SampleNode.freeBindPortBase(10);
		this.jar = sampleJar();
	}

	@AfterEach
	void stopNodes() {
		this.nodes.forEach(SampleNode::stop);
		StringBuilder report = new StringBuilder();
		report.append(this.testName)
			.append(": cluster ")
			.append(this.clusterName)
			.append(", JGroups ports from ")
			.append(this.bindPort)
			.append(", logs in ")
			.append(this.logDirectory.toAbsolutePath());
		for (Map.Entry<String, Duration> timing : this.timings.entrySet()) {
			report.append("\n  ")
				.append(timing.getKey())
				.append(": ")
				.append(timing.getValue().toMillis())
				.append(" ms");
		}
		List<String> warnings = this.nodes.stream().flatMap((node) -> node.warningsAndErrors().stream()).toList();
		report.append("\n  WARN/ERROR lines in the node logs: ").append(warnings.size());
		warnings.forEach((line) -> report.append("\n    ").append(line));
		System.out.println(report);
	}

	@Test
	void sessionsSurviveAJoinACrashAndARejoinWithoutLosingAnAcknowledgedUpdate() {
		SampleNode a = node("web-a");
		SampleNode b = node("web-b");

		// a. sessions are created on A alone, each with its own count
		startAndAwaitReady(a, "a. start A, first member");
		long step = System.nanoTime();
		List<VirtualUser> users = new ArrayList<>();
		for (int i = 0; i < SESSIONS; i++) {
			VirtualUser user = new VirtualUser("user-" + i, this.http);
			users.add(user);
			for (int count = 0; count <= i % 5; count++) {
				expectNext("a. create and count on A", a, user);
			}
		}
		took("a. " + SESSIONS + " sessions on A", step);

		// b. B joins and has every session before it is ready, then both serve each one
		startAndAwaitReady(b, "b. start B, joins A");
		step = System.nanoTime();
		for (VirtualUser user : users) {
			expectNext("b. first read on B, A untouched since B joined", b, user);
		}
		for (int round = 0; round < 3; round++) {
			for (VirtualUser user : users) {
				expectNext("b. alternating, round " + round, a, user);
				expectNext("b. alternating, round " + round, b, user);
			}
		}
		for (VirtualUser user : users) {
			expectNext("b. last write, on A", a, user);
		}
		took("b. " + (SESSIONS * 8) + " requests alternating A and B", step);

		// c. A crashes right after the last write: B has every acknowledged update
		a.kill9();
		step = System.nanoTime();
		Duration slowest = Duration.ZERO;
		for (VirtualUser user : users) {
			long request = System.nanoTime();
			expectNext("c. on B after kill -9 of A", b, user);
			slowest = max(slowest, Duration.ofNanos(System.nanoTime() - request));
		}
		took("c. every session on B after kill -9 of A", step);
		this.timings.put("c. slowest request on B after kill -9 of A", slowest);

		// d. A comes back: once ready, it has every session, B's updates included
		startAndAwaitReady(a, "d. restart A, joins B");
		step = System.nanoTime();
		for (VirtualUser user : users) {
			expectNext("d. first read on A once ready again", a, user);
		}
		for (VirtualUser user : users) {
			expectNext("d. then on B", b, user);
		}
		took("d. every session on A, then on B", step);

		// e. a logout on A ends the session on B too
		VirtualUser leaving = users.get(0);
		String cookie = leaving.cookie();
		String sessionId = leaving.sessionId();
		assertThat(leaving.cookieSessionId()).as("the SESSION cookie of %s carries its session id", leaving)
			.isEqualTo(sessionId);
		int status = call("e. logout on A", a, leaving, () -> leaving.logout(a));
		assertThat(status).as(() -> "e. POST /logout of " + leaving + " on " + a + logs()).isIn(200, 204);
		VirtualUser replaying = VirtualUser.withCookie("user-0, cookie from before the logout", this.http, cookie);
		Answer answer = call("e. old cookie on B", b, replaying, () -> replaying.counter(b));
		assertThat(answer.session())
			.as(() -> "e. on " + b + ", the cookie of session " + sessionId + " invalidated on " + a
					+ " must yield a new session" + logs())
			.isNotEqualTo(sessionId);
		assertThat(answer.counter())
			.as(() -> "e. on " + b + ", the counter of the new session that replaces invalidated " + sessionId + logs())
			.isEqualTo(1);
		for (VirtualUser user : users.subList(1, users.size())) {
			expectNext("e. the other sessions on B after the logout", b, user);
		}
	}

	@Test
	void aClientAlternatingBetweenTwoNodesOnEveryRequestNeverReadsAStaleCounter() {
		SampleNode a = node("web-a");
		SampleNode b = node("web-b");
		startAndAwaitReady(a, "start A");
		startAndAwaitReady(b, "start B");
		VirtualUser user = new VirtualUser("user", this.http);
		long step = System.nanoTime();
		for (int i = 0; i < ALTERNATIONS; i++) {
			expectNext("request " + (i + 1) + " of " + ALTERNATIONS, (i % 2 == 0) ? a : b, user);
		}
		took(ALTERNATIONS + " requests alternating A and B", step);
		assertThat(user.counter()).isEqualTo(ALTERNATIONS);
	}

	private SampleNode node(String name) {
		SampleNode node = new SampleNode(name, this.jar, SampleNode.freeHttpPort(), this.bindPort, this.clusterName,
				this.logDirectory);
		this.nodes.add(node);
		return node;
	}

	private void startAndAwaitReady(SampleNode node, String step) {
		this.timings.put(step + " (until readiness UP)", node.start().awaitReady());
	}

	/**
	 * Call {@code GET /counter} for {@code user} on {@code node} and check that the
	 * answer comes from that node, for the same session, with the counter one above the
	 * last one the user was told (1 for a new session).
	 */
	private void expectNext(String step, SampleNode node, VirtualUser user) {
		String before = user.toString();
		String previousSession = user.sessionId();
		int expected = user.counter() + 1;
		Answer answer = call(step, node, user, () -> user.counter(node));
		String context = step + ": GET /counter of " + before + " on " + node + " answered " + answer;
		assertThat(answer.node()).as(() -> context + logs()).isEqualTo(node.name());
		if (previousSession != null) {
			assertThat(answer.session()).as(() -> context + ": the session was lost" + logs())
				.isEqualTo(previousSession);
		}
		assertThat(answer.counter())
			.as(() -> context + ": expected counter " + expected + " (previous + 1), got " + answer.counter()
					+ ((answer.counter() < expected) ? ": a stale read or a lost update" : "") + logs())
			.isEqualTo(expected);
	}

	private <T> T call(String step, SampleNode node, VirtualUser user, HttpCall<T> call) {
		try {
			return call.call();
		}
		catch (IOException ex) {
			throw new AssertionError(step + ": request of " + user + " to " + node + " failed: " + ex + logs(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError(step + ": interrupted", ex);
		}
	}

	private String logs() {
		return this.nodes.stream().map((node) -> node.logTail(25)).collect(Collectors.joining());
	}

	private void took(String step, long startNanos) {
		this.timings.put(step, Duration.ofNanos(System.nanoTime() - startNanos));
	}

	private static Duration max(Duration a, Duration b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

	private static Path sampleJar() {
		try (Stream<Path> files = Files.list(TARGET)) {
			return files.filter((file) -> {
				String name = file.getFileName().toString();
				return name.startsWith("session-replication-sample-web-") && name.endsWith(".jar");
			})
				.max(Comparator.comparing(ClusterFailoverIntegrationTests::lastModified))
				.orElseThrow(() -> new AssertionError("No session-replication-sample-web-*.jar in "
						+ TARGET.toAbsolutePath() + ": these tests run the repackaged jar, build it first "
						+ "(./mvnw verify runs them after package)"));
		}
		catch (IOException ex) {
			throw new AssertionError("Cannot list " + TARGET.toAbsolutePath() + ": build the sample first", ex);
		}
	}

	private static long lastModified(Path file) {
		try {
			return Files.getLastModifiedTime(file).toMillis();
		}
		catch (IOException ex) {
			return 0;
		}
	}

	/**
	 * An HTTP call of a {@link VirtualUser}.
	 *
	 * @param <T> what it returns
	 */
	@FunctionalInterface
	private interface HttpCall<T> {

		T call() throws IOException, InterruptedException;

	}

}
