package io.sessionreplication.replication;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiFunction;

import io.sessionreplication.wire.EncodedMessages;
import org.jspecify.annotations.Nullable;

/**
 * Sends the changes of concurrent requests to the same members together, for
 * {@link DeliveryMode#SYNC}: a group commit. While a payload to some members waits for
 * their acknowledgements, the changes that other requests send to the same members queue
 * up; once it is acknowledged, the oldest waiting request sends everything queued (what
 * one {@link PayloadBudget} admits) in one payload. Each request returns once the payload
 * that carries its change has been acknowledged, or has timed out, exactly as if it had
 * sent the change alone: only the number of payloads changes, and with it the cost of a
 * synchronous change under load. A request that finds nothing in flight sends at once, so
 * a lone request waits no longer than before.
 * <p>
 * Each request encodes its own messages, on its own thread, before it queues them: a
 * message that cannot be encoded fails its request alone, and the payload joins the
 * encoded messages without encoding them again.
 * <p>
 * It keeps no thread of its own: the requests send. It does not order changes to
 * different members with each other, just as separate sends would not.
 */
final class GroupCommit {

	private final BiFunction<List<EncodedMessages>, @Nullable Collection<String>, PayloadOutcome> sender;

	private final Lane everyMember = new Lane(null);

	private final Map<List<String>, Lane> lanes = new ConcurrentHashMap<>();

	/**
	 * Create a group commit that sends through {@code sender}.
	 * @param sender sends encoded messages in one payload to some members ({@code null}
	 * for every other member), and returns what became of it once they acknowledged it or
	 * the timeout passed
	 */
	GroupCommit(BiFunction<List<EncodedMessages>, @Nullable Collection<String>, PayloadOutcome> sender) {
		this.sender = sender;
	}

	/**
	 * Send messages, in one payload with whatever other requests send to the same members
	 * meanwhile, and return once that payload has been acknowledged or has timed out.
	 * @param messages the request's messages, encoded, kept together and in order
	 * @param members the members to send to, or {@code null} for every other member
	 * @return what became of the request's messages, member by member
	 * @throws IllegalStateException if the payload could not be sent
	 */
	DeliveryOutcome send(EncodedMessages messages, @Nullable List<String> members) {
		if (members != null && members.isEmpty()) {
			return DeliveryOutcome.NONE;
		}
		Lane lane = (members != null) ? this.lanes.computeIfAbsent(List.copyOf(members), Lane::new) : this.everyMember;
		Pending mine = new Pending(messages);
		lane.send(mine);
		return mine.outcome;
	}

	/**
	 * Forget the lanes to members that are not in the view any more: a member's name can
	 * change with every restart, and the lanes would otherwise pile up. A request still
	 * on a forgotten lane finishes on it; a later one to the same members opens a new
	 * lane.
	 * @param members the members of the current view
	 */
	void retainMembers(Collection<String> members) {
		this.lanes.keySet().removeIf((lane) -> !members.containsAll(lane));
	}

	/**
	 * How many lanes to some members there are.
	 * @return the number of lanes, not counting the lane to every member
	 */
	int laneCount() {
		return this.lanes.size();
	}

	/** The messages of one request, and how their payload went. */
	private static final class Pending {

		final EncodedMessages messages;

		/** The request's thread, the one to wake. */
		final Thread requester = Thread.currentThread();

		/** A payload carried the messages; set under the lane's lock. */
		volatile boolean sent;

		/** The request is to send the next payload; set under the lane's lock. */
		volatile boolean sends;

		@Nullable RuntimeException failure;

		/** Where the messages are in their payload; set under the lane's lock. */
		int offset;

		/** What became of the messages; set under the lane's lock. */
		DeliveryOutcome outcome = DeliveryOutcome.NONE;

		Pending(EncodedMessages messages) {
			this.messages = messages;
		}

	}

	/**
	 * The requests that send to one set of members, at most one payload in flight. Once a
	 * payload is acknowledged, it wakes the requests it carried and, if requests are
	 * queued, the oldest of them to send the next payload; nobody else.
	 */
	private final class Lane {

		private final @Nullable List<String> members;

		private final Deque<Pending> queued = new ArrayDeque<>();

		private boolean sending;

		Lane(@Nullable List<String> members) {
			this.members = members;
		}

		/**
		 * Queue a request's messages, and wait until a payload carries them: the request
		 * sends itself when no payload is in flight, or when the payload before is done
		 * and its messages are the oldest queued.
		 */
		void send(Pending mine) {
			synchronized (this) {
				this.queued.add(mine);
				if (!this.sending) {
					this.sending = true;
					mine.sends = true;
				}
			}
			boolean interrupted = false;
			while (true) {
				if (mine.sends) {
					mine.sends = false;
					sendQueued();
				}
				while (!mine.sent && !mine.sends) {
					// the change may already be on its way: an interrupt does not stop
					// the wait
					LockSupport.park(this);
					interrupted |= Thread.interrupted();
				}
				if (mine.sent) {
					break;
				}
			}
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
			if (mine.failure != null) {
				throw new IllegalStateException(mine.failure.getMessage(), mine.failure);
			}
		}

		/**
		 * Send the oldest queued messages in one payload, then wake their requests and
		 * the request that sends next.
		 */
		private void sendQueued() {
			List<Pending> batch = new ArrayList<>();
			List<EncodedMessages> payload = new ArrayList<>();
			PayloadBudget budget = new PayloadBudget();
			synchronized (this) {
				int offset = 0;
				while (!this.queued.isEmpty() && budget.admits(this.queued.peek().messages)) {
					Pending next = this.queued.poll();
					next.offset = offset;
					offset += next.messages.count();
					batch.add(next);
					payload.add(next.messages);
					budget.add(next.messages);
				}
			}
			RuntimeException failure = null;
			PayloadOutcome outcome = null;
			try {
				outcome = GroupCommit.this.sender.apply(payload, this.members);
			}
			catch (RuntimeException ex) {
				failure = ex;
			}
			Pending nextSender;
			synchronized (this) {
				for (Pending pending : batch) {
					pending.failure = failure;
					if (outcome != null) {
						pending.outcome = outcome.forMessages(pending.offset, pending.messages.count());
					}
					pending.sent = true;
				}
				nextSender = this.queued.peek();
				if (nextSender != null) {
					nextSender.sends = true;
				}
				else {
					this.sending = false;
				}
			}
			for (Pending pending : batch) {
				wake(pending);
			}
			if (nextSender != null) {
				wake(nextSender);
			}
		}

		private void wake(Pending pending) {
			if (pending.requester != Thread.currentThread()) {
				LockSupport.unpark(pending.requester);
			}
		}

	}

}
