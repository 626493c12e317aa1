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

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.sessionreplication.samples.web.VirtualUser.Answer;
import io.sessionreplication.test.ProcessMember;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end tests of the web sample as it runs in production: each node is the
 * executable jar in a JVM of its own, one on Jetty, the other on Tomcat (nodes all on
 * Tomcat run in the fault suite and the other tests), clustered with the
 * zero-configuration defaults (only the ports and the cluster name are set, to keep tests
 * apart from each other and from a developer's running cluster). A client sees only HTTP:
 * {@code GET /counter} increments a counter in the session, so every answer tells whether
 * the node that gave it had the latest state. The jar must have been built
 * ({@code package}); failsafe runs these tests in {@code verify}.
 */
class ClusterFailoverIntegrationTests {

	private static final int SESSIONS = 30;

	private static final int ALTERNATIONS = 100;

	private SampleCluster cluster;

	@BeforeEach
	void prepare(TestInfo testInfo) {
		this.cluster = new SampleCluster(testInfo);
	}

	@AfterEach
	void stopNodes() {
		this.cluster.close();
	}

	@ParameterizedTest(name = "A on {0}, B on {1}")
	@CsvSource("JETTY, TOMCAT")
	void sessionsSurviveAJoinACrashAndARejoinWithoutLosingAnAcknowledgedUpdate(ServletContainer onA,
			ServletContainer onB) {
		ProcessMember a = node("web-a", onA);
		ProcessMember b = node("web-b", onB);

		// a. sessions are created on A alone, each with its own count
		this.cluster.startAndAwaitReady(a, "a. start A, first member");
		assertRunsOn(a, onA);
		long step = System.nanoTime();
		List<VirtualUser> users = new ArrayList<>();
		for (int i = 0; i < SESSIONS; i++) {
			VirtualUser user = new VirtualUser("user-" + i, this.cluster.http());
			users.add(user);
			for (int count = 0; count <= i % 5; count++) {
				this.cluster.expectNext("a. create and count on A", a, user);
			}
		}
		this.cluster.took("a. " + SESSIONS + " sessions on A", step);

		// b. B joins and has every session before it is ready, then both serve each one
		this.cluster.startAndAwaitReady(b, "b. start B, joins A");
		assertRunsOn(b, onB);
		step = System.nanoTime();
		for (VirtualUser user : users) {
			this.cluster.expectNext("b. first read on B, A untouched since B joined", b, user);
		}
		for (int round = 0; round < 3; round++) {
			for (VirtualUser user : users) {
				this.cluster.expectNext("b. alternating, round " + round, a, user);
				this.cluster.expectNext("b. alternating, round " + round, b, user);
			}
		}
		for (VirtualUser user : users) {
			this.cluster.expectNext("b. last write, on A", a, user);
		}
		this.cluster.took("b. " + (SESSIONS * 8) + " requests alternating A and B", step);

		// c. A crashes right after the last write: B has every acknowledged update
		a.crash();
		step = System.nanoTime();
		Duration slowest = Duration.ZERO;
		for (VirtualUser user : users) {
			long request = System.nanoTime();
			this.cluster.expectNext("c. on B after kill -9 of A", b, user);
			slowest = SampleCluster.max(slowest, Duration.ofNanos(System.nanoTime() - request));
		}
		this.cluster.took("c. every session on B after kill -9 of A", step);
		this.cluster.timing("c. slowest request on B after kill -9 of A", slowest);

		// d. A comes back: once ready, it has every session, B's updates included
		this.cluster.startAndAwaitReady(a, "d. restart A, joins B");
		step = System.nanoTime();
		for (VirtualUser user : users) {
			this.cluster.expectNext("d. first read on A once ready again", a, user);
		}
		for (VirtualUser user : users) {
			this.cluster.expectNext("d. then on B", b, user);
		}
		this.cluster.took("d. every session on A, then on B", step);

		// e. a logout on A ends the session on B too
		VirtualUser leaving = users.get(0);
		String cookie = leaving.cookie();
		String sessionId = leaving.sessionId();
		assertThat(leaving.cookieSessionId()).as("the SESSION cookie of %s carries its session id", leaving)
			.isEqualTo(sessionId);
		int status = this.cluster.call("e. logout on A", a, leaving, () -> leaving.logout(a));
		assertThat(status).as(() -> "e. POST /logout of " + leaving + " on " + a + this.cluster.logs()).isIn(200, 204);
		VirtualUser replaying = VirtualUser.withCookie("user-0, cookie from before the logout", this.cluster.http(),
				cookie);
		Answer answer = this.cluster.call("e. old cookie on B", b, replaying, () -> replaying.counter(b));
		assertThat(answer.session())
			.as(() -> "e. on " + b + ", the cookie of session " + sessionId + " invalidated on " + a
					+ " must yield a new session" + this.cluster.logs())
			.isNotEqualTo(sessionId);
		assertThat(answer.counter())
			.as(() -> "e. on " + b + ", the counter of the new session that replaces invalidated " + sessionId
					+ this.cluster.logs())
			.isEqualTo(1);
		for (VirtualUser user : users.subList(1, users.size())) {
			this.cluster.expectNext("e. the other sessions on B after the logout", b, user);
		}
	}

	@ParameterizedTest(name = "A on {0}, B on {1}")
	@CsvSource("JETTY, TOMCAT")
	void aClientAlternatingBetweenTwoNodesOnEveryRequestNeverReadsAStaleCounter(ServletContainer onA,
			ServletContainer onB) {
		ProcessMember a = node("web-a", onA);
		ProcessMember b = node("web-b", onB);
		this.cluster.startAndAwaitReady(a, "start A");
		this.cluster.startAndAwaitReady(b, "start B");
		assertRunsOn(a, onA);
		assertRunsOn(b, onB);
		VirtualUser user = new VirtualUser("user", this.cluster.http());
		long step = System.nanoTime();
		for (int i = 0; i < ALTERNATIONS; i++) {
			this.cluster.expectNext("request " + (i + 1) + " of " + ALTERNATIONS, (i % 2 == 0) ? a : b, user);
		}
		this.cluster.took(ALTERNATIONS + " requests alternating A and B", step);
		assertThat(user.counter()).isEqualTo(ALTERNATIONS);
	}

	private ProcessMember node(String name, ServletContainer container) {
		return this.cluster.node(name, container.arguments());
	}

	private void assertRunsOn(ProcessMember node, ServletContainer container) {
		assertThat(node.logLinesContaining(container.startedLine()))
			.as(() -> node.name() + " runs on " + container + node.logTail())
			.isNotEmpty();
	}

}
