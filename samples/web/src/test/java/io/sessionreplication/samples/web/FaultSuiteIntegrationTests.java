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
import java.util.Collections;
import java.util.List;
import java.util.Random;

import io.sessionreplication.test.ProcessMember;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault suite: three nodes of the web sample, each the executable jar in a JVM of its
 * own on a host of its own (a network namespace, see {@link IsolatedHosts}), serve many
 * users while faults are injected one at a time, in each replication mode: a
 * {@code kill -9} then a restart, a {@code SIGSTOP} longer than failure detection then
 * {@code SIGCONT}, a network partition (a node's link cut, then restored, and the merge
 * observed), and a partition with writes on both sides. The {@link SessionChecker} checks
 * every answer as it comes, and the cluster at rest after each fault: no acknowledged
 * update lost, no counter going back, no invalidated session back, all owners' copies
 * equal, every node ready again in one view; after a partition with writes on both sides,
 * the later write kept and every discarded write counted.
 * <p>
 * By default each fault is injected once per mode, in a random order (the short form, run
 * by {@code ./mvnw verify}). {@code -Dfaults.rounds=N} injects each N times, and
 * {@code -Dfaults.seed=S} repeats the choices of an earlier run, which the report prints;
 * {@code scripts/fault-suite.sh} runs the long form. It needs root, for the network
 * namespaces.
 */
class FaultSuiteIntegrationTests {

	private static final int NODES = 3;

	private static final int USERS = 30;

	private static final int CHECKER_THREADS = 3;

	private static final int ROUNDS = Integer.getInteger("faults.rounds", 1);

	private static final long SEED = Long.getLong("faults.seed", System.nanoTime());

	/** More arguments of every node, separated by spaces ({@code -Dfaults.arguments}). */
	private static final List<String> ARGUMENTS = List.of(System.getProperty("faults.arguments", "").split(" "))
		.stream()
		.filter((argument) -> !argument.isBlank())
		.toList();

	/**
	 * How long a failed node may take to leave the others' view: FD_ALL3 suspects a
	 * silent member after 15 s and VERIFY_SUSPECT2 confirms in 1 s; a crashed one goes in
	 * 1.5 s.
	 */
	private static final Duration EXCLUSION_TIMEOUT = Duration.ofSeconds(45);

	/** How long the nodes may take to be one view again: MERGE3 runs every 10 to 30 s. */
	private static final Duration MERGE_TIMEOUT = Duration.ofSeconds(90);

	/** How long copies may take to agree once every node is in one view. */
	private static final Duration AGREEMENT_TIMEOUT = Duration.ofSeconds(60);

	/** Load that runs on the other nodes while a node is out. */
	private static final Duration LOAD_WHILE_OUT = Duration.ofSeconds(5);

	/** How long the count of discarded writes may take to settle after a merge. */
	private static final Duration COUNT_TIMEOUT = Duration.ofSeconds(20);

	/** The users that write on both sides of a partition. */
	private static final int USERS_ON_BOTH_SIDES = 6;

	/** The users that stay on the side of the partitioned node. */
	private static final int USERS_ON_ITS_SIDE = 4;

	/**
	 * All-to-all, its cluster traffic over mutual TLS, as members off loopback must have
	 * it.
	 */
	@Test
	void allToAllWithTls(TestInfo testInfo) {
		run(testInfo, "all-to-all", ClusterCertificates.tlsArguments(), NODES, false);
	}

	/**
	 * Primary-backup, its cluster traffic in the clear ({@code insecure}): the hosts'
	 * network is one the test made for them alone.
	 */
	@Test
	void primaryBackupInsecure(TestInfo testInfo) {
		run(testInfo, "primary-backup", List.of("--session.replication.insecure=true"), 2, true);
	}

