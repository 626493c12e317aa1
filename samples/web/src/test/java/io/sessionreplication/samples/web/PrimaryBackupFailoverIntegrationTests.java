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

import io.sessionreplication.test.ProcessMember;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * End-to-end tests of {@code session.replication.mode=primary-backup}, with three nodes
 * of the web sample, each the executable jar in a JVM of its own (see
 * {@link ClusterFailoverIntegrationTests}). With three members and one backup (the
 * default {@code backup-count}), each session lives on two of them, its primary (the node
 * that created it) and a backup; the third node is not an owner, and fetches the session
 * from the owners whenever it serves it. A client sees only HTTP: {@code GET /counter}
 * increments a counter in the session, so every answer tells whether the node that gave
 * it had the latest state.
 */
class PrimaryBackupFailoverIntegrationTests {

	/** The arguments that turn primary-backup on; {@code backup-count} stays 1. */
	private static final List<String> PRIMARY_BACKUP = List.of("--session.replication.mode=primary-backup");

	private static final int SESSIONS = 30;

	private static final int ROUNDS = 3;

	/**
	 * How long after a {@code kill -9} the survivors have surely installed the view
	 * without the dead member: about 1.5 s (its neighbour's failure-detection socket
	 * closes at once, then JGroups verifies the suspicion for 1 s), plus a margin.
	 */
	private static final Duration VIEW_CHANGE_AFTER_KILL = Duration.ofSeconds(2);

	/**
	 * How long the survivors get, after that view change, to restore the second copy of
	 * the sessions the dead member owned. They start right after the view change, in the
	 * background, and each sends its sessions to each new owner in one batch (at most
	 * {@value #SESSIONS} sessions here), acknowledged over loopback in milliseconds.
	 */
	private static final Duration RESTORATION_GRACE = Duration.ofSeconds(3);

	/**
	 * The handover a member logs when it leaves in primary-backup mode: the proof that
	 * the mode is in effect, and that a stopped member handed its sessions over.
	 */
	private static final Pattern HANDOVER = Pattern.compile("Member (\\S+) handed (\\d+) session copies to ");

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
	void everyNodeServesEverySessionWithItsLatestCounterWhetherItOwnsItOrNot() {
		List<ProcessMember> nodes = startThreeNodes();
		List<VirtualUser> users = createUsersOnEveryNode("a. create", nodes);

		// b. each user's requests go round A, B, C, A, B, C...: one node in three is not
		// an owner of the session and must fetch its latest state; from the second round
		// on, it still has the copy it fetched in the previous round, stale by then
		long step = System.nanoTime();
		for (int round = 0; round < ROUNDS; round++) {
			this.cluster.useInTurn("b. round " + (round + 1) + " of " + ROUNDS + " over A, B, C", nodes, users);
		}
		this.cluster.took("b. " + (SESSIONS * ROUNDS * nodes.size()) + " requests, each on the next node", step);
	}

	@Test
	void noSessionIsLostWhenTwoOfThreeNodesCrashOneAfterTheOther() {
		List<ProcessMember> nodes = startThreeNodes();
		ProcessMember a = nodes.get(0);
		ProcessMember b = nodes.get(1);
		ProcessMember c = nodes.get(2);

		// a. sessions created on every node and used on every node; each one's last
		// (acknowledged) update is made on A, which is about to crash
		List<VirtualUser> users = createUsersOnEveryNode("a. create", nodes);
		long step = System.nanoTime();
		this.cluster.useInTurn("a. once over A, B, C", nodes, users);
		for (VirtualUser user : users) {
			this.cluster.expectNext("a. last write, on A", a, user);
		}
		this.cluster.took("a. " + (SESSIONS * 4) + " requests over A, B, C, then on A", step);

		// The users of the sessions created on C (active) go on during the crash, as a
		// client sent to another node by its load balancer would. The others (idle) make
		// no request until C is the last node: the sessions created on A with their
		// backup on B, or on B with their backup on A, have no up-to-date copy on C then,
		// unless the survivors restored the second copy in the background after A
		// crashed. (A request on B and C meanwhile would copy the session to C by itself,
		// and hide a restoration that does not happen.)
		List<VirtualUser> active = new ArrayList<>();
		List<VirtualUser> idle = new ArrayList<>();
		for (int i = 0; i < users.size(); i++) {
			((i % nodes.size() == 2) ? active : idle).add(users.get(i));
		}

		// b. kill -9 of A: the active users go on at once, on C, then on B
		a.crash();
		long killed = System.nanoTime();
		this.cluster.event("web-a killed (kill -9)");
		Duration slowest = Duration.ZERO;
		for (VirtualUser user : active) {
			long request = System.nanoTime();
			this.cluster.expectNext("b. on C after kill -9 of A", c, user);
			this.cluster.expectNext("b. then on B", b, user);
			slowest = SampleCluster.max(slowest, Duration.ofNanos(System.nanoTime() - request));
		}
		long activeDone = System.nanoTime();
		this.cluster.took("b. " + active.size() + " active users on C, then B, after kill -9 of A", killed);
		this.cluster.timing("b. slowest pair of requests after kill -9 of A", slowest);

		// c. wait until the backups are restored. No endpoint tells it, so wait a bounded
		// time: RESTORATION_GRACE after the view without A, which is installed at the
		// latest VIEW_CHANGE_AFTER_KILL after the kill, or when the active requests are
		// done, whichever is later (a request of a session A owned waits for A until A is
		// out of the view, or at most the acknowledgement timeout, 3 s).
		long viewChanged = Math.max(killed + VIEW_CHANGE_AFTER_KILL.toNanos(), activeDone);
		sleepUntil(viewChanged + RESTORATION_GRACE.toNanos());
		this.cluster.took("c. wait for the restored backups, from the kill of A", killed);

		// d. kill -9 of B: C, the last node, has every session with its last update
		b.crash();
		step = System.nanoTime();
		this.cluster.event("web-b killed (kill -9)");
		for (VirtualUser user : idle) {
			this.cluster.expectNext("d. idle user on C after kill -9 of A, then B", c, user);
		}
		for (VirtualUser user : active) {
			this.cluster.expectNext("d. active user on C after kill -9 of A, then B", c, user);
		}
		this.cluster.took("d. every session on C after kill -9 of B", step);
	}

