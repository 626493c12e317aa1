package io.sessionreplication.cluster.jgroups;

import java.time.Duration;
import java.util.function.BiConsumer;

import org.jgroups.Event;
import org.jgroups.protocols.BasicTCP;
import org.jgroups.stack.Protocol;
import org.jgroups.stack.ProtocolStack;

/**
 * A protocol right above a TCP transport that hears, on every member, that a connection
 * to another member closed without the goodbye a leaving member sends, as when its
 * process was killed, and hands that member to the {@link CrashWatch} to probe.
 * <p>
 * The failure detection tells only the coordinator that a member's socket closed (the
 * others hear it as a message that they do not pass up), so without this a member that is
 * not the coordinator would wait for the view change before a request stopped waiting for
 * the crashed member. The transport reports a closed connection as a suspicion
 * ({@link BasicTCP#enableSuspectEvents}, which this watch turns on); the watch takes it
 * out of the stack, so nobody above suspects a member, let alone excludes it, because a
 * connection closed: connections also close when two members connect to each other at the
 * same moment. A closed connection is only a reason to probe.
 */
final class ClosedConnectionWatch extends Protocol {

	/**
	 * How long after a connection closed its member is probed. A killed process's sockets
	 * close one after another, and its transport's port may still listen when a
	 * connection's end reaches us; a few milliseconds later it refuses.
	 */
	static final Duration PROBE_DELAY = Duration.ofMillis(100);

	private final BiConsumer<Object, Duration> suspected;

	/**
	 * Create the watch.
	 * @param suspected told, on a thread of the transport, of the member (or members)
	 * whose connection closed, and how long to wait before probing it
	 */
	ClosedConnectionWatch(BiConsumer<Object, Duration> suspected) {
		this.suspected = suspected;
	}

	/**
	 * Put a watch above the transport of a stack, if it is TCP and does not already
	 * report closed connections as suspicions (then they go up the stack, to the
	 * {@link CrashWatch} among others). No other transport gets one.
	 * @param transport the stack's transport
	 * @param suspected told of the member whose connection closed, and how long to wait
	 * before probing it
	 * @throws Exception if the stack refuses the protocol
	 */
	static void watch(Protocol transport, BiConsumer<Object, Duration> suspected) throws Exception {
		if (!(transport instanceof BasicTCP tcp) || tcp.enableSuspectEvents()) {
			return;
		}
		tcp.getProtocolStack()
			.insertProtocolInStack(new ClosedConnectionWatch(suspected), tcp, ProtocolStack.Position.ABOVE);
		tcp.enableSuspectEvents(true);
	}

	@Override
	public Object up(Event event) {
		if (event.getType() == Event.SUSPECT) {
			this.suspected.accept(event.getArg(), PROBE_DELAY);
			return null;
		}
		return this.up_prot.up(event);
	}

}
