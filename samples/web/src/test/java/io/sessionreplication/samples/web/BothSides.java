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
import java.util.concurrent.ThreadLocalRandom;

import io.sessionreplication.samples.web.VirtualUser.Answer;
import io.sessionreplication.test.ProcessMember;

/**
 * One user's session written on both sides of a partition, as a load balancer that flips
 * between them would send its requests: each request goes to the other side. It checks
 * each side's answers against that side's earlier ones (no acknowledged write lost, no
 * counter going back, on that side), and says what the split-brain rule must keep once
 * the sides merge: the later write (by this machine's clock, which every node shares),
 * attribute by attribute.
 * <p>
 * It does not send requests itself; one thread at a time uses it.
 */
final class BothSides {

	/**
	 * How close the last writes of the two sides may be for either to be the later one: a
	 * write is stamped while its request runs, before its answer arrives.
	 */
	static final Duration TOLERANCE = Duration.ofMillis(100);

	/**
	 * The attributes that each request of an existing session writes: the counter and the
	 * last visit. Each one written on both sides is one discarded write at the merge.
	 */
	static final int ATTRIBUTES_PER_REQUEST = 2;

	private final List<List<ProcessMember>> sides;

	private final Side[] state;

	private int next;

	/**
	 * A session acknowledged at {@code acknowledged} before the partition, whose requests
	 * now alternate between two sides.
	 * @param sideA the nodes of one side
	 * @param sideB the nodes of the other side
	 * @param acknowledged the last counter acknowledged before the partition
	 */
	BothSides(List<ProcessMember> sideA, List<ProcessMember> sideB, int acknowledged) {
		this.sides = List.of(List.copyOf(sideA), List.copyOf(sideB));
		this.state = new Side[] { new Side(acknowledged), new Side(acknowledged) };
	}

	/**
	 * Where the next request goes: a node of the other side than the last request's.
	 * @return the node
	 */
	ProcessMember nextNode() {
		ProcessMember node = nodeOf(this.next);
		this.next = 1 - this.next;
		return node;
	}

	/**
	 * Where a request to one side goes.
	 * @param side 0 for side A, 1 for side B
	 * @return a node of that side
	 */
	ProcessMember nodeOf(int side) {
		List<ProcessMember> nodes = this.sides.get(side);
		return nodes.get(ThreadLocalRandom.current().nextInt(nodes.size()));
	}

	/**
	 * A request to {@code node} failed: it may or may not have written.
	 * @param node the node
	 */
	void failed(ProcessMember node) {
		this.state[sideOf(node)].unknown++;
	}

	/**
	 * Check an answer against the earlier answers of the node's side.
	 * @param node the node that answered
	 * @param answer the answer
	 * @return the violation, or {@code null}
	 */
	String check(ProcessMember node, Answer answer) {
		Side side = this.state[sideOf(node)];
		String violation = null;
		if (answer.counter() <= side.acknowledged) {
			violation = "counter went back or an acknowledged update was lost on the side of " + node.name()
					+ ": acknowledged " + side.acknowledged + ", then got " + answer + " (" + side.writes
					+ " earlier answer(s) on that side)";
		}
		else if (answer.counter() > side.acknowledged + 1 + side.unknown) {
			violation = "counter jumped from " + side.acknowledged + " to " + answer.counter() + " on the side of "
					+ node.name() + " with " + side.unknown + " failed request(s) in between";
		}
		side.acknowledged = answer.counter();
		side.unknown = 0;
		side.writes++;
		side.lastWriteMillis = System.currentTimeMillis();
		side.lastNode = node.name();
		return violation;
	}

	/**
	 * The range of writes that the merge discards for this session: one per attribute
	 * written on both sides; a failed request may or may not have written.
	 * @return the least and the most discarded writes, in that order
	 */
	int[] discardedWrites() {
		boolean surely = this.state[0].writes > 0 && this.state[1].writes > 0;
		boolean maybe = (this.state[0].writes > 0 || this.state[0].unknown > 0)
				&& (this.state[1].writes > 0 || this.state[1].unknown > 0);
		return new int[] { surely ? ATTRIBUTES_PER_REQUEST : 0, maybe ? ATTRIBUTES_PER_REQUEST : 0 };
	}

	/**
	 * Check the first answer at rest after the merge: it must follow the later side's
	 * last write (either side's if they were within {@link #TOLERANCE}).
	 * @param node the node that answered
	 * @param answer the answer
	 * @return the violation, or {@code null}
	 */
	String checkAtRest(ProcessMember node, Answer answer) {
		Side a = this.state[0];
		Side b = this.state[1];
		long apart = a.lastWriteMillis - b.lastWriteMillis;
		boolean either = Math.abs(apart) <= TOLERANCE.toMillis();
		Side later = (apart > 0) ? a : b;
		Side earlier = (later == a) ? b : a;
		if (follows(answer, later) || (either && follows(answer, earlier))) {
			return null;
		}
		return "the merge did not keep the later write: " + node.name() + " answered " + answer.counter()
				+ " after a visit to " + ((answer.previous() != null) ? answer.previous().node() : null)
				+ ", the later write was " + later + ", the earlier " + earlier + " (" + Math.abs(apart) + " ms before)"
				+ (either ? ", either was fine" : "");
	}

	/**
	 * Whether an answer follows a side's last write: the next counter, after a visit to
	 * the node that made it.
	 */
	private static boolean follows(Answer answer, Side side) {
		return answer.counter() == side.acknowledged + 1 && answer.previous() != null
				&& answer.previous().node().equals(side.lastNode);
	}

	private int sideOf(ProcessMember node) {
		return this.sides.get(0).contains(node) ? 0 : 1;
	}

	/** What one side acknowledged. */
	private static final class Side {

		private int acknowledged;

		private int unknown;

		private int writes;

		private long lastWriteMillis;

		private String lastNode;

		Side(int acknowledged) {
			this.acknowledged = acknowledged;
		}

		@Override
		public String toString() {
			return "counter " + this.acknowledged + " on " + this.lastNode;
		}

	}

}
