package io.sessionreplication.cluster.jgroups;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import org.jgroups.Address;
import org.jgroups.PhysicalAddress;
import org.jgroups.blocks.cs.Connection;
import org.jgroups.protocols.TCP;

/**
 * JGroups' {@code TCP} transport, but the connections to the members that left the view
 * are closed on a thread of their own, not on the thread that installs the view. JGroups
 * closes a connection gracefully: it first writes a close marker, and that write waits
 * for as long as the peer does not read, for ever if the peer's process is stopped
 * ({@code SIGSTOP}, a frozen virtual machine) with a full TCP window. The view is
 * installed by the thread that received it, the receiver of the coordinator's connection:
 * a member whose window towards a stopped member was full no longer heard the
 * coordinator, suspected it, and split off into a cluster of its own, whose writes the
 * next merge discarded. Here the view is installed at once; the connection is taken out
 * of use and closed when its peer reads again or the connection breaks. Only a connection
 * still in use for that member is closed: one that a member of the same address made
 * since, after a restart, stays.
 * <p>
 * The shipped stack runs this transport in place of {@code TCP}; a stack of the user's
 * own that names {@code TCP} keeps JGroups' own.
 */
public class BackgroundClosingTcp extends TCP {

	private static final String THREAD_NAME = "session-replication-close-connection";

	@Override
	public void retainAll(Collection<Address> members) {
		List<Map.Entry<Address, Connection>> leaving = new ArrayList<>();
		this.srv.forAllConnections((peer, connection) -> {
			if (!members.contains(peer) && !this.is_member.test((PhysicalAddress) peer)) {
				leaving.add(Map.entry(peer, connection));
			}
		});
		for (Map.Entry<Address, Connection> connection : leaving) {
			Thread closer = new Thread(
					() -> this.srv.removeConnectionIfPresent(connection.getKey(), connection.getValue()), THREAD_NAME);
			closer.setDaemon(true);
			closer.start();
		}
	}

}