	private void run(TestInfo testInfo, String mode, List<String> security, int owners,
			boolean ownersHoldCurrentCopies) {
		List<String> arguments = new ArrayList<>(List.of("--session.replication.mode=" + mode,
				"--management.endpoints.web.exposure.include=health,sessionreplication,metrics"));
		arguments.addAll(security);
		arguments.addAll(ARGUMENTS);
		Random random = new Random(SEED);
		// printed first, so that a run that fails on any step, not only on the checks,
		// can
		// be repeated
		System.out.println(mode + " fault suite, seed " + SEED + " (-Dfaults.seed=" + SEED + " repeats it)");
		List<String> log = new ArrayList<>();
		try (IsolatedHosts hosts = IsolatedHosts.create(NODES); SampleCluster cluster = new SampleCluster(testInfo)) {
			List<ProcessMember> nodes = new ArrayList<>();
			for (int i = 1; i <= NODES; i++) {
				ProcessMember node = cluster.node("node-" + i, hosts.host(i), arguments);
				cluster.startAndAwaitReady(node, "start node-" + i);
				nodes.add(node);
			}
			awaitOneView(cluster, nodes, "start", MERGE_TIMEOUT);
			SessionChecker checker = new SessionChecker(nodes, USERS, owners, ownersHoldCurrentCopies, cluster.http());
			Duration limit = Duration.ofMinutes(10L * ROUNDS + 5);
			checker.start(CHECKER_THREADS, limit);
			pause(LOAD_WHILE_OUT);
			for (int round = 1; round <= ROUNDS; round++) {
				List<Fault> faults = new ArrayList<>(List.of(Fault.values()));
				Collections.shuffle(faults, random);
				for (Fault fault : faults) {
					int index = 1 + random.nextInt(NODES);
					ProcessMember node = nodes.get(index - 1);
					String step = "round " + round + ", " + fault + " of " + node.name();
					long start = System.nanoTime();
					cluster.event(step);
					log.add(step);
					fault.inject(cluster, hosts, index, node, nodes, checker);
					checker.stop();
					awaitOneView(cluster, nodes, step, MERGE_TIMEOUT);
					checker.checkQuiet(step, AGREEMENT_TIMEOUT);
					cluster.took(step + " (fault to quiet checks done)", start);
					checker.start(CHECKER_THREADS, limit);
				}
			}
			checker.stop();
			System.out
				.println(mode + " fault suite " + ARGUMENTS + ", seed " + SEED + ": " + log + "; " + checker.summary());
			assertThat(checker.violations())
				.as(() -> mode + " fault suite (seed " + SEED + ", -Dfaults.seed=" + SEED + " repeats it): "
						+ checker.summary() + cluster.timeline())
				.isEmpty();
		}
	}

	/**
	 * Wait until every node is ready and has installed the same view, of every node.
	 */
	static void awaitOneView(SampleCluster cluster, List<ProcessMember> nodes, String step, Duration timeout) {
		List<String> names = nodes.stream().map(ProcessMember::name).sorted().toList();
		long start = System.nanoTime();
		long deadline = start + timeout.toNanos();
		List<SampleEndpoint.Member> views = List.of();
		while (System.nanoTime() < deadline) {
			views = nodes.stream().map((node) -> SampleEndpoint.member(cluster.http(), node)).toList();
			if (views.stream().map(SampleEndpoint.Member::view).distinct().count() == 1
					&& views.stream().allMatch((view) -> names.equals(view.members().stream().sorted().toList()))) {
				nodes.forEach(ProcessMember::awaitReady);
				cluster.took(step + " (until one view)", start);
				return;
			}
			pause(Duration.ofMillis(500));
		}
		throw new AssertionError(
				step + ": the nodes were not one view within " + timeout + ": " + views + cluster.timeline());
	}

