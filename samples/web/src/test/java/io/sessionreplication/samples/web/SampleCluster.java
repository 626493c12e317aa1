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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import io.sessionreplication.samples.web.VirtualUser.Answer;
import io.sessionreplication.test.ProcessMember;
import org.junit.jupiter.api.TestInfo;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The nodes of one end-to-end test, and what its steps share: a cluster name and a
 * JGroups port base of its own (so that tests never join each other or a developer's
 * running cluster), the HTTP client of its users, the check of each answer, and the
 * timings and node warnings reported when it ends. Create one per test and
 * {@link #close()} it after the test.
 */
final class SampleCluster implements AutoCloseable {

	private static final Path TARGET = Path.of("target");

	private final List<ProcessMember> nodes = new ArrayList<>();

	private final Map<String, Duration> timings = new LinkedHashMap<>();

	private final List<String> events = new ArrayList<>();

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(2))
		.build();

	private final Path jar;

	private final Path logDirectory;

	private final String clusterName;

	private final int bindPort;

	private final String testName;

	SampleCluster(TestInfo testInfo) {
		this.testName = testInfo.getTestMethod().orElseThrow().getName();
		this.logDirectory = TARGET.resolve("e2e-logs").resolve(this.testName);
		this.clusterName = "e2e-" + UUID.randomUUID().toString().substring(0, 8);
		this.bindPort = ProcessMember.freeBindPortBase(10);
		this.jar = sampleJar();
	}

	/**
	 * Describe a node of this cluster, with a free HTTP port; nothing is started yet.
	 * @param name the member name
	 * @param extraArguments more arguments of the application (see {@link ProcessMember})
	 * @return the node, stopped when this cluster is closed
	 */
	ProcessMember node(String name, List<String> extraArguments) {
		return add(new ProcessMember(name, ProcessMember.Host.LOOPBACK, ProcessMember.Launch.jar(this.jar),
				ProcessMember.freeHttpPort(), this.bindPort, this.clusterName, this.logDirectory, extraArguments));
	}

	/**
	 * Describe a node of this cluster on a host of its own, where it has every port to
	 * itself; nothing is started yet.
	 * @param name the member name
	 * @param host the host
	 * @param extraArguments more arguments of the application (see {@link ProcessMember})
	 * @return the node, stopped when this cluster is closed
	 */
	ProcessMember node(String name, ProcessMember.Host host, List<String> extraArguments) {
		return add(new ProcessMember(name, host, ProcessMember.Launch.jar(this.jar), 8080, 7800, this.clusterName,
				this.logDirectory, extraArguments));
	}

	private ProcessMember add(ProcessMember node) {
		this.nodes.add(node);
		return node;
	}

	HttpClient http() {
		return this.http;
	}

	/**
	 * Where the logs of this cluster's nodes go, for the logs of the test's other
	 * processes too.
	 * @return the directory
	 */
	Path logDirectory() {
		return this.logDirectory;
	}

	void startAndAwaitReady(ProcessMember node, String step) {
		node.start();
		timing(step + " (until readiness UP)", node.awaitReadiness());
	}

	/**
	 * Call {@code GET /counter} for {@code user} on {@code node} and check that the
	 * answer comes from that node, for the same session, with the counter one above the
	 * last one the user was told (1 for a new session).
	 * @param step the step of the test, for the failure message
	 * @param node the node
	 * @param user the user
	 * @return the answer
	 */
	Answer expectNext(String step, ProcessMember node, VirtualUser user) {
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
		return answer;
	}

	/**
	 * One request of every user on each node in turn ({@link #expectNext}), the i-th user
	 * starting with node {@code (i + 1) % nodes}: when the i-th user was last served by
	 * node {@code i % nodes}, each request goes to another node than the previous one of
	 * the same user.
	 * @param step the step of the test, for the failure message
	 * @param nodes the nodes
	 * @param users the users
	 */
	void useInTurn(String step, List<ProcessMember> nodes, List<VirtualUser> users) {
		for (int i = 0; i < users.size(); i++) {
			for (int turn = 1; turn <= nodes.size(); turn++) {
				expectNext(step, nodes.get((i + turn) % nodes.size()), users.get(i));
			}
		}
	}

	/**
	 * Make an HTTP call of a user, turning a failure into an {@link AssertionError} that
	 * tells the step and ends with the node logs.
	 * @param <T> what the call returns
	 * @param step the step of the test
	 * @param node the node called
	 * @param user the user
	 * @param call the call
	 * @return what the call returned
	 */
	<T> T call(String step, ProcessMember node, VirtualUser user, HttpCall<T> call) {
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

	/**
	 * The end of the current log of every node, to append to a failure message.
	 * @return the last lines of each
	 */
	String logs() {
		return this.nodes.stream().map((node) -> node.logTail(25)).collect(Collectors.joining());
	}

	/**
	 * What happened, in order: the events recorded ({@link #event}) and the views every
	 * node installed, one short line each, to append to a failure message.
	 * @return the lines, introduced by a title
	 */
	String timeline() {
		List<String> lines = new ArrayList<>(this.events);
		this.nodes.forEach((node) -> node.views().forEach((line) -> lines.add(shortViewLine(line))));
		lines.sort(Comparator.naturalOrder());
		return "\n--- events and views, in order\n" + String.join("\n", lines);
	}

	/**
	 * {@code node-1-2.log: <time>  INFO ... : Cluster 'x' view [..]} to
	 * {@code <time> node-1-2.log: view [..]}.
	 */
	private static String shortViewLine(String line) {
		int colon = line.indexOf(": ");
		String file = line.substring(0, colon);
		String logLine = line.substring(colon + 2);
		String time = logLine.split(" ", 2)[0];
		return time + " " + file + ": " + logLine.substring(logLine.indexOf(" view [") + 1);
	}

	/**
	 * Record how long a step took, for the report.
	 * @param step the step
	 * @param startNanos {@link System#nanoTime()} when it started
	 */
	void took(String step, long startNanos) {
		timing(step, Duration.ofNanos(System.nanoTime() - startNanos));
	}

	void timing(String step, Duration duration) {
		this.timings.put(step, duration);
	}

	/**
	 * Record when something happened (a kill, for example), for the report, to find it
	 * among the lines of the node logs.
	 * @param event what happened
	 */
	void event(String event) {
		this.events.add(Instant.now() + " " + event);
	}

	/**
	 * Stop every node still running (SIGTERM), then print the timings and the WARN and
	 * ERROR lines of every node log.
	 */
	@Override
	public void close() {
		this.nodes.forEach(ProcessMember::stop);
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
		this.events.forEach((event) -> report.append("\n  at ").append(event));
		List<String> warnings = this.nodes.stream().flatMap((node) -> node.warningsAndErrors().stream()).toList();
		report.append("\n  WARN/ERROR lines in the node logs: ").append(warnings.size());
		warnings.forEach((line) -> report.append("\n    ").append(line));
		System.out.println(report);
	}

	/**
	 * The longer of two durations.
	 * @param a one
	 * @param b the other
	 * @return the longer
	 */
	static Duration max(Duration a, Duration b) {
		return (a.compareTo(b) >= 0) ? a : b;
	}

	static Path sampleJar() {
		try (Stream<Path> files = Files.list(TARGET)) {
			return files.filter((file) -> {
				String name = file.getFileName().toString();
				return name.startsWith("session-replication-sample-web-") && name.endsWith(".jar");
			})
				.max(Comparator.comparing(SampleCluster::lastModified))
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
	interface HttpCall<T> {

		T call() throws IOException, InterruptedException;

	}

}
