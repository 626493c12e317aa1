package io.sessionreplication.cluster.jgroups;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.Message;
import org.jgroups.View;
import org.jgroups.stack.Protocol;
import org.jgroups.util.MessageBatch;

/**
 * A protocol that the transport puts right below the stack's verification of suspicions
 * ({@code VERIFY_SUSPECT2} or {@code VERIFY_SUSPECT}), to learn at once when the failure
 * detection suspects a member: for example when the socket that {@code FD_SOCK2} keeps to
 * a member closes because its process was killed. The verification then takes its time (a
 * second in the shipped stack) before the member is excluded from the view; meanwhile the
 * transport stops waiting for the suspected member's answers ({@link AwaitedReplies}),
 * but still sends to it, and the member stays in the view. A message from a suspected
 * member, such as its answer to the verification, or the failure detection taking its
 * suspicion back, shows it alive again.
 * <p>
 * It changes nothing in the stack: every event and message goes on, and it adds no
 * header. A stack without such a verification needs no watch: its suspicions change the
 * view at once.
 */
final class SuspicionWatch extends Protocol {

	private final Listener listener;

	private final Set<Address> suspects = ConcurrentHashMap.newKeySet();

	SuspicionWatch(Listener listener) {
		this.listener = listener;
	}

	/**
	 * Whether a member is suspected now, and was not shown alive since.
	 * @param member the member
	 * @return whether it is
	 */
	boolean isSuspected(Address member) {
		return !this.suspects.isEmpty() && this.suspects.contains(member);
	}

	@Override
	public Object up(Event event) {
		if (event.getType() == Event.UNSUSPECT && event.getArg() instanceof Address member) {
			this.suspects.remove(member);
		}
		else if (event.getType() == Event.SUSPECT) {
			Object suspected = event.getArg();
			Collection<Address> members = (suspected instanceof Address member) ? List.of(member)
					: (suspected instanceof Collection<?> collection)
							? collection.stream().filter(Address.class::isInstance).map(Address.class::cast).toList()
							: List.of();
			List<Address> others = members.stream().filter((member) -> !member.equals(this.local_addr)).toList();
			if (!others.isEmpty()) {
				this.suspects.addAll(others);
				this.listener.suspected();
			}
		}
		return this.up_prot.up(event);
	}

	@Override
	public Object up(Message message) {
		noteAlive(message.getSrc());
		return this.up_prot.up(message);
	}

	@Override
	public void up(MessageBatch batch) {
		noteAlive(batch.sender());
		this.up_prot.up(batch);
	}

	@Override
	public Object down(Event event) {
		if (event.getType() == Event.VIEW_CHANGE && event.getArg() instanceof View view) {
			this.suspects.retainAll(view.getMembers());
		}
		return this.down_prot.down(event);
	}

	private void noteAlive(Address member) {
		if (member != null && !this.suspects.isEmpty()) {
			this.suspects.remove(member);
		}
	}

	/** Told when members are suspected. */
	interface Listener {

		/**
		 * The failure detection suspected members, not verified yet: see
		 * {@link SuspicionWatch#isSuspected}.
		 */
		void suspected();

	}

}
