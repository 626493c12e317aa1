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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.sessionreplication.samples.web.VirtualUser.Answer;
import io.sessionreplication.test.ProcessMember;

/**
 * The fault suite's checker: it drives many users' sessions across the nodes that a load
 * balancer would send them to ({@link #serve}, {@link #drain}), each request of a user to
 * a random one of them, and checks every answer against what the user was told before. An
 * acknowledged update (an answer) must never be lost, and a counter never goes back; a
 * request that failed may or may not have counted, so the next answer may be one higher
 * for each. Some users log out now and then; their sessions must never come back.
 * <p>
 * Between faults, {@link #checkQuiet} stops the load and checks the cluster at rest:
 * every owner of every session holds an equal copy, every node serves every session's
 * latest counter, and no node holds or serves an invalidated session. For a partition
 * with writes on both sides, {@link #split} sends each user to the nodes of one side, or
 * some to each side in turn ({@link BothSides}), and after the merge
 * {@link #checkLaterWritesWon} checks that each of those sessions kept its later write.
 * It collects violations instead of throwing, so that one run reports all it found. Every
 * loop is bounded in time.
 */
final class SessionChecker {

	/** The share of requests that log out instead of counting. */
	private static final double LOGOUT_RATE = 0.002;

	/**
	 * How many of the latest invalidated sessions each node is asked to serve again at
	 * rest; every invalidated session is looked up in every node's copies.
	 */
	private static final int REPLAYED_INVALIDATIONS = 20;

	private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(30);

	private final List<ProcessMember> nodes;

	private final int expectedOwners;

	private final boolean ownersHoldCurrentCopies;

	private final HttpClient http;

	private final List<TrackedUser> users = new ArrayList<>();

	private final Set<ProcessMember> serving = ConcurrentHashMap.newKeySet();

	private final Map<ProcessMember, AtomicInteger> inFlight = new ConcurrentHashMap<>();

	private final List<Invalidated> invalidated = new CopyOnWriteArrayList<>();

	private final List<String> violations = Collections.synchronizedList(new ArrayList<>());

	private final AtomicLong answers = new AtomicLong();

	private final AtomicLong failures = new AtomicLong();

	private final List<Thread> workers = new ArrayList<>();

	private volatile boolean driving;

	/**
	 * A checker of the given nodes, all of them served.
	 * @param nodes the nodes
	 * @param users how many users
	 * @param expectedOwners how many nodes must hold each session at rest
	 * @param ownersHoldCurrentCopies whether an owner's copy must count as current at
	 * rest (primary-backup), rather than as built from changes (all-to-all)
	 * @param http the users' HTTP client
	 */
	SessionChecker(List<ProcessMember> nodes, int users, int expectedOwners, boolean ownersHoldCurrentCopies,
			HttpClient http) {
		this.nodes = List.copyOf(nodes);
		this.expectedOwners = expectedOwners;
		this.ownersHoldCurrentCopies = ownersHoldCurrentCopies;
		this.http = http;
		for (int i = 0; i < users; i++) {
			this.users.add(new TrackedUser("user-" + i, http));
		}
		nodes.forEach((node) -> {
			this.serving.add(node);
			this.inFlight.put(node, new AtomicInteger());
		});
	}

	/**
	 * Start driving the users in the background, with {@code threads} threads, until
	 * {@link #stop()} or at most {@code limit}.
	 * @param threads how many threads
	 * @param limit the longest time they drive
	 */
	void start(int threads, Duration limit) {
		this.driving = true;
		long deadline = System.nanoTime() + limit.toNanos();
		for (int t = 0; t < threads; t++) {
			List<TrackedUser> own = new ArrayList<>();
			for (int i = t; i < this.users.size(); i += threads) {
				own.add(this.users.get(i));
			}
			Thread worker = new Thread(() -> {
				for (int i = 0; this.driving && System.nanoTime() < deadline; i++) {
					step(own.get(i % own.size()));
				}
			}, "checker-" + t);
			worker.start();
			this.workers.add(worker);
		}
	}

	/** Stop driving, and wait for the requests under way to end. */
	void stop() {
		this.driving = false;
		for (Thread worker : this.workers) {
			try {
				worker.join(DRAIN_TIMEOUT.toMillis());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new AssertionError("Interrupted", ex);
			}
			if (worker.isAlive()) {
				this.violations.add(worker.getName() + " did not stop within " + DRAIN_TIMEOUT);
			}
		}
		this.workers.clear();
	}

