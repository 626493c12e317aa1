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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.sessionreplication.test.AcknowledgedUpdates;
import io.sessionreplication.test.Browser;
import io.sessionreplication.test.ClusterAssertions;
import io.sessionreplication.test.LocalCluster;
import io.sessionreplication.test.ProcessMember;
import io.sessionreplication.test.Reply;
import io.sessionreplication.test.Routing;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web sample tested as its users would test their own application, with the
 * {@code session-replication-test} kit alone: three processes of the sample's jar in
 * {@code primary-backup} mode, the second on Jetty, the others on Tomcat, users sent
 * alternately or stickily to them, a {@code kill -9} and a rolling restart, and after
 * each the kit's checks: no acknowledged update lost, the copies equal, every attribute
 * readable on every member. The README's "Testing your application as a cluster" shows
 * this test.
 */
class TestKitIntegrationTests {

	private static final Pattern COUNTER = Pattern.compile("\"counter\":(\\d+)");

	private static final Duration QUIET = Duration.ofSeconds(30);

	@Test
	void noAcknowledgedUpdateIsLostThroughACrashAndARollingRestart() {
		try (LocalCluster cluster = LocalCluster.processes(SampleCluster.sampleJar())
			.property("session.replication.mode", "primary-backup")
			.build()) {
			cluster.startMember();
			cluster.addMember(ServletContainer.JETTY.properties()).start();
			cluster.member(1).awaitReady();
			cluster.startMember();
			cluster.awaitView();
			assertThat(((ProcessMember) cluster.member(1)).logLinesContaining(ServletContainer.JETTY.startedLine()))
				.as("member-2 runs on Jetty")
				.isNotEmpty();
			List<Browser> users = new ArrayList<>();
			for (int i = 0; i < 6; i++) {
				users.add(cluster.browser((i % 2 == 0) ? Routing.ALTERNATING : Routing.STICKY));
			}
			AcknowledgedUpdates<Integer> counters = new AcknowledgedUpdates<>();
			count(users, counters, 3);
			checkAtRest(cluster, users, counters);

			cluster.member(0).crash(); // kill -9
			count(users, counters, 3);
			cluster.awaitView();
			checkAtRest(cluster, users, counters);

			cluster.member(0).start();
			cluster.member(0).awaitReady();
			cluster.awaitView();
			checkAtRest(cluster, users, counters);

			cluster.rollingRestart();
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
		counters.assertNoneLost(cluster, (user, member) -> counter(user.getFrom(member, "/counter/current")));
	}

	private static int counter(Reply reply) {
		Matcher matcher = COUNTER.matcher(reply.body());
		if (!matcher.find()) {
			throw new AssertionError("No counter in " + reply);
		}
		return Integer.parseInt(matcher.group(1));
	}

}
