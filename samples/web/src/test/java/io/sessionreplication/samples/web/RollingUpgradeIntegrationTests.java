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

import java.util.ArrayList;
import java.util.List;

import io.sessionreplication.test.ProcessMember;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rolling upgrade of the web sample, node by node, from the release before to this one,
 * each node the executable jar in a JVM of its own. The release before is played by this
 * build with the test switch
 * {@code io.sessionreplication.test.previous-wire-format-only}: such a node speaks wire
 * format 3 only and announces no formats, as the releases before format 4 did. The nodes
 * run in primary-backup mode, whose hand-over on SIGTERM sends the sessions of the
 * stopping node to their next owners. Every session keeps its counter through every
 * restart; the nodes send format 3 while any node of the release before is in the view,
 * and format 4 once none is.
 */
class RollingUpgradeIntegrationTests {

	private static final List<String> THIS_RELEASE = List.of("--session.replication.mode=primary-backup");

	private static final List<String> RELEASE_BEFORE = List.of("--session.replication.mode=primary-backup",
			"--io.sessionreplication.test.previous-wire-format-only=true");

	private static final int SESSIONS = 12;

	private SampleCluster cluster;

	@BeforeEach
	void prepare(TestInfo testInfo) {
		this.cluster = new SampleCluster(testInfo);
	}

	@AfterEach
	void stopNodes() {
		this.cluster.close();
	}

	@Test
	void rollingUpgradeFromTheReleaseBeforeKeepsEverySessionAndEveryCounter() {
		List<ProcessMember> nodes = new ArrayList<>();
		for (String name : List.of("web-a", "web-b", "web-c")) {
			ProcessMember node = this.cluster.node(name, RELEASE_BEFORE);
			this.cluster.startAndAwaitReady(node, "a. start " + name + " of the release before");
			nodes.add(node);
		}
		assertWireFormats("a. three nodes of the release before", nodes, 3);
		List<VirtualUser> users = new ArrayList<>();
		for (int i = 0; i < SESSIONS; i++) {
			VirtualUser user = new VirtualUser("user-" + i, this.cluster.http());
			users.add(user);
			this.cluster.expectNext("a. create", nodes.get(i % nodes.size()), user);
		}
		this.cluster.useInTurn("a. once over A, B, C", nodes, users);

		for (int upgraded = 0; upgraded < nodes.size(); upgraded++) {
			ProcessMember node = nodes.get(upgraded);
			String step = "b" + (upgraded + 1) + ". upgrade " + node.name();
			this.cluster.event(node.name() + " sent SIGTERM");
			assertThat(node.stopOrKill()).as(() -> step + ": did not exit within 30 s of SIGTERM" + node.logTail())
				.isTrue();
			node.extraArguments(THIS_RELEASE);
			this.cluster.startAndAwaitReady(node, step);

			boolean last = upgraded == nodes.size() - 1;
			assertWireFormats(step, nodes, last ? 4 : 3);
			this.cluster.useInTurn(step + ", then every session on every node", nodes, users);
		}

		for (ProcessMember node : nodes) {
			assertThat(node.warningsAndErrors())
				.as(() -> node.name() + " rejected what it received" + this.cluster.logs())
				.noneMatch((line) -> line.contains("Rejected") || line.contains("format version"));
		}
	}

	private void assertWireFormats(String step, List<ProcessMember> nodes, int expected) {
		for (ProcessMember node : nodes) {
			SampleEndpoint.Member member = SampleEndpoint.member(this.cluster.http(), node);
			assertThat(member.members()).as(() -> step + ": the view of " + node.name() + this.cluster.timeline())
				.hasSize(nodes.size());
			assertThat(member.wireFormat()).as(() -> step + ": the wire format of " + node.name() + this.cluster.logs())
				.isEqualTo(expected);
		}
	}

}
