package io.sessionreplication.replication;

import java.time.Duration;

/**
 * How this member's initial state transfer went: the sessions it received from the
 * existing members before it started serving requests.
 *
 * @param outcome how it ended, or that it has not yet
 * @param duration how long the join and the transfer took, zero until it ended
 * @param bytes the bytes of the state stream received from the member that sent the
 * state; in {@code primary-backup} mode the other members' shares come as ordinary
 * replication payloads and are not counted here
 * @param sessions the sessions this member held when the transfer ended
 */
public record StateTransfer(Outcome outcome, Duration duration, long bytes, int sessions) {

	/** A transfer that has not ended yet. */
	static final StateTransfer IN_PROGRESS = new StateTransfer(Outcome.IN_PROGRESS, Duration.ZERO, 0, 0);

	/** How a state transfer ended. */
	public enum Outcome {

		/** The member is still joining. */
		IN_PROGRESS,

		/** The member was the first of the cluster: there was nothing to receive. */
		FIRST_MEMBER,

		/** All sessions arrived within the state transfer timeout. */
		COMPLETE,

		/**
		 * Not all sessions arrived within the state transfer timeout; the member started
		 * with those that did.
		 */
		INCOMPLETE

	}

}