	/**
	 * Wait until each side of a partition has dropped the other from its view: every
	 * other node has dropped a node, and the node has dropped every other.
	 */
	static void awaitSplit(SampleCluster cluster, List<ProcessMember> nodes, ProcessMember alone, String step) {
		awaitExcluded(cluster, nodes, alone, step);
		long start = System.nanoTime();
		long deadline = start + EXCLUSION_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (SampleEndpoint.members(cluster.http(), alone).equals(List.of(alone.name()))) {
				cluster.took(step + " (until alone)", start);
				// the replicators learn a view right after the endpoint shows it
				pause(Duration.ofMillis(500));
				return;
			}
			pause(Duration.ofMillis(500));
		}
		throw new AssertionError(
				step + ": " + alone.name() + " still saw others " + EXCLUSION_TIMEOUT + " later" + cluster.logs());
	}

	/**
	 * Wait until the nodes' count of discarded writes has grown since {@code before} by
	 * at least the least expected, and check that it settles within the range expected.
	 */
	static void checkDiscardedWrites(SampleCluster cluster, List<ProcessMember> nodes, SessionChecker checker,
			long before, String step) {
		int[] expected = checker.discardedWrites();
		long start = System.nanoTime();
		long deadline = start + COUNT_TIMEOUT.toNanos();
		long counted = discardedWrites(cluster, nodes) - before;
		while (counted < expected[0] && System.nanoTime() < deadline) {
			pause(Duration.ofMillis(500));
			counted = discardedWrites(cluster, nodes) - before;
		}
		cluster.took(step + " (until the discarded writes were counted)", start);
		// a count beyond the expected would come with the same copies
		pause(Duration.ofSeconds(1));
		counted = discardedWrites(cluster, nodes) - before;
		cluster.event(step + ": " + counted + " discarded write(s) counted, " + expected[0]
				+ ((expected[1] != expected[0]) ? " to " + expected[1] : "") + " expected");
		if (counted < expected[0] || counted > expected[1]) {
			checker.violation(step + ": session.replication.writes.discarded grew by " + counted + ", expected "
					+ expected[0] + ((expected[1] != expected[0]) ? " to " + expected[1] : "")
					+ " (one per attribute written on both sides)");
		}
	}

	private static long discardedWrites(SampleCluster cluster, List<ProcessMember> nodes) {
		return nodes.stream().mapToLong((node) -> SampleEndpoint.discardedWrites(cluster.http(), node)).sum();
	}

	/**
	 * Wait until every other node has dropped a node from its view.
	 */
	static void awaitExcluded(SampleCluster cluster, List<ProcessMember> nodes, ProcessMember gone, String step) {
		long start = System.nanoTime();
		long deadline = start + EXCLUSION_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (nodes.stream()
				.filter((node) -> node != gone)
				.allMatch((node) -> !SampleEndpoint.members(cluster.http(), node).contains(gone.name()))) {
				cluster.took(step + " (until excluded)", start);
				return;
			}
			pause(Duration.ofMillis(500));
		}
		throw new AssertionError(
				step + ": " + gone.name() + " was still in a view " + EXCLUSION_TIMEOUT + " later" + cluster.logs());
	}

	static void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new AssertionError("Interrupted", ex);
		}
	}

	/**
	 * A fault, injected while the checker drives the users, and undone.
	 */
	enum Fault {

		/** {@code kill -9}, then a restart on the same host and ports. */
		KILL_AND_RESTART {
			@Override
			void inject(SampleCluster cluster, IsolatedHosts hosts, int index, ProcessMember node,
					List<ProcessMember> nodes, SessionChecker checker) {
				checker.lose(node);
				node.crash();
				awaitExcluded(cluster, nodes, node, name());
				pause(LOAD_WHILE_OUT);
				cluster.startAndAwaitReady(node, "restart " + node.name());
				checker.serve(node);
			}
		},

		/** {@code SIGSTOP} for longer than failure detection, then {@code SIGCONT}. */
		PAUSE {
			@Override
			void inject(SampleCluster cluster, IsolatedHosts hosts, int index, ProcessMember node,
					List<ProcessMember> nodes, SessionChecker checker) {
				checker.drain(node);
				node.pause();
				try {
					awaitExcluded(cluster, nodes, node, name());
					pause(LOAD_WHILE_OUT);
				}
				finally {
					node.resume();
				}
				awaitOneView(cluster, nodes, "resume " + node.name(), MERGE_TIMEOUT);
				checker.serve(node);
			}
		},

		/**
		 * The node's link cut: partitioned from the others; then restored, and merged.
		 */
		PARTITION {
			@Override
			void inject(SampleCluster cluster, IsolatedHosts hosts, int index, ProcessMember node,
					List<ProcessMember> nodes, SessionChecker checker) {
				checker.drain(node);
				hosts.cut(index);
				try {
					awaitExcluded(cluster, nodes, node, name());
					pause(LOAD_WHILE_OUT);
				}
				finally {
					hosts.restore(index);
				}
				awaitOneView(cluster, nodes, "heal " + node.name(), MERGE_TIMEOUT);
				checker.serve(node);
			}
		},

		/**
		 * The node partitioned from the others but not from the users, and both sides
		 * written: users stay on the node's side, on the others' side, or send each
		 * request to the other side, as a load balancer that flips would. The writes
		 * stop, the partition heals, and the merge must keep the later write of each
		 * attribute written on both sides and count each discarded one in
		 * {@code session.replication.writes.discarded}.
		 */
		PARTITION_BOTH_SIDES {
			@Override
			void inject(SampleCluster cluster, IsolatedHosts hosts, int index, ProcessMember node,
					List<ProcessMember> nodes, SessionChecker checker) {
				String step = name() + " of " + node.name();
				checker.stop();
				// each side starts from every acknowledged write
				long start = System.nanoTime();
				checker.awaitAgreement(step + ", before the partition", AGREEMENT_TIMEOUT);
				cluster.took(step + " (until the copies agreed before the partition)", start);
				long before = discardedWrites(cluster, nodes);
				List<ProcessMember> others = nodes.stream().filter((other) -> other != node).toList();
				// chosen by the owners of the whole view, whose copies are current
				checker.split(step, List.of(node), others, USERS_ON_BOTH_SIDES, USERS_ON_ITS_SIDE);
				hosts.partition(index);
				try {
					awaitSplit(cluster, nodes, node, step);
					checker.start(CHECKER_THREADS, LOAD_WHILE_OUT.multipliedBy(3));
					pause(LOAD_WHILE_OUT);
					checker.stop();
					checker.writeLaterOnOneSide();
				}
				finally {
					hosts.heal(index);
				}
				awaitOneView(cluster, nodes, "heal " + node.name(), MERGE_TIMEOUT);
				checker.awaitAgreement(step, AGREEMENT_TIMEOUT);
				checkDiscardedWrites(cluster, nodes, checker, before, step);
				checker.checkLaterWritesWon(step);
			}
		};

		abstract void inject(SampleCluster cluster, IsolatedHosts hosts, int index, ProcessMember node,
				List<ProcessMember> nodes, SessionChecker checker);

	}

}
