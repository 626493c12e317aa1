package io.sessionreplication.replication;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.sessionreplication.cluster.ClusterTransport;
import io.sessionreplication.cluster.WireFormats;
import io.sessionreplication.wire.ClusterMessageCodec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Picks the wire format this member sends in: the newest that it and every other member
 * of the current view speak. During a rolling upgrade, while any member of the view
 * speaks only the format of the release before, every member sends that format; once the
 * whole view speaks the newer one, they switch to it. A member that announces no formats
 * is of a release from before the announcements, which spoke
 * {@link ClusterMessageCodec#FORMAT_OF_SILENT_RELEASES} only.
 * <p>
 * The choice is made again when the view changes, and logged when it changes. A member
 * that shares no format with this one and the others cannot talk to it: it is named in an
 * error, and left out of the choice. This class does not stop such a member from joining.
 */
final class WireFormatChoice {

	private static final Log logger = LogFactory.getLog(WireFormatChoice.class);

	private static final WireFormats SILENT = new WireFormats(ClusterMessageCodec.FORMAT_OF_SILENT_RELEASES,
			ClusterMessageCodec.FORMAT_OF_SILENT_RELEASES);

	private final ClusterTransport transport;

	private final WireFormats spoken;

	private volatile @Nullable Choice last;

	/**
	 * Create the choice of a member.
	 * @param transport the transport, which tells the view and what its members announce
	 * @param spoken the formats this member speaks
	 */
	WireFormatChoice(ClusterTransport transport, WireFormats spoken) {
		this.transport = transport;
		this.spoken = spoken;
	}

	/**
	 * The format to send in now.
	 * @return the format version
	 */
	int format() {
		List<String> members = this.transport.members();
		Map<String, WireFormats> announced = this.transport.announcedFormats();
		Choice last = this.last;
		// the transport hands out the same instances for as long as a view lasts
		if (last != null && last.members() == members && last.announced() == announced) {
			return last.format();
		}
		Choice next = choose(members, announced);
		this.last = next;
		if (last == null || last.format() != next.format()) {
			logger.info("Sending wire format " + next.format() + " to cluster '" + this.transport.clusterName() + "': "
					+ next.reason());
		}
		return next.format();
	}

	private Choice choose(List<String> members, Map<String, WireFormats> announced) {
		int oldest = this.spoken.oldest();
		int newest = this.spoken.newest();
		List<String> older = new ArrayList<>();
		List<String> strangers = new ArrayList<>();
		String self = this.transport.localMember();
		for (String member : members) {
			if (member.equals(self)) {
				continue;
			}
			WireFormats formats = announced.getOrDefault(member, SILENT);
			if (formats.newest() < oldest || formats.oldest() > newest) {
				strangers.add(member + " (" + formats + ")");
				continue;
			}
			if (formats.newest() < this.spoken.newest()) {
				older.add(member);
			}
			oldest = Math.max(oldest, formats.oldest());
			newest = Math.min(newest, formats.newest());
		}
		if (!strangers.isEmpty()) {
			logger.error("Member(s) " + strangers + " of cluster '" + this.transport.clusterName()
					+ "' speak no wire format in common with this member (" + this.spoken + ") and the others: they "
					+ "cannot exchange sessions with it. Upgrade through a release that speaks the formats of both.");
		}
		String reason = older.isEmpty() ? "every member speaks it"
				: "member(s) " + older + " speak no newer format than it";
		return new Choice(members, announced, newest, reason);
	}

	private record Choice(List<String> members, Map<String, WireFormats> announced, int format, String reason) {

	}

}