	/**
	 * Send users to a node again.
	 * @param node the node
	 */
	void serve(ProcessMember node) {
		this.serving.add(node);
	}

	/**
	 * Send no more users to a node, as a load balancer does with a node it is told to
	 * take out, and wait for the requests under way there to end.
	 * @param node the node
	 */
	void drain(ProcessMember node) {
		this.serving.remove(node);
		long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
		while (this.inFlight.get(node).get() > 0 && System.nanoTime() < deadline) {
			sleep(Duration.ofMillis(50));
		}
		if (this.inFlight.get(node).get() > 0) {
			this.violations
				.add("Requests to " + node.name() + " still under way " + DRAIN_TIMEOUT + " after it was drained");
		}
	}

	/**
	 * Take a node out without draining, as when it crashes: its requests under way fail.
	 * @param node the node
	 */
	void lose(ProcessMember node) {
		this.serving.remove(node);
	}

	private void step(TrackedUser user) {
		ProcessMember node = nextNode(user);
		if (node == null) {
			sleep(Duration.ofMillis(50));
			return;
		}
		AtomicInteger counter = this.inFlight.get(node);
		counter.incrementAndGet();
		try {
			if (user.session != null && user.bothSides == null
					&& (user.logoutNext || ThreadLocalRandom.current().nextDouble() < LOGOUT_RATE)) {
				user.logoutNext = false;
				logout(user, node);
			}
			else {
				count(user, node);
			}
		}
		finally {
			counter.decrementAndGet();
		}
	}

	private ProcessMember nextNode(TrackedUser user) {
		if (user.bothSides != null) {
			return user.bothSides.nextNode();
		}
		List<ProcessMember> candidates = new ArrayList<>((user.pinned != null) ? user.pinned : this.serving);
		return candidates.isEmpty() ? null : candidates.get(ThreadLocalRandom.current().nextInt(candidates.size()));
	}

