package io.sessionreplication.cluster.jgroups;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.jgroups.Address;
import org.jgroups.Event;
import org.jgroups.Message;
import org.jgroups.View;
import org.jgroups.stack.IpAddress;
import org.jgroups.stack.Protocol;
import org.jgroups.util.MessageBatch;
import org.jspecify.annotations.Nullable;

/**
 * A protocol that the transport puts right below the stack's verification of suspicions
 * ({@code VERIFY_SUSPECT2} or {@code VERIFY_SUSPECT}), to learn within milliseconds that
 * a suspected member's process is gone, where the verification takes its time (a second
 * in the shipped stack) before the member is excluded from the view.
 * <p>
 * It hears the suspicions that go up the stack, which the failure detection raises only
 * on the member that will change the view (the coordinator), and those that a
 * {@link ClosedConnectionWatch} hands it from the transport, which every member with a
 * connection to the crashed one sees.
 * <p>
 * A suspicion alone proves nothing: a member is suspected when a socket to it closes, or
 * when it has been silent for a while, and a live member can be both. So each suspected
 * member is probed ({@link ConnectionProbe}): only if its transport's port refuses a
 * connection, which the host's kernel does once the process has died and never while it
 * lives (even stopped or busy), is the member's crash confirmed and the listener told. A
 * probe that times out, fails otherwise, or connects confirms nothing, and the member is
 * left to the verification and the view change.
 * <p>
 * It changes nothing in the stack: every event and message goes on, it adds no header,
 * and it excludes nobody from the view. A message from a member, or the failure detection
 * taking its suspicion back, withdraws the confirmation; a view without the member
 * forgets it.
 */
final class CrashWatch extends Protocol {

	/**
	 * How long a probe waits for its connection. A refusal comes back within a round
	 * trip; a probe that has not been refused by then confirms nothing.
	 */
	static final Duration PROBE_TIMEOUT = Duration.ofMillis(500);

	private final Runnable crashConfirmed;

	private final Set<Address> confirmed = ConcurrentHashMap.newKeySet();

	private final Set<Address> confirmedView = Collections.unmodifiableSet(this.confirmed);

	private final Set<Address> probing = ConcurrentHashMap.newKeySet();

	/**
	 * Create the watch.
	 * @param crashConfirmed run, on the probe's thread, each time a member's crash is
	 * confirmed
	 */
	CrashWatch(Runnable crashConfirmed) {
		this.crashConfirmed = crashConfirmed;
	}

	/**
	 * The members whose crash is confirmed, and of which no message came since.
	 * @return the members, a live view
	 */
	Set<Address> confirmedCrashes() {
		return this.confirmedView;
	}

	@Override
	public Object up(Event event) {
		if (event.getType() == Event.UNSUSPECT && event.getArg() instanceof Address member) {
			this.confirmed.remove(member);
		}
		else if (event.getType() == Event.SUSPECT) {
			suspected(event.getArg(), Duration.ZERO);
		}
		return this.up_prot.up(event);
	}

	/**
	 * Probe members that something below suspects, though the stack above is not told:
	 * for example a closed connection ({@link ClosedConnectionWatch}).
	 * @param suspected a member's address, or a collection of them
	 * @param delay how long to wait before the probe
	 */
	void suspected(Object suspected, Duration delay) {
		suspects(suspected).forEach((member) -> probe(member, delay));
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
			this.confirmed.retainAll(view.getMembers());
		}
		return this.down_prot.down(event);
	}

	private List<Address> suspects(Object suspected) {
		Collection<?> members = (suspected instanceof Collection<?> collection) ? collection : List.of(suspected);
		return members.stream()
			.filter(Address.class::isInstance)
			.map(Address.class::cast)
			.filter((member) -> !member.equals(this.local_addr))
			.toList();
	}

	/** Probe a suspected member on a thread of its own: the protocol must not block. */
	private void probe(Address member, Duration delay) {
		if (this.confirmed.contains(member) || !this.probing.add(member)) {
			return;
		}
		InetSocketAddress address = physicalAddress(member);
		if (address == null) {
			this.probing.remove(member);
			return;
		}
		Thread thread = new Thread(() -> {
			try {
				Thread.sleep(delay.toMillis());
				if (ConnectionProbe.refuses(address, PROBE_TIMEOUT)) {
					this.confirmed.add(member);
					this.crashConfirmed.run();
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			finally {
				this.probing.remove(member);
			}
		}, "session-replication-crash-probe");
		thread.setDaemon(true);
		thread.start();
	}

	private @Nullable InetSocketAddress physicalAddress(Address member) {
		Object physical = this.down_prot.down(new Event(Event.GET_PHYSICAL_ADDRESS, member));
		return (physical instanceof IpAddress ip) ? new InetSocketAddress(ip.getIpAddress(), ip.getPort()) : null;
	}

	private void noteAlive(@Nullable Address member) {
		if (member != null && !this.confirmed.isEmpty()) {
			this.confirmed.remove(member);
		}
	}

}
