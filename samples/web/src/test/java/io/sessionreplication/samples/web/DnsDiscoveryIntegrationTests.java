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

import io.sessionreplication.test.ProcessMember;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end test of DNS discovery ({@code session.replication.discovery=dns}), as on
 * Kubernetes with a headless service: nodes of the sample, each with its cluster traffic
 * on an address of its own of the loopback network (127.0.0.2 to 127.0.0.4, all on the
 * same port), find each other in the A records of one name, which a DNS server of the
 * test's own answers ({@link DnsServer}, dnsmasq). The record of a new node is added
 * before it starts, and the record of a leaving node is removed before it stops, as
 * Kubernetes does with the pods of a service.
 */
class DnsDiscoveryIntegrationTests {

	private static final String NAME = "members.sessions.test";

	private static final Duration VIEW_TIMEOUT = Duration.ofSeconds(30);

	/**
	 * How often the nodes ask DNS again, on average: a few periods fit in the timeout.
	 */
	private static final Duration REFRESH_PERIOD = Duration.ofSeconds(2);

	@Test
	void nodesFindEachOtherInDnsAndTheOthersServeOnWhenOneIsGone(TestInfo testInfo) {
		try (SampleCluster cluster = new SampleCluster(testInfo);
				DnsServer dns = DnsServer.start(NAME, cluster.logDirectory(), List.of("127.0.0.2", "127.0.0.3"))) {
			ProcessMember first = node(cluster, dns, "dns-1", "127.0.0.2");
			ProcessMember second = node(cluster, dns, "dns-2", "127.0.0.3");
			VirtualUser user = new VirtualUser("user", cluster.http());

			// a. the second node finds the first in DNS
			cluster.startAndAwaitReady(first, "a. start dns-1");
			cluster.startAndAwaitReady(second, "a. start dns-2");
			FaultSuiteIntegrationTests.awaitOneView(cluster, List.of(first, second), "a. dns-2 joins dns-1",
					VIEW_TIMEOUT);
			cluster.expectNext("a. on dns-1", first, user);
			cluster.expectNext("a. on dns-2", second, user);

			// b. a record for a third address, and the node there joins
			dns.answer(List.of("127.0.0.2", "127.0.0.3", "127.0.0.4"));
			ProcessMember third = node(cluster, dns, "dns-3", "127.0.0.4");
			cluster.startAndAwaitReady(third, "b. start dns-3");
			FaultSuiteIntegrationTests.awaitOneView(cluster, List.of(first, second, third), "b. dns-3 joins",
					VIEW_TIMEOUT);
			cluster.expectNext("b. on dns-3", third, user);
			cluster.expectNext("b. on dns-2", second, user);

			// c. the second node's record is removed, and it stops: the others serve on
			dns.answer(List.of("127.0.0.2", "127.0.0.4"));
			second.stop();
			cluster.event("c. dns-2 stopped");
			FaultSuiteIntegrationTests.awaitOneView(cluster, List.of(first, third), "c. dns-2 leaves", VIEW_TIMEOUT);
			cluster.expectNext("c. on dns-1", first, user);
			cluster.expectNext("c. on dns-3", third, user);

			// d. while DNS lists only an address where no node runs (as a stale record
			// would), a new node finds no one and starts a cluster of its own; once DNS
			// lists every node, the next refresh finds the others, and the two clusters
			// merge
			dns.answer(List.of("127.0.0.9"));
			ProcessMember fourth = node(cluster, dns, "dns-4", "127.0.0.5");
			cluster.startAndAwaitReady(fourth, "d. start dns-4, which DNS does not list");
			assertThat(SampleEndpoint.members(cluster.http(), fourth)).as("d. dns-4 alone").containsExactly("dns-4");
			dns.answer(List.of("127.0.0.2", "127.0.0.4", "127.0.0.5"));
			cluster.event("d. dns-4 listed with the others");
			FaultSuiteIntegrationTests.awaitOneView(cluster, List.of(first, third, fourth),
					"d. dns-4 merges with the others within a few refresh periods", VIEW_TIMEOUT);
			cluster.expectNext("d. on dns-1", first, user);
		}
	}

	/**
	 * A node whose cluster traffic binds to {@code address}, on the cluster's port, and
	 * that finds the others in the DNS server's A records of {@link #NAME}, asking again
	 * every {@link #REFRESH_PERIOD} or so; its HTTP port stays on 127.0.0.1.
	 */
	private static ProcessMember node(SampleCluster cluster, DnsServer dns, String name, String address) {
		return cluster.node(name,
				List.of("--session.replication.bind-address=" + address, "--session.replication.discovery=dns",
						"--session.replication.dns.query=" + NAME, "--session.replication.dns.server=" + dns.address(),
						"--session.replication.dns.refresh-period=" + REFRESH_PERIOD.toSeconds() + "s"));
	}

}