	private void count(TrackedUser user, ProcessMember node) {
		Answer answer;
		try {
			answer = user.browser.counter(node);
		}
		catch (IOException ex) {
			if (user.bothSides != null) {
				user.bothSides.failed(node);
			}
			else {
				user.unknown++;
			}
			this.failures.incrementAndGet();
			return;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		this.answers.incrementAndGet();
		check(user, node, answer);
	}

	private void check(TrackedUser user, ProcessMember node, Answer answer) {
		String where = user.name + " on " + node.name() + ": ";
		if (user.bothSides != null) {
			String violation = user.bothSides.check(node, answer);
			if (violation != null) {
				this.violations.add(where + violation);
			}
			return;
		}
		if (user.session == null) {
			if (answer.counter() > 1 + user.unknown) {
				this.violations.add(where + "a new session started at " + answer.counter());
			}
		}
		else if (!answer.session().equals(user.session)) {
			this.violations.add(where + "session " + user.session + " (acknowledged counter " + user.acknowledged
					+ ") was lost: got session " + answer.session() + " at " + answer.counter());
		}
		else if (answer.counter() <= user.acknowledged) {
			this.violations.add(where + "counter went back or an acknowledged update was lost: acknowledged "
					+ user.acknowledged + ", then got " + answer.counter());
		}
		else if (answer.counter() > user.acknowledged + 1 + user.unknown) {
			this.violations.add(where + "counter jumped from " + user.acknowledged + " to " + answer.counter()
					+ " with " + user.unknown + " failed request(s) in between");
		}
		user.session = answer.session();
		user.acknowledged = answer.counter();
		user.unknown = 0;
	}

	private void logout(TrackedUser user, ProcessMember node) {
		String session = user.session;
		String cookie = user.browser.cookie();
		try {
			if (user.browser.logout(node) == 204) {
				this.invalidated.add(new Invalidated(session, cookie));
			}
			else {
				this.failures.incrementAndGet();
			}
		}
		catch (IOException ex) {
			this.failures.incrementAndGet();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		user.startOver(this.http);
	}

	/**
	 * With the load stopped and every node in one view, check the cluster at rest, for at
	 * most {@code within} until the copies agree and no node holds an invalidated session
	 * (after a merge, the members exchange their removals in the background).
	 * @param step the step, for the violations found
	 * @param within how long copies may take to agree, and removals to reach every node
	 */
	void checkQuiet(String step, Duration within) {
		awaitAgreement(step, within);
		List<Invalidated> all = List.copyOf(this.invalidated);
		for (Invalidated session : all.subList(Math.max(0, all.size() - REPLAYED_INVALIDATIONS), all.size())) {
			for (ProcessMember node : this.nodes) {
				checkNotServed(step, node, session);
			}
		}
		long failuresBefore = this.failures.get();
		for (TrackedUser user : this.users) {
			if (user.session == null) {
				continue;
			}
			for (ProcessMember node : this.nodes) {
				count(user, node);
			}
		}
		if (this.failures.get() > failuresBefore) {
			this.violations.add(step + ": " + (this.failures.get() - failuresBefore)
					+ " request(s) failed with every node up and quiet");
		}
	}

	/**
	 * With the load stopped and every node in one view, wait at most {@code within} until
	 * the copies agree and no node holds an invalidated session; what still differs then
	 * is a violation.
	 * @param step the step, for the violations found
	 * @param within how long copies may take to agree, and removals to reach every node
	 */
	void awaitAgreement(String step, Duration within) {
		List<String> disagreements = List.of();
		long deadline = System.nanoTime() + within.toNanos();
		do {
			disagreements = new ArrayList<>(copiesThatDisagree());
			disagreements.addAll(invalidatedSessionsHeld());
			if (!disagreements.isEmpty()) {
				sleep(Duration.ofMillis(500));
			}
		}
		while (!disagreements.isEmpty() && System.nanoTime() < deadline);
		disagreements.forEach((disagreement) -> this.violations.add(step + ": " + disagreement));
	}

	/**
	 * With the load stopped and before the partition, split the users between its two
	 * sides: {@code bothSides} users send each request to the other side,
	 * {@code pinnedToA} users stay on side A, and the others on side B. The users written
	 * on both sides, and those pinned to side A, are taken among the sessions that the
	 * first node of side A owns now, so that both sides hold a current copy (a copy held
	 * without owning the session may be stale). One user of each side logs out first.
	 * @param step the step, for the violations found
	 * @param sideA the nodes of one side
	 * @param sideB the nodes of the other side
	 * @param bothSides how many users write on both sides
	 * @param pinnedToA how many users stay on side A
	 */
	void split(String step, List<ProcessMember> sideA, List<ProcessMember> sideB, int bothSides, int pinnedToA) {
		List<TrackedUser> heldOnBoth = this.users.stream()
			.filter((user) -> user.session != null
					&& isOwnedAndHeld(SampleEndpoint.copy(this.http, sideA.get(0), user.session)))
			.toList();
		int flipping = Math.min(bothSides, heldOnBoth.size() / 2);
		if (flipping == 0) {
			this.violations.add(step + ": no session held on both sides to write on both");
		}
		for (TrackedUser user : this.users) {
			int index = heldOnBoth.indexOf(user);
			if (index >= 0 && index < flipping) {
				user.bothSides = new BothSides(sideA, sideB, user.acknowledged);
			}
			else {
				user.pinned = (index >= 0 && index < flipping + pinnedToA) ? sideA : sideB;
			}
		}
		this.users.stream().filter((user) -> user.pinned == sideA).findFirst().ifPresent((user) -> {
			user.logoutNext = true;
		});
		this.users.stream()
			.filter((user) -> user.pinned == sideB && user.session != null)
			.findFirst()
			.ifPresent((user) -> {
				user.logoutNext = true;
			});
	}

	private static boolean isOwnedAndHeld(SampleEndpoint.Copy copy) {
		return copy.owner() && copy.held();
	}

	/**
	 * With the load stopped, before the partition heals: after a pause longer than
	 * {@link BothSides#TOLERANCE}, one more request of each user written on both sides,
	 * on side A for every other one and on side B for the others, so that one side's last
	 * write is clearly the later.
	 */
	void writeLaterOnOneSide() {
		sleep(BothSides.TOLERANCE.multipliedBy(2));
		int side = 0;
		for (TrackedUser user : this.users) {
			if (user.bothSides != null) {
				count(user, user.bothSides.nodeOf(side));
				side = 1 - side;
			}
		}
	}

	/**
	 * The writes that the sides' merge must discard, by what the users written on both
	 * sides were told.
	 * @return the least and the most, in that order
	 */
	int[] discardedWrites() {
		int[] range = new int[2];
		for (TrackedUser user : this.users) {
			if (user.bothSides != null) {
				int[] discarded = user.bothSides.discardedWrites();
				range[0] += discarded[0];
				range[1] += discarded[1];
			}
		}
		return range;
	}

	/**
	 * With the load stopped and the copies agreeing after the merge, check that every
	 * session written on both sides holds its later write, then send every user to the
	 * serving nodes again. Every node serving it is checked by {@link #checkQuiet}.
	 * @param step the step, for the violations found
	 */
	void checkLaterWritesWon(String step) {
		for (TrackedUser user : this.users) {
			BothSides sides = user.bothSides;
			user.bothSides = null;
			user.pinned = null;
			user.logoutNext = false;
			if (sides == null) {
				continue;
			}
			ProcessMember node = this.nodes.get(0);
			try {
				Answer answer = user.browser.counter(node);
				String violation = sides.checkAtRest(node, answer);
				if (violation != null) {
					this.violations.add(step + ": " + user.name + "'s session " + user.session + ": " + violation);
				}
				user.acknowledged = answer.counter();
				user.unknown = 0;
			}
			catch (IOException ex) {
				this.violations.add(step + ": " + user.name + " on " + node.name() + " failed at rest: " + ex);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private List<String> invalidatedSessionsHeld() {
		List<String> found = new ArrayList<>();
		for (Invalidated session : List.copyOf(this.invalidated)) {
			for (ProcessMember node : this.nodes) {
				if (SampleEndpoint.copy(this.http, node, session.id()).held()) {
					found.add("invalidated session " + session.id() + " is back on " + node.name());
				}
			}
		}
		return found;
	}

	private List<String> copiesThatDisagree() {
		List<String> found = new ArrayList<>();
		for (TrackedUser user : this.users) {
			if (user.session == null) {
				continue;
			}
			List<SampleEndpoint.Copy> owners = this.nodes.stream()
				.map((node) -> SampleEndpoint.copy(this.http, node, user.session))
				.filter(SampleEndpoint.Copy::owner)
				.toList();
			long current = owners.stream()
				.filter((copy) -> copy.held()
						&& (!this.ownersHoldCurrentCopies || "CURRENT_COPY".equals(copy.coverage())))
				.count();
			long fingerprints = owners.stream().map(SampleEndpoint.Copy::fingerprint).distinct().count();
			if (owners.size() != this.expectedOwners || current != owners.size() || fingerprints != 1) {
				found.add("the copies of " + user.name + "'s session " + user.session + " disagree: " + owners);
			}
		}
		return found;
	}

	private void checkNotServed(String step, ProcessMember node, Invalidated session) {
		VirtualUser replay = VirtualUser.withCookie("replay of " + session.id(), this.http, session.cookie());
		try {
			Answer answer = replay.counter(node);
			if (answer.session().equals(session.id())) {
				this.violations.add(step + ": invalidated session " + session.id() + " was served again by "
						+ node.name() + " at counter " + answer.counter());
			}
		}
		catch (IOException ex) {
			this.violations.add(
					step + ": replaying invalidated session " + session.id() + " on " + node.name() + " failed: " + ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Report a violation found outside the checker.
	 * @param violation what was found
	 */
	void violation(String violation) {
		this.violations.add(violation);
	}

	List<String> violations() {
		return List.copyOf(this.violations);
	}

	/**
	 * What the checker did so far, for the report.
	 * @return answers, failed requests and sessions invalidated
	 */
	String summary() {
		return this.answers.get() + " answers checked, " + this.failures.get() + " failed requests, "
				+ this.invalidated.size() + " sessions invalidated";
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * A user and what it was told: its session, the last counter answered, and how many
	 * requests failed since then (each may or may not have counted). Used by one thread
	 * at a time.
	 */
	private static final class TrackedUser {

		private final String name;

		private VirtualUser browser;

		private String session;

		private int acknowledged;

		private int unknown;

		/**
		 * The nodes it goes to, while the cluster is split; the serving nodes if null.
		 */
		private List<ProcessMember> pinned;

		/** Its writes on both sides of a partition, while the cluster is split. */
		private BothSides bothSides;

		/** Whether its next request logs out. */
		private boolean logoutNext;

		TrackedUser(String name, HttpClient http) {
			this.name = name;
			startOver(http);
		}

		void startOver(HttpClient http) {
			this.browser = new VirtualUser(this.name, http);
			this.session = null;
			this.acknowledged = 0;
			this.unknown = 0;
		}

	}

	/**
	 * A session a user logged out of.
	 *
	 * @param id its id
	 * @param cookie the cookie that carried it
	 */
	private record Invalidated(String id, String cookie) {
	}

}