	@Test
	void noSessionIsLostInARollingRestart() {
		List<ProcessMember> nodes = startThreeNodes();
		List<VirtualUser> users = createUsersOnEveryNode("a. create", nodes);
		this.cluster.useInTurn("a. once over A, B, C", nodes, users);

		for (ProcessMember restarted : nodes) {
			String name = restarted.name();
			List<ProcessMember> up = nodes.stream().filter((node) -> node != restarted).toList();

			// b. SIGTERM: the node hands the sessions it owns to the others, then leaves
			long step = System.nanoTime();
			this.cluster.event(name + " sent SIGTERM");
			boolean exited = restarted.stopOrKill();
			this.cluster.took("b. stop " + name + " (SIGTERM)", step);
			assertThat(exited)
				.as(() -> name + " did not exit within 30 s of SIGTERM and was killed" + restarted.logTail())
				.isTrue();
			assertHandedSessionsOver(restarted);

			// c. meanwhile every session is used on the two nodes that are up
			step = System.nanoTime();
			this.cluster.useInTurn("c. while " + name + " is stopped", up, users);
			this.cluster.took("c. every session on the two others while " + name + " is stopped", step);

			// d. the node starts again: ready once it received its share, then it serves
			// every session first, and the others go on
			this.cluster.startAndAwaitReady(restarted, "d. restart " + name);
			step = System.nanoTime();
			for (VirtualUser user : users) {
				this.cluster.expectNext("d. first read on " + name + " once ready again", restarted, user);
				for (ProcessMember node : up) {
					this.cluster.expectNext("d. then on the others", node, user);
				}
			}
			this.cluster.took("d. every session on " + name + " restarted, then on the others", step);
		}

		// e. after the whole rolling restart, every session on every node
		long step = System.nanoTime();
		this.cluster.useInTurn("e. after the rolling restart", nodes, users);
		this.cluster.took("e. every session on A, B and C after the rolling restart", step);
	}

	/**
	 * Start web-a, web-b and web-c in primary-backup mode, one after the other, each once
	 * the previous one is ready.
	 */
	private List<ProcessMember> startThreeNodes() {
		List<ProcessMember> nodes = List.of(this.cluster.node("web-a", PRIMARY_BACKUP),
				this.cluster.node("web-b", PRIMARY_BACKUP), this.cluster.node("web-c", PRIMARY_BACKUP));
		for (ProcessMember node : nodes) {
			this.cluster.startAndAwaitReady(node, "start " + node.name());
		}
		return nodes;
	}

	/**
	 * Create {@value #SESSIONS} sessions, the i-th one on node {@code i % nodes}, which
	 * is its primary.
	 */
	private List<VirtualUser> createUsersOnEveryNode(String step, List<ProcessMember> nodes) {
		long start = System.nanoTime();
		List<VirtualUser> users = new ArrayList<>();
		for (int i = 0; i < SESSIONS; i++) {
			VirtualUser user = new VirtualUser("user-" + i, this.cluster.http());
			users.add(user);
			this.cluster.expectNext(step + " on " + nodes.get(i % nodes.size()).name(), nodes.get(i % nodes.size()),
					user);
		}
		this.cluster.took(step + " " + SESSIONS + " sessions, spread over " + nodes.size() + " nodes", start);
		return users;
	}

	/**
	 * Check that a node stopped with SIGTERM logged that it handed sessions over before
	 * it left, which only primary-backup does.
	 */
	private void assertHandedSessionsOver(ProcessMember node) {
		List<String> lines = node.logLinesContaining(" handed ");
		int handed = lines.stream()
			.map(HANDOVER::matcher)
			.filter(Matcher::find)
			.filter((matcher) -> matcher.group(1).equals(node.name()))
			.mapToInt((matcher) -> Integer.parseInt(matcher.group(2)))
			.sum();
		assertThat(handed)
			.as(() -> node.name() + " logged no handover of session copies before it left (primary-backup mode "
					+ "hands the sessions it owns to their next owners); its handover lines: " + lines + node.logTail())
			.isPositive();
	}

	private static void sleepUntil(long nanoTime) {
		long remaining = nanoTime - System.nanoTime();
		if (remaining > 0) {
			try {
				Thread.sleep(Duration.ofNanos(remaining).toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("Interrupted", ex);
			}
		}
	}

}
