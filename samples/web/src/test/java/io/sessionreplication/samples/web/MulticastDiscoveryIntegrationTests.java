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
import java.util.List;

import io.sessionreplication.samples.web.VirtualUser.Answer;
import io.sessionreplication.test.ProcessMember;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end test of multicast discovery
 * ({@code session.replication.discovery=multicast}, with the default group): nodes of the
 * sample, each on a host of its own on one network ({@link IsolatedHosts}: network
 * namespaces on a bridge), find each other by IP multicast, with mutual TLS between them;
 * the nodes of two clusters, of two names, on the same group and with certificates of the
 * same CA, form two clusters.
 */
class MulticastDiscoveryIntegrationTests {

	private static final Duration VIEW_TIMEOUT = Duration.ofSeconds(30);

	private static final List<String> MULTICAST = List.of("--session.replication.discovery=multicast");

	@Test
	void nodesOnOneNetworkFindEachOtherByMulticastAndClustersOfOtherNamesStayApart(TestInfo testInfo) {
		try (IsolatedHosts hosts = IsolatedHosts.create(4);
				SampleCluster blue = new SampleCluster(testInfo);
				SampleCluster green = new SampleCluster(testInfo)) {
			ProcessMember blue1 = node(blue, "blue-1", hosts.host(1, MULTICAST));
			ProcessMember green1 = node(green, "green-1", hosts.host(2, MULTICAST));
			ProcessMember blue2 = node(blue, "blue-2", hosts.host(3, MULTICAST));
			ProcessMember green2 = node(green, "green-2", hosts.host(4, MULTICAST));
			blue.startAndAwaitReady(blue1, "start blue-1");
			green.startAndAwaitReady(green1, "start green-1");
			blue.startAndAwaitReady(blue2, "start blue-2");
			green.startAndAwaitReady(green2, "start green-2");
			FaultSuiteIntegrationTests.awaitOneView(blue, List.of(blue1, blue2), "blue-2 joins blue-1", VIEW_TIMEOUT);
			FaultSuiteIntegrationTests.awaitOneView(green, List.of(green1, green2), "green-2 joins green-1",
					VIEW_TIMEOUT);

			VirtualUser user = new VirtualUser("user", blue.http());
			blue.expectNext("on blue-1", blue1, user);
			blue.expectNext("on blue-2", blue2, user);
			String blueSession = user.sessionId();
			Answer elsewhere = green.call("the blue session on green-1", green1, user, () -> user.counter(green1));
			assertThat(elsewhere.session()).as(() -> "green-1 answered " + elsewhere + blue.logs() + green.logs())
				.isNotEqualTo(blueSession);
			assertThat(elsewhere.counter()).isEqualTo(1);

			for (ProcessMember node : List.of(blue1, blue2, green1, green2)) {
				List<String> members = SampleEndpoint.members(blue.http(), node);
				String cluster = node.name().substring(0, node.name().indexOf('-'));
				assertThat(members)
					.as(() -> node.name() + " has members " + members + blue.timeline() + green.timeline())
					.allMatch((member) -> member.startsWith(cluster + "-"))
					.hasSize(2);
			}
		}
	}

	/**
	 * A node with mutual TLS, as a node off loopback must have it.
	 */
	private static ProcessMember node(SampleCluster cluster, String name, ProcessMember.Host host) {
		return cluster.node(name, host, ClusterCertificates.tlsArguments());
	}

}
